import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("ETags, If-Match and If-None-Match")
struct ConditionalRequestTests {
    @Test("ETag values for stream versions and log positions")
    func etagValues() {
        #expect(EntityTag.streamVersion(7).headerValue == "\"v7\"")
        #expect(EntityTag.logPosition(1234).headerValue == "\"p1234\"")
        #expect(EntityTag("v7", weak: true).headerValue == "W/\"v7\"")
        #expect(EntityTag.streamVersion(7).streamVersion == 7)
        #expect(EntityTag.logPosition(7).streamVersion == nil)
    }

    @Test("header lists parse: quoted, weak, star, several lines")
    func parsing() {
        #expect(EntityTagCondition.parse(["*"]) == .any)
        #expect(EntityTagCondition.parse(["\"v1\""]) == .tags([EntityTag("v1")]))
        #expect(
            EntityTagCondition.parse([" \"v1\" , W/\"p9\"", "\"v3\""])
                == .tags([EntityTag("v1"), EntityTag("p9", weak: true), EntityTag("v3")])
        )
    }

    @Test(
        "malformed header values are rejected",
        arguments: ["v1", "\"v1", "\"v1\" x", "*, \"v1\"", "", "W/v1", "\"a b\""])
    func malformed(value: String) {
        #expect(EntityTagCondition.parse([value]) == nil)
    }

    @Test("If-Match compares strongly, If-None-Match weakly")
    func comparisons() {
        let current = EntityTag.streamVersion(3)
        #expect(EntityTagCondition.tags([.streamVersion(3)]).matchesForIfMatch(current))
        #expect(!EntityTagCondition.tags([EntityTag("v3", weak: true)]).matchesForIfMatch(current))
        #expect(EntityTagCondition.tags([EntityTag("v3", weak: true)]).matchesForIfNoneMatch(current))
        #expect(EntityTagCondition.any.matchesForIfMatch(current))
        #expect(!EntityTagCondition.any.matchesForIfMatch(nil))
    }

    let routes: @Sendable (APIRoutes) -> Void = { routes in
        routes.get("/v1/leads/{id}") { request, context in
            try await request.conditionalGET(etag: .streamVersion(3), context: context) { "lead v3" }
        }
        routes.patch("/v1/leads/{id}") { request, _ in
            try request.checkIfMatch(current: .streamVersion(3))
            let expected = try request.expectedStreamVersion()
            var response = Response(
                status: .ok,
                body: .init(byteBuffer: ByteBuffer(string: "expected \(expected.map(String.init) ?? "any")")))
            response.setVersioning(etag: .streamVersion(4), logPosition: 1234)
            return response
        }
    }

    @Test("a matching If-None-Match on GET is 304 with the ETag; otherwise 200 with it")
    func conditionalGet() async throws {
        let auth = Fixtures.bearer(Fixtures.adminToken)
        try await makeTestApplication(routes: routes).test(.router) { client in
            var headers = auth
            headers[.ifNoneMatch] = "\"v2\", W/\"v3\""
            try await client.execute(uri: "/v1/leads/1", method: .get, headers: headers) { response in
                #expect(response.status == .notModified)
                #expect(response.headers[.eTag] == "\"v3\"")
                #expect(response.body.readableBytes == 0)
            }
            headers[.ifNoneMatch] = "\"v2\""
            try await client.execute(uri: "/v1/leads/1", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"v3\"")
                #expect(response.text == "lead v3")
            }
        }
    }

    @Test("If-Match on a changed resource is a 412 problem; a match passes with ETag and X-Log-Position")
    func ifMatch() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            var headers = Fixtures.bearer(Fixtures.adminToken)
            headers[.ifMatch] = "\"v2\""
            try await client.execute(uri: "/v1/leads/1", method: .patch, headers: headers) { response in
                #expect(response.status == .preconditionFailed)
                let value9 = try response.problem().code
                #expect(value9 == "versionMismatch")
                #expect(response.headers[.eTag] == "\"v3\"")
            }
            headers[.ifMatch] = "\"v3\""
            try await client.execute(uri: "/v1/leads/1", method: .patch, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.text == "expected 3")
                #expect(response.headers[.eTag] == "\"v4\"")
                #expect(response.headers[.logPosition] == "1234")
            }
            headers[.ifMatch] = "v3"
            try await client.execute(uri: "/v1/leads/1", method: .patch, headers: headers) { response in
                #expect(response.status == .badRequest)
                let value10 = try response.firstErrorField()
                #expect(value10 == "If-Match")
            }
        }
    }
}
