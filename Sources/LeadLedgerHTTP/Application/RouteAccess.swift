/// Whether a route needs an access token.
public enum RouteAccess: Sendable, Hashable {
    /// Bypasses authentication: only `/healthz` and `/metrics`.
    case `public`
    /// Needs a valid bearer token; the handler finds the ``Principal`` on the context.
    case authenticated
}
