public import Hummingbird

/// Enforces the configured maximum request body size while the body is read.
///
/// A `Content-Length` over the limit is refused before reading; a chunked body is counted as it streams and
/// the read fails with 413 once it passes the limit. It also sets `context.maxUploadSize`, which the
/// decoders use.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let maxBodySize: Int

    public init(maxBodySize: Int) {
        self.maxBodySize = maxBodySize
    }

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodySize {
            throw APIError.contentTooLarge(limit: maxBodySize)
        }
        var request = request
        var context = context
        context.maxUploadSize = maxBodySize
        request.body = RequestBody(asyncSequence: LimitedBody(base: request.body, limit: maxBodySize))
        return try await next(request, context)
    }
}

/// A request body that throws ``APIError/contentTooLarge(limit:)`` once more than `limit` bytes arrived.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            seen += buffer.readableBytes
            if seen > limit { throw APIError.contentTooLarge(limit: limit) }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
