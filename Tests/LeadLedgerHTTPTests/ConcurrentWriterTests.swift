import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Writes without If-Match to a busy lead succeed: the command is decided again until it appends")
struct ConcurrentWriterTests {
    @Test("64 concurrent writers on one lead over a live socket (PATCHes, notes, tags) all succeed, each once")
    func sixtyFourWriters() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 0..<64 {
                    group.addTask {
                        switch n % 3 {
                        case 0:
                            try await client.send(.patch, "/v1/leads/\(lead)", token: token, json: #"{"comment":"edit \#(n)"}"#).status
                        case 1:
                            try await client.send(.post, "/v1/leads/\(lead)/notes", token: token, json: #"{"text":"note \#(n)"}"#).status
                        default:
                            try await client.send(.put, "/v1/leads/\(lead)/tags/t\(n)", token: token).status
                        }
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .conflict }.isEmpty)
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .created }, "\(statuses)")
            let card = try await client.send(.get, "/v1/leads/\(lead)", token: token).json()
            #expect((card["notes"] as? [Any])?.count == 21)
            #expect((card["tags"] as? [Any])?.count == 21)
            // One create, 21 notes, 21 tags and 22 comment edits (each edit changes the comment).
            #expect(fixture.ledger.log.head >= 1 + 21 + 21 + 1)
        }
    }
}
