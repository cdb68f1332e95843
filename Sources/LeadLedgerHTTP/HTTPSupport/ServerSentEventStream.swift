import AsyncAlgorithms
import HTTPTypes
public import Hummingbird
import ServiceLifecycle

/// Streams an `AsyncSequence` of ``ServerSentEvent`` as a `text/event-stream` response.
///
/// Each event is written (and so flushed) as it arrives; a comment line is sent every `heartbeat` when no
/// event came, so proxies keep the connection open and a dead client is noticed. The stream ends when the
/// sequence ends, the client goes away, the server shuts down gracefully, or `isAuthorized` answers `false`:
/// it is asked before every event and every `recheck` (a revoked token or a disabled admin ends the stream).
///
/// ```swift
/// routes.get("/v1/events/stream") { request, context in
///     let after = try ServerSentEventStream.lastEventPosition(request)
///     return ServerSentEventStream.response(events: feed.events(after: after ?? 0))
/// }
/// ```
public enum ServerSentEventStream {
    public static let mediaType = "text/event-stream"

    public static func response<Events: AsyncSequence & Sendable>(
        events: Events,
        heartbeat: Duration = .seconds(15),
        recheck: Duration = .seconds(1),
        isAuthorized: @escaping @Sendable () -> Bool = { true }
    ) -> Response where Events.Element == ServerSentEvent {
        var headers = HTTPFields()
        headers[.contentType] = mediaType
        headers[.cacheControl] = "no-cache"
        // nginx buffers responses unless told not to.
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let body = ResponseBody { writer in
            let channel = AsyncChannel<ByteBuffer>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { channel.finish() }
                    for try await event in events {
                        guard isAuthorized() else { return }
                        await channel.send(ByteBuffer(string: event.encoded))
                    }
                }
                group.addTask {
                    var sinceHeartbeat = Duration.zero
                    while true {
                        let pause = min(recheck, heartbeat - sinceHeartbeat)
                        try await Task.sleep(for: pause)
                        guard isAuthorized() else {
                            channel.finish()
                            return
                        }
                        sinceHeartbeat += pause
                        if sinceHeartbeat >= heartbeat {
                            sinceHeartbeat = .zero
                            await channel.send(ByteBuffer(string: ": heartbeat\n\n"))
                        }
                    }
                }
                // Sends the head at once, so the client knows the stream is open before the first event.
                try await writer.write(ByteBuffer(string: ": stream open\n\n"))
                try await withGracefulShutdownHandler {
                    for await buffer in channel {
                        try await writer.write(buffer)
                    }
                } onGracefulShutdown: {
                    channel.finish()
                }
                group.cancelAll()
                // Surfaces an error of the event sequence (the response then ends without a clean finish).
                while let result = await group.nextResult() {
                    if case .failure(let error) = result, !(error is CancellationError) { throw error }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The raw `Last-Event-ID` a reconnecting client sent, if any.
    public static func lastEventId(_ request: Request) -> String? {
        request.headers[.lastEventId].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `Last-Event-ID` read as a log position: `nil` if absent, a 400 problem if not a non-negative integer.
    public static func lastEventPosition(_ request: Request) throws -> UInt64? {
        guard let raw = lastEventId(request) else { return nil }
        guard let position = UInt64(raw) else {
            throw APIError.badRequest(
                field: "Last-Event-ID", code: "invalidPosition", message: "Last-Event-ID must be a log position.")
        }
        return position
    }
}
