import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Mailings over HTTP: relay settings, permission, reach, validation, pause on an unreachable relay")
struct MailingRouteTests {
    static let template = #"{"name":"Offer","subject":"{{fullName}}, an offer","text":"Hello {{fullName}}"}"#

    /// A free loopback port nothing listens on.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("the relay is a setting with defaults; secrets are named, never stored; bad values are 422s naming the field")
    func relaySettings() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            #expect(try await client.send(.get, "/v1/settings/smtp-relay", token: token).status == .notFound)
            let head = fixture.head
            let bad = try await client.send(
                .put, "/v1/settings/smtp-relay", token: token,
                json: #"{"host":"smtp example","senderAddress":"not-mail","username":"crm","passwordVariable":"HOME","port":0}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = Set(((try bad.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["host", "senderAddress", "passwordVariable", "port"])
            #expect(fixture.head == head)
            let saved = try await client.send(
                .put, "/v1/settings/smtp-relay", token: token,
                json: #"{"host":"smtp.example.ru","senderAddress":"Sales@Example.ru","username":"crm","passwordVariable":"LEADLEDGER_SMTP_PASSWORD"}"#)
            #expect(saved.status == .ok, "\(saved.bodyText)")
            let relay = try await client.send(.get, "/v1/settings/smtp-relay", token: token).json()
            #expect(relay["port"] as? Int == 587)
            #expect(relay["security"] as? String == "starttls")
            #expect(relay["senderAddress"] as? String == "sales@example.ru")
            #expect(relay["messagesPerMinute"] as? Int == 60)
            let gateway = try await client.send(
                .put, "/v1/settings/sms-gateway", token: token, json: #"{"url":"https://sms.example/send?to={{to}}&x={{password}}"}"#)
            #expect(gateway.status == .unprocessableContent)
            #expect(gateway.bodyText.contains("{{password}} is not a gateway variable"))
            let manager = try await client.createManager(token: token)
            #expect(try await client.send(.get, "/v1/settings/smtp-relay", token: manager.token).status == .forbidden)
            #expect(try await client.send(.delete, "/v1/settings/smtp-relay", token: token).status == .ok)
            #expect(try await client.send(.get, "/v1/settings/smtp-relay", token: token).status == .notFound)
        }
    }

    @Test("a mailing needs messages.send, takes only leads in reach, reports leads without e-mail, and pauses on a dead relay")
    func mailing() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            #expect(try await client.send(.put, "/v1/settings/message-templates/offer", token: token, json: Self.template).status == .ok)
            let port = try Self.closedPort()
            #expect(
                try await client.send(
                    .put, "/v1/settings/smtp-relay", token: token,
                    json: #"{"host":"127.0.0.1","port":\#(port),"security":"none","senderAddress":"sales@example.ru"}"#
                ).status == .ok)
            let plain = try await client.createManager(token: token)
            let sender = try await client.createManager(token: token, permissions: ["messages.send"])
            let mine = try await client.createLead(
                #"{"fullName":"Mine","emails":["mine@example.ru"],"responsible":"\#(sender.id)"}"#, token: token)
            let silent = try await client.createLead(#"{"fullName":"Silent","responsible":"\#(sender.id)"}"#, token: token)
            let other = try await client.createLead(#"{"fullName":"Other","emails":["other@example.ru"]}"#, token: token)
            let ids = [mine, silent, other].map { "\"\($0["id"] as! String)\"" }.joined(separator: ",")
            let body = #"{"channel":"email","template":"offer","ids":[\#(ids)]}"#

            let head = fixture.head
            #expect(try await client.send(.post, "/v1/mailings", token: plain.token, json: body).status == .forbidden)
            let unknown = try await client.send(
                .post, "/v1/mailings", token: sender.token, json: #"{"channel":"email","template":"nope","ids":[\#(ids)]}"#)
            #expect(unknown.status == .unprocessableContent && unknown.bodyText.contains("unknownTemplate"))
            let empty = try await client.send(.post, "/v1/mailings", token: sender.token, json: #"{"channel":"email","template":"offer","ids":[]}"#)
            #expect(empty.status == .unprocessableContent && empty.bodyText.contains("emptySelection"))
            let sms = try await client.send(.post, "/v1/mailings", token: sender.token, json: #"{"channel":"sms","template":"offer","ids":[\#(ids)]}"#)
            #expect(sms.status == .unprocessableContent && sms.bodyText.contains("notConfigured"))
            #expect(fixture.head == head, "refused requests append nothing")

            let started = try await client.send(.post, "/v1/mailings", token: sender.token, json: body)
            #expect(started.status == .accepted, "\(started.bodyText)")
            let mailing = try started.json()
            let id = try #require(mailing["id"] as? String)
            #expect(mailing["recipients"] as? Int == 1)
            let refusals = try #require(mailing["refusals"] as? [[String: Any]])
            #expect(Set(refusals.compactMap { $0["code"] as? String }) == ["noAddress", "notFound"], "the other manager's lead is not revealed")

            var state = ""
            for _ in 0..<100 {
                let current = try await client.send(.get, "/v1/mailings/\(id)", token: sender.token).json()
                state = current["state"] as? String ?? ""
                if state == "paused" {
                    #expect(current["sent"] as? Int == 0)
                    #expect((current["pausedReason"] as? String)?.contains("cannot connect") == true)
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(state == "paused")
            #expect(try await client.send(.get, "/v1/mailings/\(id)", token: plain.token).status == .notFound)
            let list = try await client.send(.get, "/v1/mailings", token: token).json()
            #expect((list["items"] as? [[String: Any]])?.count == 1)
            let cancelled = try await client.send(.post, "/v1/mailings/\(id)/cancel", token: sender.token)
            #expect(cancelled.status == .ok)
            #expect(try cancelled.json()["state"] as? String == "cancelled")
            #expect(try await client.send(.post, "/v1/mailings/\(id)/resume", token: sender.token).status == .conflict)
        }
    }
}
