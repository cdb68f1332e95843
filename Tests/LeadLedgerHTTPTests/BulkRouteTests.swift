import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadDomain
import LeadLedgerCore
import Testing

@Suite("Bulk operations: one action on many leads, refusals alone, reach, jobs, revert")
struct BulkRouteTests {
    func bulk(_ client: any TestClientProtocol, _ token: String, _ json: String, key: String? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await client.send(.post, "/v1/bulk-operations", token: token, json: json, headers: headers)
    }

    func lead(_ client: any TestClientProtocol, _ token: String, _ id: String) async throws -> [String: Any] {
        try await client.send(.get, "/v1/leads/\(id)", token: token).json()
    }

    @Test("assign and tag explicit ids: applied, unchanged, a deleted lead and an unknown id refused alone; one correlation id")
    func explicitIds() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            var ids: [String] = []
            for name in ["Ona", "Jonas", "Rūta"] {
                ids.append(try await client.createLead(#"{"fullName":"\#(name)"}"#, token: token)["id"] as! String)
            }
            #expect(try await client.send(.delete, "/v1/leads/\(ids[2])", token: token).status == .ok)
            let manager = try await client.createManager(token: token)
            let unknown = "00000000-0000-4000-8000-00000000dead"
            let assigned = try await bulk(
                client, token,
                #"{"ids":["\#(ids[0])","\#(ids[1])","\#(ids[2])","\#(unknown)"],"operation":{"kind":"assign","responsible":"\#(manager.id)"}}"#)
            #expect(assigned.status == .ok, "\(assigned.bodyText)")
            let report = try assigned.json()
            #expect(report["state"] as? String == "completed" && report["leads"] as? Int == 4)
            #expect(report["applied"] as? Int == 2 && report["refused"] as? Int == 2)
            let refusals = try #require(report["refusals"] as? [[String: Any]])
            #expect(Set(refusals.compactMap { $0["leadId"] as? String }) == [ids[2], unknown])
            #expect(try await lead(client, token, ids[0])["responsible"] as? String == manager.id)

            // The same again: nothing to change.
            let again = try await bulk(
                client, token, #"{"ids":["\#(ids[0])","\#(ids[1])"],"operation":{"kind":"assign","responsible":"\#(manager.id)"}}"#)
            #expect(try again.json()["unchanged"] as? Int == 2)

            // Every lead event of the first operation carries its id as correlation id.
            let bulkId = try #require(report["id"] as? String)
            var correlated = 0
            try fixture.ledger.log.forEach { recorded in
                if recorded.metadata.correlationId?.uuidString.lowercased() == bulkId, recorded.streamId.hasPrefix("lead-") { correlated += 1 }
                return true
            }
            #expect(correlated == 2)
            let fetched = try await client.send(.get, "/v1/bulk-operations/\(bulkId)", token: token)
            #expect(try fetched.json()["applied"] as? Int == 2)
        }
    }

    @Test("a filter selects at one position; a manager takes only the leads they reach; revert sets back what it changed")
    func filterReachAndRevert() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let manager = try await client.createManager(token: token)
            let mine = try await client.createLead(#"{"fullName":"Mine","responsible":"\#(manager.id)","tags":["old"]}"#, token: token)
            let theirs = try await client.createLead(#"{"fullName":"Theirs","tags":["old"]}"#, token: token)
            let mineId = mine["id"] as! String
            let theirsId = theirs["id"] as! String

            let tagged = try await bulk(client, manager.token, #"{"filter":"tag=old","operation":{"kind":"tag","tags":["vip","old"]}}"#)
            #expect(tagged.status == .ok, "\(tagged.bodyText)")
            let taggedReport = try tagged.json()
            #expect(taggedReport["leads"] as? Int == 1 && taggedReport["applied"] as? Int == 1)
            #expect(try await lead(client, token, mineId)["tags"] as? [String] == ["old", "vip"])
            #expect(try await lead(client, token, theirsId)["tags"] as? [String] == ["old"])
            // An explicit id the manager cannot reach is refused like an unknown one.
            let reach = try await bulk(client, manager.token, #"{"ids":["\#(theirsId)"],"operation":{"kind":"tag","tags":["x"]}}"#)
            let reachRefusals = try reach.json()["refusals"] as? [[String: Any]]
            #expect(reachRefusals?.first?["code"] as? String == "notFound")

            let fields = try await bulk(
                client, token, #"{"filter":"q=mine","operation":{"kind":"setFields","fields":{"company":"UAB Rasa","priority":"high"}}}"#)
            #expect(try fields.json()["applied"] as? Int == 1, "\(fields.bodyText)")
            #expect(try await lead(client, token, mineId)["company"] as? String == "UAB Rasa")
            let fieldsId = try #require(try fields.json()["id"] as? String)
            let reverted = try await client.send(.post, "/v1/bulk-operations/\(fieldsId)/revert", token: token)
            #expect(reverted.status == .ok, "\(reverted.bodyText)")
            #expect(try (reverted.json()["revert"] as? [String: Any])?["reverted"] as? Int == 1)
            let back = try await lead(client, token, mineId)
            #expect(back["company"] == nil && back["priority"] as? String == "normal")
            let twice = try await client.send(.post, "/v1/bulk-operations/\(fieldsId)/revert", token: token)
            #expect(try (twice.json()["revert"] as? [String: Any])?["reverted"] as? Int == 1)
        }
    }

    @Test("delete needs leads.delete; delete with a reason, then revert restores; a task is added once per lead")
    func deleteRestoreAndTasks() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let id = try await client.createLead(#"{"fullName":"Vaida"}"#, token: token)["id"] as! String
            let manager = try await client.createManager(token: token, permissions: ["leads.read.all"])
            let forbidden = try await bulk(client, manager.token, #"{"ids":["\#(id)"],"operation":{"kind":"delete"}}"#)
            #expect(forbidden.status == .forbidden)

            let task = try await bulk(
                client, token,
                #"{"ids":["\#(id)"],"operation":{"kind":"addTask","task":{"taskType":"contact-client","description":"Call back","due":"2026-12-20"}}}"#,
                key: "task-1")
            #expect(try task.json()["applied"] as? Int == 1, "\(task.bodyText)")
            let repeated = try await bulk(
                client, token,
                #"{"ids":["\#(id)"],"operation":{"kind":"addTask","task":{"taskType":"contact-client","description":"Call back","due":"2026-12-20"}}}"#,
                key: "task-1")
            #expect(try repeated.json()["id"] as? String == task.json()["id"] as? String)
            #expect((try await lead(client, token, id)["tasks"] as? [Any])?.count == 1)

            let deleted = try await bulk(client, token, #"{"ids":["\#(id)"],"operation":{"kind":"delete","reason":"spam"}}"#)
            #expect(try deleted.json()["applied"] as? Int == 1)
            #expect(try await lead(client, token, id)["deleted"] as? Bool == true)
            let deleteId = try #require(try deleted.json()["id"] as? String)
            // Undoing a delete is a restore: a manager without leads.restore may not.
            #expect(try await client.send(.post, "/v1/bulk-operations/\(deleteId)/revert", token: manager.token).status == .forbidden)
            let restored = try await client.send(.post, "/v1/bulk-operations/\(deleteId)/revert", token: token)
            #expect(restored.status == .ok)
            #expect(try await lead(client, token, id)["deleted"] as? Bool == false)
        }
    }

    @Test("bad requests name the field and append nothing")
    func refused() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let id = try await client.createLead(token: token)["id"] as! String
            let head = fixture.head
            func problem(_ json: String) async throws -> (HTTPResponse.Status, String?) {
                let response = try await bulk(client, token, json)
                let body = try? response.json()
                let field = (body?["errors"] as? [[String: Any]])?.first?["field"] as? String
                return (response.status, field)
            }
            #expect(try await problem(#"{"ids":[],"operation":{"kind":"resume"}}"#) == (.unprocessableContent, "ids"))
            #expect(try await problem(#"{"ids":["\#(id)"],"filter":"step=new","operation":{"kind":"resume"}}"#).0 == .unprocessableContent)
            #expect(try await problem(#"{"filter":"sort=name","operation":{"kind":"resume"}}"#) == (.badRequest, "filter"))
            #expect(try await problem(#"{"filter":"step=nowhere-at-all","operation":{"kind":"resume"}}"#) == (.unprocessableContent, "filter"))
            #expect(try await problem(#"{"ids":["\#(id)"],"operation":{"kind":"markStep","step":"nope"}}"#) == (.unprocessableContent, "operation.step"))
            #expect(try await problem(#"{"ids":["\#(id)"],"operation":{"kind":"markStep"}}"#) == (.unprocessableContent, "operation.step"))
            #expect(try await problem(#"{"ids":["\#(id)"],"operation":{"kind":"resume","step":"new"}}"#) == (.unprocessableContent, "operation.step"))
            #expect(try await problem(#"{"ids":["\#(id)"],"operation":{"kind":"pause","until":"2020-01-01"}}"#) == (.unprocessableContent, "operation.until"))
            #expect(try await problem(#"{"ids":["\#(id)"],"operation":{"kind":"setFields","fields":{"customFields.nope":"1"}}}"#).0 == .unprocessableContent)
            #expect(try await problem(#"{"ids":["\#(id)"],"operation":{"kind":"assign","responsible":"00000000-0000-4000-8000-000000000999"}}"#)
                == (.unprocessableContent, "operation.responsible"))
            let many = (0...Ledger.maxBulkIds).map { _ in "\"\(UUID().uuidString.lowercased())\"" }.joined(separator: ",")
            #expect(try await problem(#"{"ids":[\#(many)],"operation":{"kind":"resume"}}"#) == (.unprocessableContent, "ids"))
            #expect(fixture.head == head)
        }
    }

    @Test("more than 1,000 leads run as a job: 202 with Location, progress, then completed")
    func job() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            // 1,200 leads in one batch through the ledger (HTTP creates would take the test's time, not the feature's).
            let actor = fixture.adminId
            let items = (0..<1_200).map { index in
                let leadId = Ledger.sequentialId(actor: actor, key: "bulk-test", sequence: UInt32(index))
                return LeadBatchItem(leadId: leadId, eventKey: "bulk-test", sequence: UInt32(index)) { _ in
                    [.create(leadId: leadId, LeadInput(fullName: "Lead \(index)", source: "manual"))]
                }
            }
            var done = 0
            while done < items.count {
                let (outcomes, position) = try await fixture.ledger.executeBatch(items[done...], actor: actor, correlationId: UUID())
                done += outcomes.count
                if let position { try await fixture.ledger.waitUntilApplied(position) }
            }
            let manager = try await client.createManager(token: token)
            let started = try await bulk(client, token, #"{"filter":"step=new","operation":{"kind":"assign","responsible":"\#(manager.id)"}}"#)
            #expect(started.status == .accepted, "\(started.bodyText)")
            #expect(try started.json()["leads"] as? Int == 1_200, "the 202 already counts the set")
            let location = try #require(started.headers[.location])
            var report: [String: Any] = [:]
            for _ in 0..<200 {
                report = try await client.send(.get, location, token: token).json()
                if report["state"] as? String == "completed" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(report["state"] as? String == "completed" && report["applied"] as? Int == 1_200 && report["done"] as? Int == 1_200)
            let page = try await client.send(.get, "/v1/leads?responsible=\(manager.id)&count=true&limit=1", token: token).json()
            #expect(page["total"] as? Int == 1_200)
            let listed = try await client.send(.get, "/v1/bulk-operations", token: token).json()["items"] as? [[String: Any]]
            #expect(listed?.first?["id"] as? String == report["id"] as? String)
        }
    }
}
