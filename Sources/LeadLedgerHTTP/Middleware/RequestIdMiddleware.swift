public import Hummingbird

/// Gives each request an id and returns it in `X-Request-Id`.
///
/// A client's `X-Request-Id` of 1–128 visible ASCII characters is kept (so a proxy's id flows through);
/// otherwise the context's generated UUID is used. The id is in every log line and problem body.
public struct RequestIdMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let incoming = request.headers[.requestId], Self.isUsable(incoming) {
            context.requestId = incoming
        }
        context.logger[metadataKey: "request_id"] = .string(context.requestId)
        let requestId = context.requestId
        do {
            var response = try await next(request, context)
            response.headers[.requestId] = requestId
            return response
        } catch var error as APIError {
            // Only reached if an error escaped ProblemMiddleware; keep the header anyway.
            error.headers[.requestId] = requestId
            throw error
        }
    }

    static func isUsable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }
}
