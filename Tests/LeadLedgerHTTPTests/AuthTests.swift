import Foundation
import Hummingbird
import HummingbirdTesting
import LeadDomain
import LeadLedgerCore
import LeadLedgerHTTP
import Testing

@Suite("bearer-token authentication and permissions")
struct AuthTests {
    let routes: @Sendable (APIRoutes) -> Void = { routes in
        routes.get("/v1/me") { _, context in
            let principal = try context.principalOrThrow()
            return "\(principal.name)|\(principal.role.rawValue)"
        }
        routes.get("/v1/all-leads") { _, context in
            try context.require(.leadsReadAll)
            return "all"
        }
        routes.get("/v1/some-leads") { _, context in
            try context.require(.reportsRead)
            return "some"
        }
    }

    @Test("a valid token puts its principal on the context", arguments: [TestingSetup.router, .live])
    func validToken(setup: TestingSetup) async throws {
        try await makeTestApplication(routes: routes).test(setup) { client in
            try await client.execute(uri: "/v1/me", method: .get, headers: Fixtures.bearer(Fixtures.managerToken)) {
                response in
                #expect(response.status == .ok)
                #expect(response.text == "Max Manager|manager")
            }
        }
    }

    @Test(
        "missing, malformed, unknown and wrong-scheme credentials are 401 with WWW-Authenticate",
        arguments: [
            nil, "Bearer", "Bearer ", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer \(APITokenHash.generate())",
            "Bearer \(Fixtures.adminToken)x",
        ]
    )
    func rejected(authorization: String?) async throws {
        let headers: HTTPFields = authorization.map { [.authorization: $0] } ?? [:]
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/v1/me", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"leadledger\"") == true)
                #expect(response.headers[.contentType] == "application/problem+json")
                let value2 = try response.problem().code
                #expect(value2 == "unauthenticated")
            }
        }
    }

    @Test("the scheme is case-insensitive")
    func schemeCase() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(
                uri: "/v1/me", method: .get, headers: [.authorization: "bearer \(Fixtures.adminToken)"]
            ) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("a missing permission is 403; admins hold every permission")
    func permissions() async throws {
        try await makeTestApplication(routes: routes).test(.live) { client in
            try await client.execute(
                uri: "/v1/all-leads", method: .get, headers: Fixtures.bearer(Fixtures.managerToken)
            ) { response in
                #expect(response.status == .forbidden)
                let problem = try response.problem()
                #expect(problem.code == "forbidden")
                #expect(problem.errors.first?.message == "leads.read.all")
            }
            try await client.execute(
                uri: "/v1/some-leads", method: .get, headers: Fixtures.bearer(Fixtures.managerToken)
            ) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/all-leads", method: .get, headers: Fixtures.bearer(Fixtures.adminToken))
            {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("/healthz and /metrics need no token")
    func publicRoutes() async throws {
        try await makeTestApplication(routes: routes).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("the core's tokens (llt_ plus 43 base64url characters) pass the middleware's shape check")
    func tokenFormat() {
        let tokens = (0..<100).map { _ in APITokenHash.generate() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(token.hasPrefix("llt_"))
            #expect(token.count == 47)
            #expect(AccessToken.isWellFormed(token))
        }
        #expect(!AccessToken.isWellFormed("llt_short"))
        #expect(!AccessToken.isWellFormed("xyz_" + String(repeating: "A", count: 43)))
    }
}
