import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Tasks over HTTP, and the full lead filter set")
struct TaskRouteTests {
    static func ids(_ response: TestResponse, _ key: String = "id") throws -> [String] {
        ((try response.json()["items"] as? [[String: Any]]) ?? []).compactMap { $0[key] as? String }
    }

    static func taskIds(_ response: TestResponse) throws -> [String] {
        ((try response.json()["items"] as? [[String: Any]]) ?? []).compactMap { ($0["task"] as? [String: Any])?["id"] as? String }
    }

    @Test("a task is edited, reassigned, closed, reopened and deleted; GET /v1/tasks lists mine, overdue and closed ones")
    func followUp() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let admin = fixture.adminId.uuidString.lowercased()
            let manager = try await client.createManager(token: token)
            let lead = try await client.createLead(token: token)["id"] as! String
            let added = try await client.send(
                .post, "/v1/leads/\(lead)/tasks", token: token,
                json: #"{"taskType":"meeting","description":"Demo","due":"2020-01-01T10:00:00Z"}"#)
            #expect(added.status == .created)
            let task = try #require(((try added.json()["tasks"] as? [[String: Any]])?.first)?["id"] as? String)
            // Overdue and mine (a task without a responsible is its author's).
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?mine=true&due=overdue", token: token)) == [task])
            let edited = try await client.send(
                .patch, "/v1/leads/\(lead)/tasks/\(task)", token: token, json: #"{"description":"Demo, second try","due":null}"#)
            #expect(edited.status == .ok)
            let after = (try edited.json()["tasks"] as? [[String: Any]])?.first
            #expect(after?["description"] as? String == "Demo, second try" && after?["due"] == nil)
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?due=overdue", token: token)).isEmpty)
            let given = try await client.send(
                .put, "/v1/leads/\(lead)/tasks/\(task)/responsible", token: token, json: #"{"responsible":"\#(manager.id)"}"#)
            #expect(given.status == .ok)
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?owner=\(manager.id)", token: token)) == [task])
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?owner=\(admin)", token: token)).isEmpty)
            #expect(try await client.send(.post, "/v1/leads/\(lead)/tasks/\(task)/close", token: token).status == .ok)
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?status=closed", token: token)) == [task])
            #expect(try await client.send(.post, "/v1/leads/\(lead)/tasks/\(task)/reopen", token: token).status == .ok)
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?taskType=meeting,contact-client", token: token)) == [task])
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?taskType=contact-client", token: token)).isEmpty)
            // The manager reaches no lead: the task they own is on a lead out of reach.
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks?mine=true", token: manager.token)).isEmpty)
            let history = try await client.send(.get, "/v1/leads/\(lead)/history", token: token)
            let types = ((try history.json()["items"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String }
            #expect(types.contains("TaskUpdated") && types.contains("TaskReassigned") && types.contains("TaskReopened"))
            #expect(try await client.send(.delete, "/v1/leads/\(lead)/tasks/\(task)", token: token).status == .ok)
            #expect(try Self.taskIds(try await client.send(.get, "/v1/tasks", token: token)).isEmpty)
        }
    }

    @Test("bad task commands and task list queries name the field and append nothing")
    func badInput() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let added = try await client.send(.post, "/v1/leads/\(lead)/tasks", token: token, json: #"{"taskType":"meeting","description":"Demo"}"#)
            let task = try #require(((try added.json()["tasks"] as? [[String: Any]])?.first)?["id"] as? String)
            let head = fixture.head
            let unknownType = try await client.send(.patch, "/v1/leads/\(lead)/tasks/\(task)", token: token, json: #"{"taskType":"juggling"}"#)
            #expect(unknownType.status == .unprocessableContent)
            #expect(try unknownType.problemFields() == ["taskType"])
            let badDue = try await client.send(.patch, "/v1/leads/\(lead)/tasks/\(task)", token: token, json: #"{"due":"tomorrow"}"#)
            #expect(badDue.status == .unprocessableContent)
            #expect(try badDue.problemFields() == ["due"])
            let missing = try await client.send(.post, "/v1/leads/\(lead)/tasks/\(UUID().uuidString)/reopen", token: token)
            #expect(missing.status == .notFound)
            #expect(try missing.problemCode() == "taskNotFound")
            let nobody = try await client.send(
                .put, "/v1/leads/\(lead)/tasks/\(task)/responsible", token: token, json: #"{"responsible":"\#(UUID().uuidString)"}"#)
            #expect(nobody.status == .unprocessableContent)
            #expect(try nobody.problemFields() == ["responsible"])
            let noKey = try await client.send(.put, "/v1/leads/\(lead)/tasks/\(task)/responsible", token: token, json: "{}")
            #expect(noKey.status == .badRequest)
            #expect(fixture.head == head)
            for (query, status, field) in [
                ("status=done", HTTPResponse.Status.badRequest, "status"), ("due=soon", .badRequest, "due"),
                ("due=today&dueFrom=2026-01-01", .unprocessableContent, "due"), ("owner=x", .badRequest, "owner"),
                ("mine=true&owner=\(UUID().uuidString)", .unprocessableContent, "mine"),
                ("dueFrom=2026-02-01&dueTo=2026-01-01", .unprocessableContent, "dueTo"), ("limit=0", .unprocessableContent, "limit"),
                ("taskType=a,,b", .badRequest, "taskType"),
            ] {
                let response = try await client.send(.get, "/v1/tasks?\(query)", token: token)
                #expect(response.status == status, "\(query)")
                #expect((try? response.json()["errors"] as? [[String: Any]])??.first?["field"] as? String == field, "\(query)")
            }
        }
    }

    @Test("lead filters take several values, created/modified by, tasks, deals and custom field ranges; bad values are named")
    func leadFilters() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            _ = try await client.send(.put, "/v1/settings/custom-fields/employees", token: token, json: #"{"name":"Employees","type":"int"}"#)
            _ = try await client.send(.put, "/v1/settings/custom-fields/signed", token: token, json: #"{"name":"Signed","type":"date"}"#)
            _ = try await client.send(.put, "/v1/settings/custom-fields/segment", token: token, json: #"{"name":"Segment","type":"list","options":["smb","mid"]}"#)
            let manager = try await client.createManager(token: token)
            let a = try await client.createLead(#"{"fullName":"A","customFields":{"employees":{"type":"int","value":10},"signed":{"type":"date","value":"2026-03-01"}}}"#, token: token)["id"] as! String
            let b = try await client.createLead(#"{"fullName":"B","customFields":{"employees":{"type":"int","value":500},"segment":{"type":"list","value":"mid"}}}"#, token: token)["id"] as! String
            let c = try await client.createLead(#"{"fullName":"C","responsible":"\#(manager.id)"}"#, token: token)["id"] as! String
            _ = try await client.send(.post, "/v1/leads/\(a)/tasks", token: token, json: #"{"taskType":"meeting","description":"Demo","due":"2020-01-01"}"#)
            _ = try await client.send(.post, "/v1/deals", token: token, json: #"{"name":"Deal","amount":"10","currency":"EUR","leadId":"\#(b)"}"#)
            let admin = fixture.adminId.uuidString.lowercased()
            func list(_ query: String) async throws -> Set<String> {
                let response = try await client.send(.get, "/v1/leads?\(query)", token: token)
                #expect(response.status == .ok, "\(query)")
                return Set(try Self.ids(response))
            }
            #expect(try await list("responsible=\(manager.id),\(admin)") == [c])  // a and b have no responsible
            #expect(try await list("createdBy=\(admin)") == [a, b, c])
            #expect(try await list("updatedBy=\(manager.id)").isEmpty)
            #expect(try await list("hasTasks=true") == [a])
            #expect(try await list("hasOverdueTasks=true") == [a])
            #expect(try await list("hasTasks=false") == [b, c])
            #expect(try await list("hasDeals=true") == [b])
            #expect(try await list("dealStage=qualification,proposal") == [b])
            #expect(try await list("hasDeals=false&hasTasks=false") == [c])
            #expect(try await list("cf.employees.min=100") == [b])
            #expect(try await list("cf.employees.min=5&cf.employees.max=10") == [a])
            #expect(try await list("cf.signed.max=2026-12-31") == [a])
            #expect(try await list("cf.segment=mid") == [b])
            let counted = try await client.send(.get, "/v1/leads?hasTasks=false&count=true", token: token)
            #expect(try counted.json()["total"] as? Int == 2)
            for (query, status, field) in [
                ("hasDeals=maybe", HTTPResponse.Status.badRequest, "hasDeals"), ("dealStage=nope", .unprocessableContent, "dealStage"),
                ("responsible=\(admin),x", .badRequest, "responsible"), ("cf.segment.min=a", .unprocessableContent, "cf.segment.min"),
                ("cf.signed.min=March", .badRequest, "cf.signed.min"), ("cf.employees.max=ten", .badRequest, "cf.employees.max"),
                ("step=" + Array(repeating: "s", count: 51).joined(separator: ","), .unprocessableContent, "step"),
            ] {
                let response = try await client.send(.get, "/v1/leads?\(query)", token: token)
                #expect(response.status == status, "\(query)")
                #expect((try? response.json()["errors"] as? [[String: Any]])??.first?["field"] as? String == field, "\(query)")
            }
        }
    }
}
