import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("E-mail intake over HTTP: mailboxes as settings, a pass on demand, the quarantine, the lead card")
struct MailRouteTests {
    @Test("a saved mailbox's Maildir is read into a lead shown with its e-mail; bad messages are listed with reasons")
    func intake() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let saved = try await client.send(
                .put, "/v1/settings/mailboxes/sales", token: fixture.adminToken,
                json: #"{"name":"Sales","maildir":"sales","template":"Name: {{fullName}}\nPhone: {{phone}}","source":"email"}"#)
            #expect(saved.status == .ok, "\(saved.bodyText)")
            let mailboxes = try #require(try saved.json()["mailboxes"] as? [[String: Any]])
            #expect((mailboxes.first?["mailbox"] as? [String: Any])?["maildir"] as? String == "sales")

            let maildir = URL(fileURLWithPath: fixture.directory + "/mail/sales")
            for folder in ["new", "cur", "tmp"] {
                try FileManager.default.createDirectory(at: maildir.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let message = "From: Website <robot@shop.example>\r\nSubject: =?utf-8?B?0JfQsNGP0LLQutCw?=\r\nMessage-ID: <w1@shop.example>\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nName: Ona Petraitienė\r\nPhone: +370 612 34567\r\n"
            try Data(message.utf8).write(to: maildir.appendingPathComponent("new/1.M1.mx"))
            try Data("Subject: no sender\r\n\r\nhi".utf8).write(to: maildir.appendingPathComponent("new/2.M2.mx"))

            let pass = try await client.send(.post, "/v1/mailboxes/sales/intake", token: fixture.adminToken)
            #expect(pass.status == .ok, "\(pass.bodyText)")
            let report = try pass.json()
            #expect(report["read"] as? Int == 2 && report["created"] as? Int == 1)
            #expect((report["quarantined"] as? [[String: Any]])?.map { $0["code"] as? String } == ["noSender"])

            let quarantine = try await client.send(.get, "/v1/mailboxes/sales/quarantine", token: fixture.adminToken)
            let items = try #require(try quarantine.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["file"] as? String } == ["2.M2.mx"] && items.first?["message"] as? String == "the message has no From address")

            let page = try await client.send(.get, "/v1/leads?q=petraitiene", token: fixture.adminToken)
            let lead = try #require((try page.json()["items"] as? [[String: Any]])?.first)
            let id = try #require(lead["id"] as? String)
            let card = try await client.send(.get, "/v1/leads/\(id)", token: fixture.adminToken).json()
            #expect(card["fullName"] as? String == "Ona Petraitienė" && card["source"] as? String == "email")
            let emails = try #require(card["receivedEmails"] as? [[String: Any]])
            #expect(emails.map { $0["subject"] as? String } == ["Заявка"] && emails.first?["messageId"] as? String == "w1@shop.example")
            let history = try await client.send(.get, "/v1/leads/\(id)/history", token: fixture.adminToken)
            #expect(history.bodyText.contains("E-mail from Website <robot@shop.example>: Заявка"), "\(history.bodyText)")
        }
    }

    @Test("mailboxes need settings.manage; bad ones are 422 naming the field; unknown ones are 404")
    func refused() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let manager = try await client.createManager(token: fixture.adminToken)
            let forbidden = try await client.send(
                .put, "/v1/settings/mailboxes/sales", token: manager.token, json: #"{"name":"Sales","maildir":"sales"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(try await client.send(.post, "/v1/mailboxes/sales/intake", token: manager.token).status == .forbidden)

            let head = fixture.head
            let escape = try await client.send(
                .put, "/v1/settings/mailboxes/sales", token: fixture.adminToken,
                json: #"{"name":"Sales","maildir":"../../etc","template":"Phone {{fax}}"}"#)
            #expect(escape.status == .unprocessableContent)
            let fields = try (escape.json()["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(Set(fields ?? []) == ["maildir", "template"])
            let nobody = try await client.send(
                .put, "/v1/settings/mailboxes/sales", token: fixture.adminToken,
                json: #"{"name":"Sales","maildir":"sales","responsible":"00000000-0000-4000-8000-000000000999"}"#)
            #expect(nobody.status == .unprocessableContent && nobody.bodyText.contains("responsible"))
            #expect(fixture.head == head)
            #expect(try await client.send(.post, "/v1/mailboxes/nope/intake", token: fixture.adminToken).status == .notFound)
            #expect(try await client.send(.get, "/v1/mailboxes/nope/quarantine", token: fixture.adminToken).status == .notFound)
        }
    }
}
