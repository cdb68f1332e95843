public import Hummingbird

/// Enforces the configured maximum request body size while the body is read.
///
/// A `Content-Length` over the limit is refused without decoding; a chunked body is counted as it streams and
/// the read fails with 413 once it passes the limit. It also sets `context.maxUploadSize`, which the
/// decoders use.
///
/// Before the 413 is sent, the rest of the body is read and thrown away, up to `drainLimit` more bytes: many
/// clients (Python's urllib among them) send the whole body before they read, and would never see an answer
/// the server sent while they were still sending. The 413 says `Connection: close`, and ``ConnectionGuard``
/// half-closes the connection once it is written.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    /// The most bytes past the limit that are read and discarded so the client sees its 413; a larger body
    /// gets the 413 all the same, but the client may be reset before it reads it.
    public static let drainLimit = 16 << 20

    let maxBodySize: Int
    /// The limit of the routes that take a file (`uploadPaths`), which stream it to disk.
    let maxUploadSize: Int
    static let uploadPaths: Set<String> = ["/v1/imports", "/v1/import-previews"]

    public init(maxBodySize: Int, maxUploadSize: Int? = nil) {
        self.maxBodySize = maxBodySize
        self.maxUploadSize = max(maxUploadSize ?? maxBodySize, maxBodySize)
    }

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let maxBodySize = Self.uploadPaths.contains(request.uri.path) ? maxUploadSize : self.maxBodySize
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodySize {
            if declared <= maxBodySize + Self.drainLimit {
                var rest = request.body.makeAsyncIterator()
                try? await LimitedBody.drain(&rest, upTo: declared)
            }
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
            if seen > limit {
                try? await LimitedBody.drain(&base, upTo: BodyLimitMiddleware.drainLimit)
                throw APIError.contentTooLarge(limit: limit)
            }
            return buffer
        }
    }

    /// Reads and discards what is left of a body, `upTo` bytes at most.
    static func drain(_ body: inout RequestBody.AsyncIterator, upTo limit: Int) async throws {
        var drained = 0
        while drained <= limit, let buffer = try await body.next() { drained += buffer.readableBytes }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
