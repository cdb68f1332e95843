import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// Keeps one connection from holding the server: a cap on open connections, a deadline for each request's head
/// and one for its body, and limits on the URL and the header block, each answered as problem+json.
///
/// Sits in each connection's pipeline after the HTTP codec (`HTTP1Channel.Configuration.additionalChannelHandlers`),
/// so it sees whole request heads and response parts:
/// - over `maxConnections`, a new connection is answered 503 and closed;
/// - the head of the next request must arrive within `idleTimeout` of the connection opening or of the previous
///   response ending (an idle keep-alive connection and a slowloris sending headers a byte at a time end alike);
/// - once a head arrived, its body must end within `bodyTimeout`;
/// - a URL over `maxURILength` is answered 414, headers over `maxHeaderBytes` (or over the decoder's own, larger,
///   limits) 431, and the connection closed;
/// - a response that says `Connection: close` (a 413) half-closes the connection once written, so a client that
///   sends its whole body before reading still reads the answer, and then sees the end.
///
/// A response being written has no deadline: a server-sent event stream stays open as long as it is wanted.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Open connections of one server, shared by its connections' guards.
    final class OpenConnections: Sendable {
        private let count = Atomic<Int>(0)

        init() {}

        /// Counts a connection in; `false` (and not counted) when `limit` are already open.
        func enter(limit: Int) -> Bool {
            var current = count.load(ordering: .relaxed)
            while current < limit {
                let (exchanged, original) = count.compareExchange(
                    expected: current, desired: current + 1, ordering: .relaxed)
                if exchanged { return true }
                current = original
            }
            return false
        }

        func leave() { count.subtract(1, ordering: .relaxed) }

        var current: Int { count.load(ordering: .relaxed) }
    }

    struct Limits: Sendable {
        var maxConnections: Int
        var idleTimeout: TimeAmount
        var bodyTimeout: TimeAmount
        var maxURILength: Int
        var maxHeaderBytes: Int
    }

    private let limits: Limits
    private let connections: OpenConnections
    private var counted = false
    private var deadline: Scheduled<Void>?
    /// After a refusal the guard has answered itself: later inbound parts are dropped.
    private var refused = false
    private var closeAfterResponse = false

    init(limits: Limits, connections: OpenConnections) {
        self.limits = limits
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard connections.enter(limit: limits.maxConnections) else {
            refuse(context, APIError(.unavailable, code: "tooManyConnections", detail: "The server has too many open connections; retry shortly."))
            return
        }
        counted = true
        arm(context, limits.idleTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        if counted {
            counted = false
            connections.leave()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            if (head.path?.utf8.count ?? 0) > limits.maxURILength {
                return refuse(context, APIError(.uriTooLong, code: "uriTooLong", detail: "The URL is over \(limits.maxURILength) bytes."))
            }
            let headerBytes = head.headerFields.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
            if headerBytes > limits.maxHeaderBytes {
                return refuse(context, Self.headersTooLarge(limits.maxHeaderBytes))
            }
            arm(context, limits.bodyTimeout)
        case .body:
            break
        case .end:
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        switch part {
        case .head(let head):
            closeAfterResponse = head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            context.write(data, promise: promise)
            if closeAfterResponse {
                context.flush()
                context.close(mode: .output, promise: nil)
            } else {
                arm(context, limits.idleTimeout)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIO's decoder says `headerOverflow` for both a long URL and large headers, past its own limits,
        // which are set above this guard's.
        if let parserError = error as? HTTPParserError, parserError == .headerOverflow {
            return refuse(context, Self.headersTooLarge(limits.maxHeaderBytes))
        }
        context.fireErrorCaught(error)
    }

    static func headersTooLarge(_ limit: Int) -> APIError {
        APIError(.headersTooLarge, code: "headersTooLarge", detail: "The request's header block is over \(limit) bytes.")
    }

    private func arm(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        deadline?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: timeout) { [weak self] in
            self?.deadline = nil
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    /// Answers `error` as problem+json with `Connection: close`, then closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ error: APIError) {
        guard !refused else { return }
        refused = true
        disarm()
        let body = error.encodedProblem(requestId: nil)
        var fields = error.headers
        fields[.contentType] = ProblemDetails.mediaType
        fields[.contentLength] = String(body.count)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: error.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
