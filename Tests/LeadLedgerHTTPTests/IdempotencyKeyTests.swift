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

    @Test("event ids are deterministic per (actor, key, index) and distinct otherwise")
    func determinism() throws {
        let key = try #require(IdempotencyKey("order-42"))
        let first = key.eventId(actor: "admin:1", index: 0)
        #expect(first == IdempotencyKey("order-42")!.eventId(actor: "admin:1", index: 0))
        let others = [
            key.eventId(actor: "admin:1", index: 1),
            key.eventId(actor: "admin:2", index: 0),
            IdempotencyKey("order-43")!.eventId(actor: "admin:1", index: 0),
            // Length prefixes keep ("admin:1", "2…") and ("admin:12", "…") apart.
            IdempotencyKey("2order-42")!.eventId(actor: "admin:1", index: 0),
            IdempotencyKey("order-42")!.eventId(actor: "admin:12", index: 0),
        ]
        #expect(Set(others + [first]).count == others.count + 1)
    }

    @Test("event ids carry UUID version 8 and the RFC 9562 variant")
    func versionBits() throws {
        for index in 0..<50 {
            let id = IdempotencyKey("k")!.eventId(actor: "admin:1", index: index)
            let text = id.uuidString
            let characters = Array(text)
            #expect(characters[14] == "8")
            #expect("89AB".contains(characters[19]))
        }
    }

    @Test("the derivation is pinned: a change would make retries across an upgrade write twice")
    func pinned() {
        #expect(
            IdempotencyKey("order-42")!.eventId(actor: "admin:1", index: 0).uuidString
                == "FE732DC5-CBDC-8E9D-82E7-7349F8180AAB")  // checked with Python hashlib
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
