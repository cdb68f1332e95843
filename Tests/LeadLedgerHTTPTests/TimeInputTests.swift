import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Times the API accepts: one parser, years 0001-9999, dates alone, a problem naming the field")
struct TimeInputTests {
    static let extremes = ["294248-01-01T00:00:00Z", "294247-01-09T12:00:00Z", "0000-01-01T00:00:00Z"]

    @Test("extreme dates in every time query parameter answer 400 outOfRange naming it, and the server goes on")
    func extremeQueryTimes() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let routes: [(String, String)] = [
                ("/v1/leads", "createdFrom"), ("/v1/leads", "createdTo"), ("/v1/leads", "updatedFrom"),
                ("/v1/leads", "updatedTo"), ("/v1/reports/funnel", "from"), ("/v1/reports/funnel", "to"),
                ("/v1/reports/managers", "to"), ("/v1/admins/\(fixture.adminId.uuidString)/actions/today", "now"),
                ("/v1/leads/\(lead)", "asOf"), ("/v1/leads/\(lead)/history", "asOf"),
            ]
            for (path, name) in routes {
                for value in Self.extremes {
                    let response = try await client.send(.get, "\(path)?\(name)=\(value)", token: token)
                    #expect(response.status == .badRequest, "\(path) \(name)=\(value)")
                    #expect(try response.problemFields() == [name], "\(path) \(name)")
                    #expect(try (response.json()["errors"] as? [[String: Any]])?.first?["code"] as? String == "outOfRange")
                }
            }
            #expect(try await client.send(.get, "/v1/leads", token: token).status == .ok)
        }
    }

    @Test("impossible dates and offsets are a 400 invalidDate; date-only values are accepted wherever a time is")
    func impossibleAndDateOnly() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            for value in ["2026-02-30", "2026-11-23T10:00:00+99:00", "soon"] {
                let response = try await client.send(.get, "/v1/leads?createdFrom=\(value)", token: token)
                #expect(response.status == .badRequest, "\(value)")
                #expect(try (response.json()["errors"] as? [[String: Any]])?.first?["code"] as? String == "invalidDate")
            }
            _ = try await client.createLead(token: token)  // created 2026-11-23 (the fixture's clock)
            let sameDay = try await client.send(
                .get, "/v1/leads?createdFrom=2026-11-23&createdTo=2026-11-23&count=true", token: token)
            #expect(sameDay.status == .ok)
            #expect(try sameDay.json()["total"] as? Int == 1)
            let dayBefore = try await client.send(.get, "/v1/leads?createdTo=2026-11-22&count=true", token: token)
            #expect(try dayBefore.json()["total"] as? Int == 0)
            let report = try await client.send(.get, "/v1/reports/funnel?from=2026-11-23&to=2026-11-23", token: token)
            #expect(report.status == .ok)
            #expect(try report.json()["created"] as? Int == 1)
            let today = "/v1/admins/\(fixture.adminId.uuidString)/actions/today?now=2026-11-23"
            #expect(try await client.send(.get, today, token: token).status == .ok)
        }
    }

    @Test("extreme and impossible times in bodies (until, plannedAt, due, expiresAt) are a 422 naming the field")
    func bodyTimes() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let head = fixture.head
            let bodies: [(String, String, String)] = [
                ("/v1/leads/\(lead)/pause", "until", #"{"until":"%@"}"#),
                ("/v1/leads/\(lead)/actions", "plannedAt", #"{"text":"Call","actionType":"call","plannedAt":"%@"}"#),
                ("/v1/leads/\(lead)/tasks", "due", #"{"taskType":"contact-client","description":"Call back","due":"%@"}"#),
                ("/v1/admins/\(fixture.adminId.uuidString)/tokens", "expiresAt", #"{"label":"x","expiresAt":"%@"}"#),
            ]
            for (path, field, template) in bodies {
                for value in Self.extremes + ["2026-02-30T00:00:00Z"] {
                    let json = template.replacingOccurrences(of: "%@", with: value)
                    let response = try await client.send(.post, path, token: token, json: json)
                    #expect(response.status == .unprocessableContent, "\(path) \(value): \(response.bodyText)")
                    #expect(try response.problemFields() == [field], "\(path)")
                }
            }
            #expect(fixture.head == head)
            let paused = try await client.send(.post, "/v1/leads/\(lead)/pause", token: token, json: #"{"until":"2027-01-15"}"#)
            #expect(paused.status == .ok)
            #expect(try paused.json()["pausedUntil"] as? String == "2027-01-15T00:00:00Z")
            let task = try await client.send(
                .post, "/v1/leads/\(lead)/tasks", token: token,
                json: #"{"taskType":"contact-client","description":"Call back","due":"2026-11-30"}"#)
            #expect(task.status == .created)
            #expect(task.bodyText.contains("2026-11-30T23:59:59.999999Z"))
        }
    }
}
