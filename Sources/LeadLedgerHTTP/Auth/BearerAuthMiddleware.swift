public import Hummingbird
import LeadLedgerCore

/// Authenticates `Authorization: Bearer <token>` and puts the ``Principal`` on the context.
///
/// Added by ``APIRoutes`` to the authenticated route group only, so `/healthz` and `/metrics` bypass it.
/// Missing, malformed, unknown or revoked tokens all get the same 401 with `WWW-Authenticate: Bearer`.
public struct BearerAuthMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let verifier: any AccessTokenVerifier

    public init(verifier: any AccessTokenVerifier) {
        self.verifier = verifier
    }

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthenticated(detail: "An access token is required.", invalidToken: false)
        }
        guard let token = Self.bearerToken(from: header), AccessToken.isWellFormed(token) else {
            throw APIError.unauthenticated(detail: "The access token is not valid.", invalidToken: true)
        }
        guard let principal = try await verifier.principal(forTokenHash: APITokenHash.sha256Hex(token)) else {
            throw APIError.unauthenticated(detail: "The access token is not valid.", invalidToken: true)
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "actor"] = .string(principal.actor)
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential (scheme case-insensitive, RFC 9110 §11.1), else `nil`.
    static func bearerToken(from header: String) -> String? {
        // Scheme, spaces, token: Character tests rather than `CharacterSet.whitespaces`, which cost more than the
        // rest of the check (header values hold no line breaks, so `isWhitespace` is the same test here).
        let value = header.drop { $0 == " " }
        guard let space = value.firstIndex(of: " "), value[..<space].lowercased() == "bearer" else { return nil }
        let token = value[space...].drop(while: \.isWhitespace)
        let end = token.lastIndex { !$0.isWhitespace }
        return end.map { String(token[...$0]) }
    }
}

extension APIError {
    /// 401 with the `WWW-Authenticate` challenge RFC 6750 asks for.
    public static func unauthenticated(detail: String, invalidToken: Bool) -> APIError {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] =
            invalidToken ? #"Bearer realm="leadledger", error="invalid_token""# : #"Bearer realm="leadledger""#
        return APIError(.unauthenticated, code: "unauthenticated", detail: detail, headers: headers)
    }
}
