import Foundation
import Hummingbird
import HummingbirdTesting
import LeadDomain
import Testing

@Suite("Every list a command carries has a documented maximum, checked before its items")
struct ListLimitTests {
    static func list(_ count: Int, _ item: (Int) -> String) -> String {
        "[" + (0..<count).map { "\"\(item($0))\"" }.joined(separator: ",") + "]"
    }

    // 50,000 tags never finished before lists had limits (8,000 took 7 s); now it is answered in milliseconds.
    // The bound is loose because the suites run in parallel on two cores.
    @Test("a create with 50,000 tags, 50 phones or 50 e-mails is a quick 422 tooMany naming the list, appending nothing")
    func oversizedCreate() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let head = fixture.head
            let cases: [(String, String)] = [
                ("tags", Self.list(50_000) { "tag \($0)" }),
                ("phones", Self.list(50) { "+3706\(String(format: "%07d", $0))" }),
                ("emails", Self.list(50) { "p\($0)@example.lt" }),
            ]
            for (field, value) in cases {
                let started = ContinuousClock.now
                let response = try await client.send(
                    .post, "/v1/leads", token: fixture.adminToken, json: #"{"fullName":"Many","\#(field)":\#(value)}"#)
                #expect(ContinuousClock.now - started < .seconds(20), "\(field)")
                #expect(response.status == .unprocessableContent, "\(field)")
                #expect(try response.problemFields() == [field])
                #expect(try (response.json()["errors"] as? [[String: Any]])?.first?["code"] as? String == "tooMany")
            }
            #expect(fixture.head == head)
        }
    }

    @Test("tags at the maximum are kept once each (case-folded), and a lead at the maximum refuses one more")
    func tagsAtTheMaximum() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let tags = Self.list(CountLimits.tags) { $0 % 2 == 0 ? "Tag \($0 / 2)" : "tag \($0 / 2)" }
            let halfCreated = try await client.createLead(#"{"fullName":"Tagged","tags":\#(tags)}"#, token: token)
            #expect((halfCreated["tags"] as? [String])?.count == CountLimits.tags / 2)
            let full = Self.list(CountLimits.tags) { "t\($0)" }
            let lead = try await client.createLead(#"{"fullName":"Full","tags":\#(full)}"#, token: token)["id"] as! String
            let head = fixture.head
            let more = try await client.send(.put, "/v1/leads/\(lead)/tags/one-more", token: token)
            #expect(more.status == .unprocessableContent)
            #expect(try more.problemFields() == ["tag"])
            #expect(try await client.send(.put, "/v1/leads/\(lead)/tags/t7", token: token).status == .ok)
            #expect(fixture.head == head)
        }
    }

    @Test("a merge of more than the maximum of sources, and a patch of too many custom fields, are refused")
    func mergeAndCustomFields() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let head = fixture.head
            let sources = Self.list(CountLimits.mergeSources + 1) { _ in UUID().uuidString }
            let merge = try await client.send(.post, "/v1/leads/\(lead)/merge", token: token, json: #"{"sourceIds":\#(sources)}"#)
            #expect(merge.status == .unprocessableContent)
            #expect(try merge.problemFields() == ["sources"])
            let fields = (0...CountLimits.customFields).map { "\"f\($0)\":{\"type\":\"string\",\"value\":\"x\"}" }.joined(separator: ",")
            let patch = try await client.send(.patch, "/v1/leads/\(lead)", token: token, json: #"{"customFields":{\#(fields)}}"#)
            #expect(patch.status == .unprocessableContent)
            #expect(try patch.problemFields() == ["customFields"])
            #expect(fixture.head == head)
        }
    }
}
