import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("Lead commands over HTTP")
struct LeadCommandRouteTests {
    @Test("creating a lead answers 201 with the lead, its ETag, Location and log position")
    func create() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let response = try await client.send(
                .post, "/v1/leads", token: fixture.adminToken,
                json: #"{"fullName":"Ona Onaitė","phones":["+370 600 12345"],"tags":["vip"]}"#)
            #expect(response.status == .created)
            let lead = try response.json()
            let id = try #require(lead["id"] as? String)
            #expect(lead["fullName"] as? String == "Ona Onaitė")
            #expect(lead["step"] as? String == "new")
            #expect(lead["createdBy"] as? String == fixture.adminId.uuidString.lowercased())
            #expect(response.headers[.eTag] == "\"v1\"")
            #expect(response.headers[.location] == "/v1/leads/\(id)")
            #expect(response.headers[.logPosition] == String(fixture.head))
        }
    }

    @Test("a command with a stale If-Match gets 412 and appends nothing; the current one succeeds")
    func ifMatch() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let id = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let head = fixture.head
            let stale = try await client.send(
                .patch, "/v1/leads/\(id)", token: fixture.adminToken, json: #"{"company":"UAB Stale"}"#,
                headers: [.ifMatch: "\"v7\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.headers[.eTag] == "\"v1\"")
            #expect(try stale.problemCode() == "versionMismatch")
            #expect(fixture.head == head)
            let fresh = try await client.send(
                .patch, "/v1/leads/\(id)", token: fixture.adminToken, json: #"{"company":"UAB Fresh"}"#,
                headers: [.ifMatch: "\"v1\""])
            #expect(fresh.status == .ok)
            #expect(fresh.headers[.eTag] == "\"v2\"")
            #expect(try fresh.json()["company"] as? String == "UAB Fresh")
        }
    }

    @Test("a retried create with the same Idempotency-Key gets the same answer and appends nothing")
    func idempotentCreate() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let key: HTTPFields = [.idempotencyKey: "create-ona-1"]
            let body = #"{"fullName":"Ona Onaitė"}"#
            let first = try await client.send(.post, "/v1/leads", token: fixture.adminToken, json: body, headers: key)
            #expect(first.status == .created)
            let head = fixture.head
            let retry = try await client.send(.post, "/v1/leads", token: fixture.adminToken, json: body, headers: key)
            #expect(retry.status == .created)
            #expect(retry.bodyText == first.bodyText)
            #expect(retry.headers[.eTag] == first.headers[.eTag])
            #expect(retry.headers[.logPosition] == first.headers[.logPosition])
            #expect(fixture.head == head)
            let other = try await client.send(
                .post, "/v1/leads", token: fixture.adminToken, json: body, headers: [.idempotencyKey: "create-ona-2"])
            #expect(try other.json()["id"] as? String != (try first.json()["id"] as? String))
        }
    }

    @Test("a retried note with the same Idempotency-Key is stored once")
    func idempotentNote() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let id = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let key: HTTPFields = [.idempotencyKey: "note-1"]
            let first = try await client.send(
                .post, "/v1/leads/\(id)/notes", token: fixture.adminToken, json: #"{"text":"Called"}"#, headers: key)
            #expect(first.status == .created)
            let head = fixture.head
            let retry = try await client.send(
                .post, "/v1/leads/\(id)/notes", token: fixture.adminToken, json: #"{"text":"Called"}"#, headers: key)
            #expect(retry.bodyText == first.bodyText)
            #expect(fixture.head == head)
            #expect((try retry.json()["notes"] as? [Any])?.count == 1)
        }
    }

    @Test("invalid input gets 422 naming every failing field, and appends nothing")
    func validation() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let head = fixture.head
            let response = try await client.send(
                .post, "/v1/leads", token: fixture.adminToken,
                json: #"{"fullName":"","emails":["not-an-email"],"step":"nowhere"}"#)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try response.problemCode() == "validationFailed")
            let fields = try response.problemFields()
            #expect(fields.contains("fullName"))
            #expect(fields.contains { $0.hasPrefix("emails") })
            #expect(fields.contains("step"))
            #expect(fixture.head == head)
        }
    }

    @Test("malformed JSON is 400 naming the body; a wrong type names the field")
    func malformed() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let head = fixture.head
            let broken = try await client.send(.post, "/v1/leads", token: fixture.adminToken, json: #"{"fullName":"#)
            #expect(broken.status == .badRequest)
            let wrongType = try await client.send(.post, "/v1/leads", token: fixture.adminToken, json: #"{"fullName":42}"#)
            #expect(wrongType.status == .badRequest)
            #expect(try wrongType.problemFields() == ["fullName"])
            #expect(fixture.head == head)
        }
    }

    @Test("an unknown lead is 404; a malformed id is 400 naming it")
    func unknownLead() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let missing = try await client.send(
                .post, "/v1/leads/\(UUID().uuidString.lowercased())/step", token: fixture.adminToken,
                json: #"{"step":"contacted"}"#)
            #expect(missing.status == .notFound)
            #expect(try missing.problemCode() == "leadNotFound")
            let bad = try await client.send(.post, "/v1/leads/nope/resume", token: fixture.adminToken)
            #expect(bad.status == .badRequest)
            #expect(try bad.problemFields() == ["id"])
        }
    }

    @Test("a deleted lead refuses commands with 409 leadDeleted until restored")
    func deletedLead() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let id = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let deleted = try await client.send(.delete, "/v1/leads/\(id)?reason=duplicate", token: fixture.adminToken)
            #expect(deleted.status == .ok)
            #expect(try deleted.json()["deleted"] as? Bool == true)
            let head = fixture.head
            let refused = try await client.send(
                .post, "/v1/leads/\(id)/step", token: fixture.adminToken, json: #"{"step":"contacted"}"#)
            #expect(refused.status == .conflict)
            #expect(try refused.problemCode() == "leadDeleted")
            #expect(fixture.head == head)
            let restored = try await client.send(.post, "/v1/leads/\(id)/restore", token: fixture.adminToken)
            #expect(restored.status == .ok)
            #expect(try restored.json()["deleted"] as? Bool == false)
        }
    }

    @Test("a body over the limit is 413; a wrong method is 405 with Allow")
    func limitsAndMethods() async throws {
        try await LedgerFixture.withApp(maxBodySize: 256) { client, fixture in
            let big = "{\"fullName\":\"" + String(repeating: "x", count: 1_000) + "\"}"
            let head = fixture.head
            let tooLarge = try await client.send(.post, "/v1/leads", token: fixture.adminToken, json: big)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(fixture.head == head)
            let wrong = try await client.send(.put, "/v1/leads", token: fixture.adminToken, json: "{}")
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow]?.contains("POST") == true)
        }
    }

    @Test("the lead's life through every command route")
    func everyCommand() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let admin = fixture.adminId.uuidString.lowercased()
            let id = try await client.createLead(token: token)["id"] as! String
            let source = try await client.createLead(#"{"fullName":"Jonas J","company":"UAB J"}"#, token: token)["id"] as! String
            func ok(_ method: HTTPRequest.Method, _ path: String, _ json: String? = nil, _ status: HTTPResponse.Status = .ok)
                async throws -> [String: Any]
            {
                let response = try await client.send(method, "/v1/leads/\(id)\(path)", token: token, json: json)
                #expect(response.status == status, "\(method) \(path): \(response.bodyText)")
                return try response.json()
            }
            #expect(try await ok(.post, "/step", #"{"step":"contacted"}"#)["step"] as? String == "contacted")
            #expect(try await ok(.put, "/tags/hot")["tags"] as? [String] == ["hot"])
            #expect(try await ok(.delete, "/tags/hot")["tags"] as? [String] == [])
            #expect(try await ok(.put, "/watchers/\(admin)")["watchers"] as? [String] == [admin])
            #expect(try await ok(.delete, "/watchers/\(admin)")["watchers"] as? [String] == [])
            #expect(try await ok(.post, "/assign", #"{"responsible":"\#(admin)"}"#)["responsible"] as? String == admin)
            let withAction = try await ok(.post, "/actions", #"{"text":"Call back","actionType":"call"}"#, .created)
            let actionId = try #require((withAction["actions"] as? [[String: Any]])?.first?["id"] as? String)
            #expect((try await ok(.post, "/actions/\(actionId)/pin")["actions"] as? [[String: Any]])?.first?["pinned"] as? Bool == true)
            #expect((try await ok(.delete, "/actions/\(actionId)/pin")["actions"] as? [[String: Any]])?.first?["pinned"] as? Bool == false)
            #expect((try await ok(.post, "/actions/\(actionId)/complete")["actions"] as? [[String: Any]])?.first?["completed"] as? Bool == true)
            let withTask = try await ok(
                .post, "/tasks", #"{"taskType":"meeting","description":"Visit","due":"2026-12-01T09:00:00Z"}"#, .created)
            let taskId = try #require((withTask["tasks"] as? [[String: Any]])?.first?["id"] as? String)
            #expect((try await ok(.post, "/tasks/\(taskId)/close")["tasks"] as? [[String: Any]])?.first?["closed"] as? Bool == true)
            #expect(try await ok(.post, "/pause", #"{"until":"2027-01-01T00:00:00Z"}"#)["paused"] as? Bool == true)
            #expect(try await ok(.post, "/resume")["paused"] as? Bool == false)
            #expect(try await ok(.post, "/copy-from", #"{"sourceId":"\#(source)","fields":["company"]}"#)["company"] as? String == "UAB J")
            #expect(try await ok(.post, "/merge", #"{"sourceIds":["\#(source)"]}"#)["mergedFrom"] as? [String] == [source])
            _ = try await ok(.post, "/step", #"{"step":"won"}"#)
            let converted = try await ok(.post, "/convert")
            #expect(converted["converted"] as? Bool == true)
            #expect(converted["linkedCustomer"] is String)
        }
    }
}
