import Foundation
import Hummingbird
import HummingbirdTesting
import LeadDomain
import LeadLedgerCore
@testable import LeadLedgerHTTP
import Testing

@Suite("Lead queries over HTTP")
struct LeadQueryRouteTests {
    @Test("a lead is read with its ETag; If-None-Match with it gets 304")
    func conditionalGet() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let id = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let first = try await client.send(.get, "/v1/leads/\(id)", token: fixture.adminToken)
            #expect(first.status == .ok)
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.logPosition] != nil)
            let again = try await client.send(.get, "/v1/leads/\(id)", token: fixture.adminToken, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            _ = try await client.send(.post, "/v1/leads/\(id)/step", token: fixture.adminToken, json: #"{"step":"contacted"}"#)
            let changed = try await client.send(.get, "/v1/leads/\(id)", token: fixture.adminToken, headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
        }
    }

    @Test("asOf a position shows the lead as it was then; history lists who did what")
    func asOfAndHistory() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let created = try await client.send(.post, "/v1/leads", token: fixture.adminToken, json: #"{"fullName":"Ona"}"#)
            let id = try created.json()["id"] as! String
            let position = try #require(created.headers[.logPosition])
            _ = try await client.send(.post, "/v1/leads/\(id)/step", token: fixture.adminToken, json: #"{"step":"qualified"}"#)
            let past = try await client.send(.get, "/v1/leads/\(id)?asOf=\(position)", token: fixture.adminToken).json()
            #expect(past["step"] as? String == "new")
            let pastByTime = try await client.send(
                .get, "/v1/leads/\(id)?asOf=2026-11-23T10:00:00Z", token: fixture.adminToken)
            #expect(pastByTime.status == .notFound)
            let now = try await client.send(.get, "/v1/leads/\(id)", token: fixture.adminToken).json()
            #expect(now["step"] as? String == "qualified")
            let bad = try await client.send(.get, "/v1/leads/\(id)?asOf=yesterday", token: fixture.adminToken)
            #expect(bad.status == .badRequest)
            #expect(try bad.problemFields() == ["asOf"])

            let history = try await client.send(.get, "/v1/leads/\(id)/history", token: fixture.adminToken).json()
            let items = try #require(history["items"] as? [[String: Any]])
            #expect(items.map { $0["type"] as? String } == ["LeadCreated", "LeadStepMarked"])
            #expect(items.first?["actor"] as? String == fixture.adminId.uuidString.lowercased())
        }
    }

    @Test("the lead list filters, pages with a cursor, counts, and answers 304 while nothing changed")
    func list() async throws {
        try await LedgerFixture.withApp { client, fixture in
            for index in 0..<5 {
                let lead = try await client.createLead(#"{"fullName":"Lead \#(index)","source":"website"}"#, token: fixture.adminToken)
                if index.isMultiple(of: 2) {
                    _ = try await client.send(
                        .post, "/v1/leads/\(lead["id"] as! String)/step", token: fixture.adminToken, json: #"{"step":"contacted"}"#)
                }
            }
            _ = try await client.createLead(#"{"fullName":"Other"}"#, token: fixture.adminToken)
            let first = try await client.send(
                .get, "/v1/leads?step=contacted&limit=2&count=true&sort=name&order=asc", token: fixture.adminToken)
            #expect(first.status == .ok)
            let page = try first.json()
            #expect((page["items"] as? [[String: Any]])?.compactMap { $0["fullName"] as? String } == ["Lead 0", "Lead 2"])
            #expect(page["total"] as? Int == 3)
            let cursor = try #require(page["nextCursor"] as? String)
            let second = try await client.send(
                .get, "/v1/leads?step=contacted&limit=2&sort=name&order=asc&cursor=\(cursor)", token: fixture.adminToken).json()
            #expect((second["items"] as? [[String: Any]])?.compactMap { $0["fullName"] as? String } == ["Lead 4"])
            #expect(second["nextCursor"] is NSNull)
            #expect(second["total"] == nil)

            let search = try await client.send(.get, "/v1/leads?q=oth", token: fixture.adminToken).json()
            #expect((search["items"] as? [Any])?.count == 1)

            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"p"))
            let cached = try await client.send(
                .get, "/v1/leads?step=contacted&limit=2&count=true&sort=name&order=asc", token: fixture.adminToken,
                headers: [.ifNoneMatch: etag])
            #expect(cached.status == .notModified)
        }
    }

    @Test("bad list parameters are 400 or 422 naming the parameter")
    func badParameters() async throws {
        try await LedgerFixture.withApp { client, fixture in
            for (query, status, field) in [
                ("limit=0", HTTPResponse.Status.unprocessableContent, "limit"),
                ("limit=201", .unprocessableContent, "limit"),
                ("limit=ten", .badRequest, "limit"),
                ("sort=colour", .badRequest, "sort"),
                ("order=up", .badRequest, "order"),
                ("responsible=bob", .badRequest, "responsible"),
                ("count=maybe", .badRequest, "count"),
                ("createdFrom=yesterday", .badRequest, "createdFrom"),
                ("cursor=abc", .badRequest, "cursor"),
                ("status=sleeping", .badRequest, "status"),
            ] {
                let response = try await client.send(.get, "/v1/leads?\(query)", token: fixture.adminToken)
                #expect(response.status == status, "\(query)")
                #expect(try response.problemFields() == [field], "\(query)")
            }
        }
    }
}
