import Foundation
import Testing

@testable import LeadDomain

@Suite("Web-to-lead forms in the settings")
struct LeadFormTests {
    let form = LeadForm(
        key: "contact-us", name: "Contact us",
        fields: [ImportColumn(column: "email", field: "emails"), ImportColumn(column: "name", field: "fullName")],
        source: "website", allowedOrigins: ["https://shop.example.com"], honeypot: "website")

    @Test("origins are scheme://host[:port] in lower case, nothing else")
    func origins() {
        for good in ["https://shop.example.com", "http://localhost:8080", "https://[::1]:8443"] { #expect(LeadForm.isOrigin(good), "\(good)") }
        for bad in ["https://Shop.example.com", "https://a.example/form", "ftp://a.example", "https://", "https://a.example?x", "https://u@a.example", "*"] {
            #expect(!LeadForm.isOrigin(bad), "\(bad)")
        }
        #expect(form.allows(origin: "HTTPS://SHOP.EXAMPLE.COM") && !form.allows(origin: "https://example.com"))
    }

    @Test("a form is saved once, replaced when it changes, removed; a form without a name or contact field is refused")
    func lifecycle() throws {
        let s = try Fixture.settings([.saveLeadForm(form)])
        #expect(s.leadForms.map(\.form) == [form] && s.leadForms.first?.savedBy == Fixture.admin)
        let context = Fixture.context(s, actor: Fixture.admin)
        #expect(try SettingsDecider.decide(s, .saveLeadForm(form), context: context).events.isEmpty)
        #expect(try SettingsDecider.decide(s, .removeLeadForm(key: "contact-us"), context: context).events.count == 1)
        var noContact = form
        noContact.fields = [ImportColumn(column: "company", field: "company")]
        let error = Fixture.error { () throws(DomainError) in try SettingsDecider.decide(s, .saveLeadForm(noContact), context: context) }
        #expect(error?.fieldErrors.map(\.field) == ["fields"])
    }
}
