import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Reach: every lead a command touches or a read names is within the caller's reach")
struct ReachHardeningTests {
    @Test("copy-from and merge of another manager's lead are a 404 and append nothing; within reach they work")
    func relatedLeads() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let a = try await client.createManager(token: fixture.adminToken, permissions: ["leads.merge"])
            let b = try await client.createManager(token: fixture.adminToken)
            let mine = try await client.createLead(#"{"fullName":"Mine"}"#, token: a.token)["id"] as! String
            let theirs = try await client.createLead(#"{"fullName":"Theirs","phones":["+37061234567"]}"#, token: b.token)["id"] as! String
            let head = fixture.head
            let copy = try await client.send(
                .post, "/v1/leads/\(mine)/copy-from", token: a.token, json: #"{"sourceId":"\#(theirs)","fields":["phones"]}"#)
            #expect(copy.status == .notFound)
            let merge = try await client.send(.post, "/v1/leads/\(mine)/merge", token: a.token, json: #"{"sourceIds":["\#(theirs)"]}"#)
            #expect(merge.status == .notFound)
            #expect(fixture.head == head)
            #expect(!copy.bodyText.contains("37061234567"))
            let other = try await client.createLead(#"{"fullName":"Also mine","phones":["+37069999999"]}"#, token: a.token)["id"] as! String
            let allowed = try await client.send(
                .post, "/v1/leads/\(mine)/copy-from", token: a.token, json: #"{"sourceId":"\#(other)","fields":["phones"]}"#)
            #expect(allowed.status == .ok)
        }
    }

    @Test("actions for today and the paused report name only reachable leads; asOf and history use the lead as it is now")
    func reads() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let a = try await client.createManager(token: fixture.adminToken, permissions: ["reports.read"])
            let b = try await client.createManager(token: fixture.adminToken)
            // A lead of b's on which an action is planned for a; and a lead of a's.
            let theirs = try await client.createLead(#"{"fullName":"Secret Lead"}"#, token: b.token)["id"] as! String
            let mine = try await client.createLead(#"{"fullName":"Open Lead"}"#, token: a.token)["id"] as! String
            for lead in [theirs, mine] {
                let action = try await client.send(
                    .post, "/v1/leads/\(lead)/actions", token: fixture.adminToken,
                    json: #"{"text":"Call","actionType":"call","admin":"\#(a.id)","plannedAt":"2026-11-23T15:00:00Z"}"#)
                #expect(action.status == .created)
                let pause = try await client.send(.post, "/v1/leads/\(lead)/pause", token: fixture.adminToken, json: #"{"until":"2027-01-01"}"#)
                #expect(pause.status == .ok)
            }
            let today = try await client.send(.get, "/v1/admins/\(a.id)/actions/today?now=2026-11-23", token: a.token)
            #expect(today.status == .ok)
            #expect(today.bodyText.contains("Open Lead"))
            #expect(!today.bodyText.contains("Secret Lead"))
            let everyone = try await client.send(.get, "/v1/admins/\(a.id)/actions/today?now=2026-11-23", token: fixture.adminToken)
            #expect(everyone.bodyText.contains("Secret Lead"))
            let paused = try await client.send(.get, "/v1/reports/paused", token: a.token)
            #expect(paused.status == .ok)
            #expect(try paused.json()["count"] as? Int == 1)
            #expect(!paused.bodyText.contains("Secret Lead"))
            #expect(try await client.send(.get, "/v1/reports/paused", token: fixture.adminToken).json()["count"] as? Int == 2)

            // b's lead was a's before: the past does not open it, and a lead given to a opens its past.
            let given = try await client.createLead(#"{"fullName":"Moved"}"#, token: a.token)["id"] as! String
            let position = fixture.head
            let assign = try await client.send(.post, "/v1/leads/\(given)/assign", token: fixture.adminToken, json: #"{"responsible":"\#(b.id)"}"#)
            #expect(assign.status == .ok)
            #expect(try await client.send(.get, "/v1/leads/\(given)?asOf=\(position)", token: a.token).status == .notFound)
            #expect(try await client.send(.get, "/v1/leads/\(given)/history", token: a.token).status == .notFound)
            #expect(try await client.send(.get, "/v1/leads/\(given)?asOf=\(position)", token: b.token).status == .ok)
        }
    }
}

@Suite("Admin ids, the last admin, and copy-from validation")
struct AdminReferenceTests {
    @Test("a made-up or disabled admin as responsible, watcher, action admin or task responsible is a 422 naming the field")
    func unknownAdmins() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let disabled = try await client.createManager(token: token)
            #expect(try await client.send(.post, "/v1/admins/\(disabled.id)/disable", token: token).status == .ok)
            let lead = try await client.createLead(token: token)["id"] as! String
            let head = fixture.head
            for admin in [UUID().uuidString.lowercased(), disabled.id] {
                let requests: [(HTTPRequest.Method, String, String?, String)] = [
                    (.post, "/v1/leads", #"{"fullName":"X","responsible":"\#(admin)"}"#, "responsible"),
                    (.post, "/v1/leads/\(lead)/assign", #"{"responsible":"\#(admin)"}"#, "responsible"),
                    (.put, "/v1/leads/\(lead)/watchers/\(admin)", nil, "watcher"),
                    (.post, "/v1/leads/\(lead)/actions", #"{"text":"Call","actionType":"call","admin":"\#(admin)"}"#, "admin"),
                    (.post, "/v1/leads/\(lead)/tasks", #"{"taskType":"meeting","description":"Meet","responsible":"\#(admin)"}"#, "responsible"),
                ]
                for (method, path, json, field) in requests {
                    let response = try await client.send(method, path, token: token, json: json)
                    #expect(response.status == .unprocessableContent, "\(path): \(response.bodyText)")
                    #expect(try response.problemFields() == [field], "\(path)")
                }
            }
            #expect(fixture.head == head)
            let report = try await client.send(.get, "/v1/reports/managers", token: token)
            #expect(try (report.json()["items"] as? [[String: Any]])?.count ?? 0 <= 2)
        }
    }

    @Test("an admin cannot disable themselves or the last admin manager; a required responsible cannot be cleared")
    func lastAdminAndRequiredResponsible() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let me = fixture.adminId.uuidString.lowercased()
            let head = fixture.head
            let selfDisable = try await client.send(.post, "/v1/admins/\(me)/disable", token: token)
            #expect(selfDisable.status == .conflict)
            #expect(try selfDisable.problemCode() == "invalidAdminChange")
            // The first admin holds every permission besides its role: as a manager it still manages admins,
            // but without the permission nobody would.
            let demote = try await client.send(.put, "/v1/admins/\(me)/role", token: token, json: #"{"role":"manager"}"#)
            #expect(demote.status == .ok, "\(demote.bodyText)")
            let afterDemotion = fixture.head
            let strip = try await client.send(.put, "/v1/admins/\(me)/permissions", token: token, json: #"{"permissions":[]}"#)
            #expect(strip.status == .conflict, "\(strip.bodyText)")
            #expect(fixture.head == afterDemotion)
            #expect(afterDemotion == head + 1)

            let required = try await client.send(
                .put, "/v1/settings/required-fields", token: token, json: #"{"fields":["responsible"]}"#)
            #expect(required.status == .ok, "\(required.bodyText)")
            let lead = try await client.createLead(#"{"fullName":"Owned","responsible":"\#(me)"}"#, token: token)["id"] as! String
            let before = fixture.head
            let clear = try await client.send(.post, "/v1/leads/\(lead)/assign", token: token, json: #"{"responsible":null}"#)
            #expect(clear.status == .unprocessableContent)
            #expect(try clear.problemFields() == ["responsible"])
            #expect(fixture.head == before)
        }
    }

    @Test("copy-from refuses a merged source and a retired source value, appending nothing")
    func copyValidation() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let target = try await client.createLead(#"{"fullName":"Target"}"#, token: token)["id"] as! String
            let source = try await client.createLead(#"{"fullName":"Source","source":"referral"}"#, token: token)["id"] as! String
            let survivor = try await client.createLead(#"{"fullName":"Survivor"}"#, token: token)["id"] as! String
            let merged = try await client.createLead(#"{"fullName":"Merged","company":"Hidden UAB"}"#, token: token)["id"] as! String
            #expect(try await client.send(.post, "/v1/leads/\(survivor)/merge", token: token, json: #"{"sourceIds":["\#(merged)"]}"#).status == .ok)
            #expect(try await client.send(.delete, "/v1/settings/sources/referral", token: token).status == .ok)
            let head = fixture.head
            let fromMerged = try await client.send(
                .post, "/v1/leads/\(target)/copy-from", token: token, json: #"{"sourceId":"\#(merged)","fields":["company"]}"#)
            #expect(fromMerged.status == .conflict)
            #expect(try fromMerged.problemCode() == "leadMerged")
            let retired = try await client.send(
                .post, "/v1/leads/\(target)/copy-from", token: token, json: #"{"sourceId":"\#(source)","fields":["source"]}"#)
            #expect(retired.status == .unprocessableContent)
            #expect(try retired.problemFields() == ["source"])
            #expect(fixture.head == head)
        }
    }
}
