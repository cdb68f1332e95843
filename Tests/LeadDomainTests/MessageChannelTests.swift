import Foundation
import Testing

@testable import LeadDomain

@Suite("The SMTP relay and the SMS gateway in the settings")
struct MessageChannelTests {
    let relay = SMTPRelay(
        host: "smtp.example.ru", port: 587, security: .starttls, username: "crm", passwordVariable: "LEADLEDGER_SMTP_PASSWORD",
        senderAddress: " Sales@Example.RU ", senderName: "Отдел продаж")

    func fields(_ command: SettingsCommand, on s: SettingsState = .defaults) -> [String] {
        let error = Fixture.error { () throws(DomainError) in
            try SettingsDecider.decide(s, command, context: Fixture.context(s, actor: Fixture.admin))
        }
        return (error?.fieldErrors ?? []).map(\.field).sorted()
    }

    @Test("a relay is saved normalized, saving it again appends nothing, nil removes it")
    func relayLifecycle() throws {
        let s = try Fixture.settings([.setSMTPRelay(relay)])
        #expect(s.smtpRelay?.senderAddress == "sales@example.ru")
        #expect(s.smtpRelay?.passwordVariable == "LEADLEDGER_SMTP_PASSWORD")
        let again = try SettingsDecider.decide(s, .setSMTPRelay(relay), context: Fixture.context(s, actor: Fixture.admin))
        #expect(again.events.isEmpty)
        #expect(try Fixture.settings([.setSMTPRelay(relay), .setSMTPRelay(nil)]).smtpRelay == nil)
    }

    @Test("a bad relay names every bad field: host, port, sender, secret variable, AUTH without TLS, limits")
    func relayRefusals() {
        var bad = relay
        bad.host = "smtp example"
        bad.port = 70_000
        bad.senderAddress = "nobody"
        bad.passwordVariable = "HOME"
        bad.messagesPerMinute = 0
        bad.maxAttempts = 11
        bad.caFile = "relative.pem"
        #expect(fields(.setSMTPRelay(bad)) == ["caFile", "host", "maxAttempts", "messagesPerMinute", "passwordVariable", "port", "senderAddress"])
        var plain = relay
        plain.security = .none
        #expect(fields(.setSMTPRelay(plain)) == ["security"], "a password never crosses the network in the clear")
        var half = relay
        half.passwordVariable = nil
        #expect(fields(.setSMTPRelay(half)) == ["passwordVariable"])
    }

    @Test("a gateway's templates use only to, text and from; its URL is http(s); header and variable go together")
    func gatewayRefusals() throws {
        let good = SMSGateway(url: "https://sms.example/send?to={{to}}&text={{text}}", method: .GET)
        #expect(try Fixture.settings([.setSMSGateway(good)]).smsGateway == good)
        var bad = good
        bad.url = "ftp://sms.example/{{secret}}"
        bad.body = "x={{text}}"
        bad.authHeader = "X-Auth"
        #expect(fields(.setSMSGateway(bad)) == ["authVariable", "body", "url", "url"])
    }
}
