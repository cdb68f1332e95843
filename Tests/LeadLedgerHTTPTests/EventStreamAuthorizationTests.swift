import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("An open event stream ends when its token stops being valid")
struct EventStreamAuthorizationTests {
    /// Opens the stream as `token` and reads until the response's last chunk (or the socket's time-out).
    static func openStream(port: Int, token: String) async throws -> String {
        let request =
            "GET /v1/events/stream?after=0 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n"
            + "Accept: text/event-stream\r\n\r\n"
        return try await RawSocket.exchange(port: port, send: request) { $0.contains("\r\n0\r\n\r\n") }
    }

    @Test("revoking the token, or disabling its admin, ends a stream that is open", .timeLimit(.minutes(1)))
    func revokedOrDisabled() async throws {
        for ending in ["revoke", "disable"] {
            try await LedgerFixture.withApp(.live) { client, fixture in
                let port = try #require(client.port)
                let reader = try await client.createManager(token: fixture.adminToken, permissions: ["leads.read.all"])
                async let stream = Self.openStream(port: port, token: reader.token)
                try await Task.sleep(for: .milliseconds(300))
                let started = ContinuousClock.now
                if ending == "revoke" {
                    let admin = try await client.send(.get, "/v1/admins/\(reader.id)", token: fixture.adminToken).json()
                    let tokenId = try #require((admin["tokens"] as? [[String: Any]])?.first?["id"] as? String)
                    let revoked = try await client.send(
                        .delete, "/v1/admins/\(reader.id)/tokens/\(tokenId)", token: fixture.adminToken)
                    #expect(revoked.status == .ok)
                } else {
                    let disabled = try await client.send(.post, "/v1/admins/\(reader.id)/disable", token: fixture.adminToken)
                    #expect(disabled.status == .ok)
                }
                _ = try await client.createLead(#"{"fullName":"After The End"}"#, token: fixture.adminToken)
                let received = try await stream
                #expect(received.contains(": stream open"), "\(ending)")
                #expect(received.contains("\r\n0\r\n\r\n"), "\(ending): the stream did not end")
                #expect(ContinuousClock.now - started < .seconds(10), "\(ending)")
                #expect(!received.contains("After The End"), "\(ending)")
            }
        }
    }
}
