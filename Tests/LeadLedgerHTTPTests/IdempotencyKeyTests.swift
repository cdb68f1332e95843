import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("Idempotency-Key and deterministic event ids")
struct IdempotencyKeyTests {
    @Test("keys of 1–200 visible ASCII characters are accepted")
    func validKeys() {
        #expect(IdempotencyKey("a") != nil)
        #expect(IdempotencyKey(String(repeating: "k", count: 200)) != nil)
        #expect(IdempotencyKey("9f1c-4b7e_retry.1~!") != nil)
    }

    @Test(
        "empty, long, spaced, control and non-ASCII keys are rejected",
        arguments: [
            "", String(repeating: "k", count: 201), "two words", "tab\there", "kéy", "line\n",
        ])
    func invalidKeys(key: String) {
        #expect(IdempotencyKey(key) == nil)
    }

    // Event ids are the core's (`EventIdentity`, tested there); the HTTP layer derives only the id of the resource a
    // command creates, so a retried create addresses the same stream.
    @Test("resource ids are deterministic per (actor, key) and distinct otherwise")
    func determinism() throws {
        let actor = UUID(uuidString: "6F1C0000-0000-4000-8000-000000000001")!
        let other = UUID(uuidString: "6F1C0000-0000-4000-8000-000000000002")!
        let key = try #require(IdempotencyKey("order-42"))
        let first = key.newResourceId(actor: actor)
        #expect(first == IdempotencyKey("order-42")!.newResourceId(actor: actor))
        let others = [
            key.newResourceId(actor: other),
            IdempotencyKey("order-43")!.newResourceId(actor: actor),
            IdempotencyKey("2order-42")!.newResourceId(actor: actor),
        ]
        #expect(Set(others + [first]).count == others.count + 1)
    }

    @Test("resource ids carry UUID version 8 and the RFC 9562 variant")
    func versionBits() throws {
        for index in 0..<50 {
            let characters = Array(IdempotencyKey("k\(index)")!.newResourceId(actor: UUID()).uuidString)
            #expect(characters[14] == "8")
            #expect("89AB".contains(characters[19]))
        }
    }

    @Test("the header is read from requests; a bad one is a 400 naming Idempotency-Key")
    func header() async throws {
        let app = makeTestApplication { routes in
            routes.post("/v1/things") { request, _ in
                try request.idempotencyKey()?.value ?? "none"
            }
        }
        try await app.test(.router) { client in
            var headers = Fixtures.bearer(Fixtures.adminToken)
            try await client.execute(uri: "/v1/things", method: .post, headers: headers) { #expect($0.text == "none") }
            headers[.idempotencyKey] = "retry-1"
            try await client.execute(uri: "/v1/things", method: .post, headers: headers) {
                #expect($0.text == "retry-1")
            }
            headers[.idempotencyKey] = String(repeating: "x", count: 201)
            try await client.execute(uri: "/v1/things", method: .post, headers: headers) { response in
                #expect(response.status == .badRequest)
                let value6 = try response.firstErrorField()
                #expect(value6 == "Idempotency-Key")
            }
        }
    }
}

@Suite("An Idempotency-Key stands for one request")
struct IdempotencyKeyReuseTests {
    @Test("the same key with another body, another lead or another route is a 422 idempotencyKeyReused; a retry is answered as before")
    func reused() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let a = try await client.createLead(token: token)["id"] as! String
            let b = try await client.createLead(#"{"fullName":"Other"}"#, token: token)["id"] as! String
            let key: HTTPFields = [.idempotencyKey: "note-1"]
            let first = try await client.send(.post, "/v1/leads/\(a)/notes", token: token, json: #"{"text":"Called"}"#, headers: key)
            #expect(first.status == .created)
            let head = fixture.head
            let retry = try await client.send(.post, "/v1/leads/\(a)/notes", token: token, json: #"{"text":"Called"}"#, headers: key)
            #expect(retry.status == .created)
            #expect(retry.headers[.logPosition] == first.headers[.logPosition])
            let attempts: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/v1/leads/\(a)/notes", #"{"text":"Something else"}"#),
                (.post, "/v1/leads/\(b)/notes", #"{"text":"Called"}"#),
                (.patch, "/v1/leads/\(a)", #"{"comment":"x"}"#),
                (.post, "/v1/leads", #"{"fullName":"New"}"#),
            ]
            for (method, path, json) in attempts {
                let response = try await client.send(method, path, token: token, json: json, headers: key)
                #expect(response.status == .unprocessableContent, "\(method) \(path): \(response.bodyText)")
                #expect(try response.problemCode() == "idempotencyKeyReused", "\(path)")
                #expect(try response.problemFields() == ["Idempotency-Key"])
            }
            #expect(fixture.head == head)
            // Another admin's same key is their own.
            let manager = try await client.createManager(token: token, permissions: ["leads.read.all"])
            let theirs = try await client.send(.post, "/v1/leads/\(b)/notes", token: manager.token, json: #"{"text":"Mine"}"#, headers: key)
            #expect(theirs.status == .created)
        }
    }
}
