import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("server-sent events")
struct ServerSentEventTests {
    @Test("events encode id, event name and multi-line data; id and event stay on one line")
    func encoding() {
        #expect(
            ServerSentEvent(id: "7", event: "lead.created", data: "{\"a\":1}").encoded
                == "id: 7\nevent: lead.created\ndata: {\"a\":1}\n\n")
        #expect(ServerSentEvent(data: "one\ntwo").encoded == "data: one\ndata: two\n\n")
        #expect(ServerSentEvent(id: "1\n2", event: "x\ry", data: "").encoded == "id: 12\nevent: xy\ndata: \n\n")
    }

    @Test("a live stream sends events as they happen, heartbeats in between, and honours Last-Event-ID")
    func liveStream() async throws {
        let app = makeTestApplication { routes in
            routes.get("/v1/events/stream") { request, _ in
                let after = try ServerSentEventStream.lastEventPosition(request) ?? 0
                let events = AsyncStream<ServerSentEvent> { continuation in
                    Task {
                        for position in (after + 1)...(after + 3) {
                            continuation.yield(
                                ServerSentEvent(id: "\(position)", event: "tick", data: "{\"position\":\(position)}"))
                            try? await Task.sleep(for: .milliseconds(150))
                        }
                        // Then stay open without events, so only heartbeats flow.
                    }
                }
                return ServerSentEventStream.response(events: events, heartbeat: .milliseconds(100))
            }
        }
        try await app.test(.live) { client in
            let request =
                "GET /v1/events/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(Fixtures.adminToken)\r\n"
                + "Last-Event-ID: 41\r\nAccept: text/event-stream\r\n\r\n"
            let received = try await RawSocket.exchange(port: client.port!, send: request) { text in
                text.contains("id: 44") && text.components(separatedBy: ": heartbeat").count > 2
            }
            #expect(received.hasPrefix("HTTP/1.1 200"))
            #expect(received.lowercased().contains("content-type: text/event-stream"))
            #expect(received.contains("id: 42\nevent: tick\ndata: {\"position\":42}\n\n"))
            #expect(received.contains("id: 43\n"))
            #expect(received.contains("id: 44\n"))
            #expect(!received.contains("id: 41\n"))
            #expect(received.contains(": heartbeat\n\n"))
        }
    }

    @Test("a bad Last-Event-ID is a 400 problem")
    func badLastEventId() async throws {
        let app = makeTestApplication { routes in
            routes.get("/v1/events/stream") { request, _ in
                _ = try ServerSentEventStream.lastEventPosition(request)
                return ServerSentEventStream.response(events: AsyncStream<ServerSentEvent> { $0.finish() })
            }
        }
        try await app.test(.router) { client in
            var headers = Fixtures.bearer(Fixtures.adminToken)
            headers[.lastEventId] = "abc"
            try await client.execute(uri: "/v1/events/stream", method: .get, headers: headers) { response in
                #expect(response.status == .badRequest)
                let value8 = try response.firstErrorField()
                #expect(value8 == "Last-Event-ID")
            }
        }
    }

    @Test("a finite sequence ends the response")
    func finiteStream() async throws {
        let app = makeTestApplication { routes in
            routes.get("/v1/events/stream") { _, _ in
                let events = AsyncStream<ServerSentEvent> { continuation in
                    continuation.yield(ServerSentEvent(id: "1", data: "a"))
                    continuation.yield(ServerSentEvent(id: "2", data: "b"))
                    continuation.finish()
                }
                return ServerSentEventStream.response(events: events)
            }
        }
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/events/stream", method: .get, headers: Fixtures.bearer(Fixtures.adminToken)
            ) { response in
                #expect(response.text == ": stream open\n\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n")
            }
        }
    }
}

@Suite("server-sent events and graceful shutdown")
struct ServerSentEventShutdownTests {
    @Test("an open stream ends cleanly when the server shuts down gracefully", .timeLimit(.minutes(1)))
    func endsOnShutdown() async throws {
        let app = makeTestApplication { routes in
            routes.get("/v1/events/stream") { _, _ in
                // Never yields and never ends by itself.
                let events = AsyncStream<ServerSentEvent> { _ in }
                return ServerSentEventStream.response(events: events, heartbeat: .seconds(60))
            }
        }
        let reader = try await app.test(.live) { client in
            let request =
                "GET /v1/events/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(Fixtures.adminToken)\r\n\r\n"
            let port = client.port!
            // Reads until the server closes the connection or ends the chunked body.
            let reader = Task { try await RawSocket.exchange(port: port, send: request) { $0.hasSuffix("0\r\n\r\n") } }
            try await Task.sleep(for: .milliseconds(300))
            return reader
        }
        // `test` returned, so the server drained although a stream was open.
        let received = try await reader.value
        #expect(received.hasPrefix("HTTP/1.1 200"))
        #expect(received.contains(": stream open"))
        #expect(received.hasSuffix("0\r\n\r\n"))
    }
}
