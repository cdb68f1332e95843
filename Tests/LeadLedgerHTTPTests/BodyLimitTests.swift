import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("request bodies over the limit are refused with 413")
struct BodyLimitTests {
    let routes: @Sendable (APIRoutes) -> Void = { routes in
        routes.post("/v1/echo", access: .public) { request, context in
            var request = request
            let body = try await request.collectBody(upTo: .max)
            return "\(body.readableBytes)"
        }
        routes.post("/v1/decode", access: .public) { request, context in
            let names = try await request.decode(as: [String].self, context: context)
            return "\(names.count)"
        }
    }

    @Test("a body at the limit passes, one byte more is 413", arguments: [TestingSetup.router, .live])
    func limitBoundary(setup: TestingSetup) async throws {
        try await makeTestApplication(maxBodySize: 1000, routes: routes).test(setup) { client in
            try await client.execute(uri: "/v1/echo", method: .post, body: ByteBuffer(repeating: 0x61, count: 1000)) {
                response in
                #expect(response.status == .ok)
                #expect(response.text == "1000")
            }
            try await client.execute(uri: "/v1/echo", method: .post, body: ByteBuffer(repeating: 0x61, count: 1001)) {
                response in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/problem+json")
                let value1 = try response.problem().code
                #expect(value1 == "contentTooLarge")
            }
        }
    }

    @Test("the default limit is 1 MiB, enforced on decoding over a live socket")
    func defaultLimitLive() async throws {
        let json = "[" + String(repeating: "\"abcdefgh\",", count: 100_000) + "\"x\"]"  // about 1.1 MiB
        try await makeTestApplication(routes: routes).test(.live) { client in
            try await client.execute(uri: "/v1/decode", method: .post, body: ByteBuffer(string: #"["a","b"]"#)) {
                response in
                #expect(response.text == "2")
            }
            // A 413 ends its connection (Connection: close), so it comes last on this one.
            try await client.execute(uri: "/v1/decode", method: .post, body: ByteBuffer(string: json)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.connection] == "close")
            }
        }
    }

    @Test("a chunked body without Content-Length is counted as it arrives, over a live socket")
    func chunkedBody() async throws {
        try await makeTestApplication(maxBodySize: 10, routes: routes).test(.live) { client in
            let chunk = "4\r\nabcd\r\n"
            let request =
                "POST /v1/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + String(repeating: chunk, count: 5) + "0\r\n\r\n"
            let reply = try await RawSocket.exchange(port: client.port!, send: request, until: { _ in false })
            #expect(reply.hasPrefix("HTTP/1.1 413"))
            #expect(reply.contains("contentTooLarge"))
        }
    }
}
