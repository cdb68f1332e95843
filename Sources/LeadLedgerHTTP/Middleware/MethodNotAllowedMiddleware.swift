public import Hummingbird

/// Turns Hummingbird's 404 for a wrong method on a known path into a 405 with `Allow`.
///
/// Hummingbird's router answers an unmatched (path, method) pair from its not-found responder, which runs the
/// router-level middleware with `endpointPath` set to `"NotFound"`; this middleware sees that and asks the
/// ``RouteTable`` which methods the path does serve.
public struct MethodNotAllowedMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let routes: RouteTable

    public init(routes: RouteTable) {
        self.routes = routes
    }

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let allowed = routes.allowedMethods(forRequestPath: request.uri.path)
            guard !allowed.isEmpty else { throw APIError.notFound() }
            throw APIError.methodNotAllowed(allowed: allowed)
        }
    }
}
