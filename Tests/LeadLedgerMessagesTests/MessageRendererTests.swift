import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerMessages

@Suite("Message templates rendered with swift-mustache")
struct MessageRendererTests {
    static let settings: SettingsState = {
        var s = SettingsState.defaults
        s.customFields = [CustomFieldDefinition(key: "budget", name: "Budget", type: .int)]
        return s
    }()

    static let lead: LeadState = {
        let lead = LeadState(
            created: LeadCreated(
                leadId: UUID(), fullName: "O'Brien & <Sons>", company: "UAB \"Rasa\"",
                phones: [PhoneNumber(typed: "+370 612 34567")], emails: ["ob@example.lt", "sales@example.lt"],
                source: "website", step: "new", priority: .normal, tags: [], customFields: ["budget": .int(12_500)],
                at: Timestamp(microseconds: 0), by: UUID()))
        return lead
    }()

    static let responsible = AdminState(
        created: AdminCreated(adminId: UUID(), name: "Rūta", email: "ruta@rasa.lt", role: .manager, permissions: [], at: Timestamp(microseconds: 0), by: UUID()))

    @Test("text parts are not escaped, the HTML part is; sections iterate lists; nested and custom variables resolve")
    func render() {
        let template = MessageTemplate(
            key: "offer", name: "Offer", subject: "{{fullName}}: an offer\nfor {{company}}",
            text: "Dear {{fullName}},\nbudget {{customFields.budget}}.\n{{#emails}}- {{.}}\n{{/emails}}{{#responsible}}{{name}} <{{email}}>{{/responsible}}",
            html: "<p>Dear {{fullName}}</p><p>{{{company}}}</p><p>{{step}} via {{source}}</p>")
        let message = MessageRenderer.render(template, lead: Self.lead, responsible: Self.responsible, settings: Self.settings)
        #expect(message.subject == "O'Brien & <Sons>: an offer for UAB \"Rasa\"")
        #expect(message.text == "Dear O'Brien & <Sons>,\nbudget 12500.\n- ob@example.lt\n- sales@example.lt\nRūta <ruta@rasa.lt>")
        #expect(message.html == "<p>Dear O&#39;Brien &amp; &lt;Sons&gt;</p><p>UAB \"Rasa\"</p><p>New via Website</p>")
        #expect(MessageRenderer.problems(template, settings: Self.settings).isEmpty)
    }

    @Test("unknown variables, unknown custom fields, partials and broken syntax are refused naming the part")
    func problems() {
        func problems(_ subject: String, text: String? = "x", html: String? = nil) -> [String] {
            MessageRenderer.problems(MessageTemplate(key: "k", name: "K", subject: subject, text: text, html: html), settings: Self.settings)
                .map { "\($0.field): \($0.message)" }
        }
        #expect(problems("{{nickname}}") == ["subject: {{nickname}} is not a template variable"])
        #expect(problems("ok", text: "{{customFields.colour}} {{responsible.phone}}") == [
            "text: {{customFields.colour}} is not a template variable", "text: {{responsible.phone}} is not a template variable",
        ])
        #expect(problems("ok", html: "{{> footer}}").first?.hasPrefix("html: partials") == true)
        #expect(problems("{{#emails}}unclosed").first?.hasPrefix("subject: not a Mustache template") == true)
        #expect(problems("{{#responsible}}{{name}} for {{fullName}}{{/responsible}} {{! a comment }}").isEmpty)
        #expect(problems("{{.}}") == ["subject: {{.}} is not a template variable"])
    }
}
