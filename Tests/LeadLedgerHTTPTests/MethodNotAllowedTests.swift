import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("wrong method on a known path is 405 with Allow")
struct MethodNotAllowedTests {
    let routes: @Sendable (APIRoutes) -> Void = { routes in
        routes.get("/v1/leads/{id}") { _, _ in "lead" }
        routes.patch("/v1/leads/{id}") { _, _ in "patched" }
        routes.delete("/v1/leads/{id}") { _, _ in "deleted" }
        routes.post("/v1/leads") { _, _ in "created" }
    }

    @Test("PUT on a lead lists DELETE, GET, PATCH", arguments: [TestingSetup.router, .live])
    func putOnLead(setup: TestingSetup) async throws {
        try await makeTestApplication(routes: routes).test(setup) { client in
            try await client.execute(uri: "/v1/leads/42", method: .put, headers: Fixtures.bearer(Fixtures.adminToken)) {
                response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "DELETE, GET, HEAD, PATCH")
                #expect(response.headers[.contentType] == "application/problem+json")
                let value7 = try response.problem().code
                #expect(value7 == "methodNotAllowed")
            }
        }
    }

    @Test("a path that serves nothing stays 404, even one segment longer than a route")
    func unknownPathStays404() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/leads/42/nope", method: .put) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test("GET on the collection path allows only POST; public paths too")
    func collectionAndPublicPaths() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/leads", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/healthz", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test("the route table records normalized patterns")
    func routeTableNormalizes() {
        let table = RouteTable()
        _ = buildRouter(
            configuration: .init(),
            verifier: Fixtures.verifier,
            metrics: .init(),
            routeTable: table,
            routes: [TestRoutes { $0.get("/v1/x/:id/") { _, _ in "" } }]
        )
        #expect(table.all.map(\.description) == ["GET /healthz", "GET /metrics", "GET /v1/x/{id}"])
        #expect(table.allowedMethods(forRequestPath: "/v1/x/7") == [.get, .head])
        #expect(table.allowedMethods(forRequestPath: "/v1/x") == [])
    }
}
