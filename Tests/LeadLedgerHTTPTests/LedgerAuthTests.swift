import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("Authentication, permissions and a manager's reach")
struct LedgerAuthTests {
    @Test("no token, a malformed token and an unknown token all get 401 with a Bearer challenge")
    func unauthenticated() async throws {
        try await LedgerFixture.withApp { client, _ in
            let none = try await client.send(.get, "/v1/leads", token: nil)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try await client.send(.get, "/v1/leads", token: "garbage").status == .unauthorized)
            let unknown = "llt_" + String(repeating: "A", count: 43)
            #expect(try await client.send(.get, "/v1/leads", token: unknown).status == .unauthorized)
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
        }
    }

    @Test("a revoked token and a disabled admin's token get 401")
    func revokedAndDisabled() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let manager = try await client.createManager(token: fixture.adminToken)
            #expect(try await client.send(.get, "/v1/leads", token: manager.token).status == .ok)
            let admin = try await client.send(.get, "/v1/admins/\(manager.id)", token: fixture.adminToken).json()
            let tokenId = try #require((admin["tokens"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(admin["tokens"].map { "\($0)" }?.contains("sha256") == false)
            let revoked = try await client.send(.delete, "/v1/admins/\(manager.id)/tokens/\(tokenId)", token: fixture.adminToken)
            #expect(revoked.status == .ok)
            #expect(try await client.send(.get, "/v1/leads", token: manager.token).status == .unauthorized)

            let second = try await client.createManager(token: fixture.adminToken)
            #expect(try await client.send(.post, "/v1/admins/\(second.id)/disable", token: fixture.adminToken).status == .ok)
            #expect(try await client.send(.get, "/v1/leads", token: second.token).status == .unauthorized)
        }
    }

    @Test("a manager gets 403 for delete, merge and settings, and appends nothing")
    func forbidden() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let manager = try await client.createManager(token: fixture.adminToken)
            let id = try await client.createLead(token: manager.token)["id"] as! String
            let head = fixture.head
            let delete = try await client.send(.delete, "/v1/leads/\(id)", token: manager.token)
            #expect(delete.status == .forbidden)
            #expect(try delete.problemFields() == ["permission"])
            let merge = try await client.send(
                .post, "/v1/leads/\(id)/merge", token: manager.token, json: #"{"sourceIds":["\#(UUID().uuidString)"]}"#)
            #expect(merge.status == .forbidden)
            let settings = try await client.send(
                .post, "/v1/settings/tags", token: manager.token, json: #"{"name":"vip"}"#)
            #expect(settings.status == .forbidden)
            let admins = try await client.send(
                .post, "/v1/admins", token: manager.token, json: #"{"name":"X","role":"admin"}"#)
            #expect(admins.status == .forbidden)
            #expect(fixture.head == head)
        }
    }

    @Test("a manager sees only leads they are responsible for or watch; others are 404 and absent from lists")
    func reach() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let manager = try await client.createManager(token: fixture.adminToken)
            let own = try await client.createLead(#"{"fullName":"Own Lead"}"#, token: manager.token)["id"] as! String
            let foreign = try await client.createLead(#"{"fullName":"Foreign Lead"}"#, token: fixture.adminToken)["id"] as! String
            #expect(try await client.send(.get, "/v1/leads/\(own)", token: manager.token).status == .ok)
            #expect(try await client.send(.get, "/v1/leads/\(foreign)", token: manager.token).status == .notFound)
            let head = fixture.head
            let edit = try await client.send(
                .post, "/v1/leads/\(foreign)/step", token: manager.token, json: #"{"step":"contacted"}"#)
            #expect(edit.status == .notFound)
            #expect(fixture.head == head)
            let list = try await client.send(.get, "/v1/leads?count=true", token: manager.token).json()
            let ids = (list["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == [own])
            #expect(list["total"] as? Int == 1)

            // Watching brings a lead into reach.
            _ = try await client.send(.put, "/v1/leads/\(foreign)/watchers/\(manager.id)", token: fixture.adminToken)
            #expect(try await client.send(.get, "/v1/leads/\(foreign)", token: manager.token).status == .ok)
        }
    }

    @Test("every event records the token's admin as its actor")
    func actor() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let manager = try await client.createManager(token: fixture.adminToken)
            let id = try await client.createLead(token: manager.token)["id"] as! String
            let events = try await client.send(.get, "/v1/events?after=0&limit=1000", token: fixture.adminToken).json()
            let items = try #require(events["items"] as? [[String: Any]])
            let created = try #require(items.first { $0["streamId"] as? String == "lead-\(id)" })
            #expect(created["actor"] as? String == manager.id)
        }
    }
}
