import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("Connections cannot hold the server: timeouts, a connection cap, and answers every client reads", .serialized)
struct ConnectionGuardTests {
    static func server(
        maxConnections: Int = HTTPServerConfiguration.defaultMaxConnections, idle: Duration = .seconds(1),
        body: Duration = .seconds(1)
    ) -> HTTPServerConfiguration {
        HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, maxConnections: maxConnections, idleTimeout: idle, bodyTimeout: body)
    }

    /// Sends `text` and reads until the server closes the connection (or 30 s pass); returns what came and when.
    static func untilClosed(port: Int, _ text: String) async throws -> (received: String, after: Duration) {
        let started = ContinuousClock.now
        let received = try await RawSocket.exchange(port: port, send: text) { _ in false }
        return (received, ContinuousClock.now - started)
    }

    @Test("partial headers, a partial body and an idle keep-alive connection are closed after their timeout", .timeLimit(.minutes(1)))
    func slowClients() async throws {
        try await LedgerFixture.withLiveServer(Self.server()) { client, _ in
            let port = try #require(client.port)
            let partialHead = try await Self.untilClosed(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a")
            #expect(partialHead.received.isEmpty)
            #expect(partialHead.after < .seconds(10))
            let partialBody = try await Self.untilClosed(
                port: port,
                "POST /v1/leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"full")
            #expect(partialBody.after < .seconds(10))
            let idle = try await Self.untilClosed(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(idle.received.hasPrefix("HTTP/1.1 200"))
            #expect(idle.after < .seconds(10))
        }
    }

    @Test("past the connection cap a new connection gets 503 problem+json; /healthz answers fast while slow clients wait", .timeLimit(.minutes(1)))
    func connectionCap() async throws {
        try await LedgerFixture.withLiveServer(Self.server(maxConnections: 8, idle: .seconds(3))) { client, _ in
            let port = try #require(client.port)
            // Six slow clients hold six of the eight places (the test client holds one more).
            let slow = (0..<6).map { _ in
                Task { try await Self.untilClosed(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n") }
            }
            try await Task.sleep(for: .milliseconds(500))
            let started = ContinuousClock.now
            let health = try await RawSocket.exchange(port: port, send: "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") {
                $0.contains("\r\n\r\n{")
            }
            #expect(health.hasPrefix("HTTP/1.1 200"))
            // Well inside the slow clients' 3 s idle timeout (it would wait that long if they blocked it), with
            // room for a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(1))
            let holder = Task { try await Self.untilClosed(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n") }
            try await Task.sleep(for: .milliseconds(300))
            let refused = try await Self.untilClosed(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(refused.received.hasPrefix("HTTP/1.1 503"), "\(refused.received)")
            #expect(refused.received.lowercased().contains("content-type: application/problem+json"))
            #expect(refused.received.contains("tooManyConnections"))
            for task in slow + [holder] { _ = try await task.value }
            // Once the slow clients are gone, there is room again.
            let again = try await RawSocket.exchange(port: port, send: "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") {
                $0.contains("\r\n\r\n{")
            }
            #expect(again.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test("a 5 MB body sent whole before reading, with Connection: close, gets its 413 problem and the connection ends", .timeLimit(.minutes(1)))
    func oversizedBody() async throws {
        try await LedgerFixture.withLiveServer(Self.server(idle: .seconds(5), body: .seconds(5))) { client, fixture in
            let port = try #require(client.port)
            let body = #"{"fullName":""# + String(repeating: "x", count: 5 << 20) + #""}"#
            for connection in ["close", "keep-alive"] {
                for framing in ["Content-Length: \(body.utf8.count)", "Transfer-Encoding: chunked"] {
                    let payload = framing.hasPrefix("Transfer") ? String(body.utf8.count, radix: 16) + "\r\n" + body + "\r\n0\r\n\r\n" : body
                    let request =
                        "POST /v1/leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(fixture.adminToken)\r\n"
                        + "Content-Type: application/json\r\n\(framing)\r\nConnection: \(connection)\r\n\r\n" + payload
                    let answer = try await Self.untilClosed(port: port, request)
                    #expect(answer.received.hasPrefix("HTTP/1.1 413"), "\(connection) \(framing): \(answer.received.prefix(80))")
                    #expect(answer.received.lowercased().contains("connection: close"))
                    #expect(answer.received.contains("contentTooLarge"))
                    #expect(answer.after < .seconds(5), "\(connection) \(framing)")
                }
            }
        }
    }

    @Test("a URL over the limit is a 414 and headers over the limit a 431, as problem+json")
    func headLimits() async throws {
        try await LedgerFixture.withLiveServer(Self.server()) { client, _ in
            let port = try #require(client.port)
            let longURL = "/v1/leads?q=" + String(repeating: "a", count: HTTPServerConfiguration.defaultMaxURILength)
            let uri = try await Self.untilClosed(port: port, "GET \(longURL) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(uri.received.hasPrefix("HTTP/1.1 414"), "\(uri.received.prefix(80))")
            #expect(uri.received.contains("uriTooLong"))
            for size in [HTTPServerConfiguration.defaultMaxHeaderBytes, 10 * HTTPServerConfiguration.defaultMaxHeaderBytes] {
                let header = "X-Big: " + String(repeating: "b", count: size) + "\r\n"
                let headers = try await Self.untilClosed(port: port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\(header)\r\n")
                #expect(headers.received.hasPrefix("HTTP/1.1 431"), "\(size): \(headers.received.prefix(80))")
                #expect(headers.received.contains("headersTooLarge"))
            }
        }
    }
}
