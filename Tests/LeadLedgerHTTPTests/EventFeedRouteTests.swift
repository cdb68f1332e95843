import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("The event feed and its server-sent-events stream")
struct EventFeedRouteTests {
    @Test("the feed pages through the log with each event's JSON form")
    func feed() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let id = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let head = fixture.head
            let page = try await client.send(.get, "/v1/events?after=0&limit=2", token: fixture.adminToken)
            #expect(page.status == .ok)
            #expect(page.headers[.logPosition] == String(head))
            let json = try page.json()
            let items = try #require(json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.map { $0["position"] as? Int } == [1, 2])
            #expect(json["next"] as? Int == 2)
            let first = items[0]
            #expect(first["type"] as? String == "AdminCreated")
            #expect(first["schemaVersion"] as? Int == 1)
            #expect((first["recordedAt"] as? String)?.hasSuffix("Z") == true)
            #expect(first["recordedAtMicros"] as? Int == Int(LedgerFixture.start.rawValue))
            #expect(first["data"] is [String: Any])
            let rest = try await client.send(.get, "/v1/events?after=2", token: fixture.adminToken).json()
            let last = try #require((rest["items"] as? [[String: Any]])?.last)
            #expect(last["streamId"] as? String == "lead-\(id)")
            #expect(last["type"] as? String == "LeadCreated")
            #expect(last["streamVersion"] as? Int == 1)
        }
    }

    @Test("bad feed parameters are named; a manager without leads.read.all gets 403")
    func feedErrors() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let bad = try await client.send(.get, "/v1/events?after=-1", token: fixture.adminToken)
            #expect(bad.status == .badRequest)
            #expect(try bad.problemFields() == ["after"])
            let tooMany = try await client.send(.get, "/v1/events?limit=5000", token: fixture.adminToken)
            #expect(tooMany.status == .unprocessableContent)
            let manager = try await client.createManager(token: fixture.adminToken)
            #expect(try await client.send(.get, "/v1/events", token: manager.token).status == .forbidden)
        }
    }

    @Test("the stream resumes after Last-Event-ID, then delivers new events live")
    func streamResumes() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            _ = try await client.createLead(token: fixture.adminToken)
            let port = try #require(client.port)
            let token = fixture.adminToken
            let request =
                "GET /v1/events/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
                + "Last-Event-ID: 2\r\nAccept: text/event-stream\r\n\r\n"
            async let received = RawSocket.exchange(port: port, send: request) { $0.contains("id: 4\n") }
            try await Task.sleep(for: .milliseconds(300))
            _ = try await client.send(.post, "/v1/leads", token: token, json: #"{"fullName":"Live One"}"#)
            let text = try await received
            #expect(text.hasPrefix("HTTP/1.1 200"))
            #expect(!text.contains("id: 2\n"))
            #expect(text.contains("id: 3\n"))
            #expect(text.contains("id: 4\n"))
            #expect(text.contains("Live One"))
        }
    }
}
