import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("keyset cursors and page limits")
struct PaginationTests {
    struct NameKey: Codable, Hashable, Sendable {
        var folded: String
        var updatedAt: Date
    }

    @Test("a cursor round-trips its key, id and scope and is URL-safe")
    func roundTrip() throws {
        let key = NameKey(folded: "šarūnas", updatedAt: Date(timeIntervalSince1970: 1_700_000_000))
        let id = UUID()
        let cursor = PageCursor(scope: "leads:name", key: key, id: id)
        let text = cursor.encoded()
        #expect(text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let decoded = try #require(try PageCursor<NameKey>.decode(query: text, scope: "leads:name"))
        #expect(decoded == cursor)
        #expect(decoded.id == id.uuidString.lowercased())
        #expect(try PageCursor<NameKey>.decode(query: nil, scope: "leads:name") == nil)
    }

    @Test("garbage, edited, truncated and foreign-scope cursors are a 400 naming cursor")
    func rejects() throws {
        let good = PageCursor(scope: "leads:name", key: 41, id: "lead-7").encoded()
        var bytes = Array(good.utf8)
        bytes[5] = bytes[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let edited = String(decoding: bytes, as: UTF8.self)
        let candidates = ["", "!!!", "abc", "eyJrIjoxfQ", String(good.dropLast(3)), edited, good + "A"]
        for candidate in candidates {
            #expect(throws: APIError.self, "\(candidate)") {
                try PageCursor<Int>.decode(query: candidate, scope: "leads:name")
            }
        }
        #expect(throws: APIError.self) { try PageCursor<Int>.decode(query: good, scope: "leads:updatedAt") }
        #expect(throws: APIError.self) { try PageCursor<String>.decode(query: good, scope: "leads:name") }
        do {
            _ = try PageCursor<Int>.decode(query: "garbage", scope: "leads:name")
        } catch let error as APIError {
            #expect(error.status == .badRequest)
            #expect(error.errors.first?.field == "cursor")
        }
    }

    @Test("limit defaults to 50, accepts 1…200, 400 for non-integers, 422 out of range")
    func limits() throws {
        #expect(try PageLimit.parse(query: nil).value == 50)
        #expect(try PageLimit.parse(query: "1").value == 1)
        #expect(try PageLimit.parse(query: "200").value == 200)
        for (raw, status) in [("0", 422), ("201", 422), ("-1", 422), ("ten", 400), ("", 400), ("1.5", 400)] {
            do {
                _ = try PageLimit.parse(query: raw)
                Issue.record("\(raw) accepted")
            } catch let error as APIError {
                #expect(error.status.code == status, "\(raw)")
                #expect(error.errors.first?.field == "limit")
            }
        }
    }

    @Test("through a route: limit and cursor problems come back as problem+json")
    func throughRoute() async throws {
        let app = makeTestApplication { routes in
            routes.get("/v1/items") { request, _ in
                let limit = try PageLimit.parse(query: request.uri.queryParameters["limit"].map(String.init))
                let cursor = try PageCursor<Int>.decode(
                    query: request.uri.queryParameters["cursor"].map(String.init), scope: "items")
                return "\(limit.value) after \(cursor?.key ?? 0)"
            }
        }
        let cursor = PageCursor(scope: "items", key: 9, id: "x").encoded()
        try await app.test(.router) { client in
            let auth = Fixtures.bearer(Fixtures.adminToken)
            try await client.execute(uri: "/v1/items?limit=10&cursor=\(cursor)", method: .get, headers: auth) {
                #expect($0.text == "10 after 9")
            }
            try await client.execute(uri: "/v1/items?limit=500", method: .get, headers: auth) {
                #expect($0.status == .unprocessableContent)
            }
            try await client.execute(uri: "/v1/items?cursor=zzz", method: .get, headers: auth) { response in
                #expect(response.status == .badRequest)
                let value11 = try response.firstErrorField()
                #expect(value11 == "cursor")
            }
        }
    }
}
