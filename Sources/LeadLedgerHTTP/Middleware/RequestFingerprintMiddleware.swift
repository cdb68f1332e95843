public import Hummingbird
import LeadLedgerCore

/// For a request with an `Idempotency-Key`, digests what the key stands for — method, path with query, and
/// body — into `context.requestFingerprint`, so the core can tell a retry (same digest) from a key reused for
/// another request (`idempotencyKeyReused`, 422, as the IETF idempotency-key draft recommends).
///
/// Runs inside ``BodyLimitMiddleware``: the body it collects is already bounded. Requests without a key are
/// passed through untouched, so the common path reads no body twice.
public struct RequestFingerprintMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.headers[.idempotencyKey] != nil else { return try await next(request, context) }
        var request = request
        var context = context
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        var bytes = Array("\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8)
        bytes.append(contentsOf: body.readableBytesView)
        context.requestFingerprint = APITokenHash.sha256Hex(bytes: bytes)
        return try await next(request, context)
    }
}
