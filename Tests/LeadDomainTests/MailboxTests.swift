import Foundation
import Testing

@testable import LeadDomain

@Suite("Mailboxes and their templates in the settings")
struct MailboxTests {
    let mailbox = Mailbox(
        key: "sales", name: "Sales", maildir: "sales/inbox", template: "Имя: {{fullName}}\nТелефон: {{phone}}\nE-mail: {{email}}",
        source: "email")

    @Test("a Maildir is a relative path under the mail root: no .., no absolute path, no empty segment")
    func maildirPaths() {
        for good in ["sales", "sales/inbox", "a.b_c-d/new-leads"] { #expect(Mailbox.isMaildirPath(good), "\(good)") }
        for bad in ["", "/var/mail/sales", "../etc", "sales/../../etc", "sales//inbox", "sales/", "sa les", "./sales"] {
            #expect(!Mailbox.isMaildirPath(bad), "\(bad)")
        }
    }

    @Test("template lines give their variables the text between label and suffix, any case; unknown lines are ignored")
    func templateValues() {
        let template = MailTemplate.parse("Name: {{name}}\nPhone: {{phone}}\nBudget: {{customFields.budget}} EUR").template
        let body = "Hello!\n  name:  Olga Smirnova \nPhone: +7 912 345-67-89\nPhone: 8 913 111-22-33\nName: Someone Else\nBudget: 1200 EUR\nBudget: 5"
        let values = template.values(in: body).map { "\($0.variable)=\($0.value)" }
        // a single-valued field keeps its first value; phones take every line
        #expect(values == ["name=Olga Smirnova", "phone=+7 912 345-67-89", "phone=8 913 111-22-33", "customFields.budget=1200"])
    }

    @Test("a template line needs a label and exactly one known {{variable}}")
    func templateProblems() {
        let (template, problems) = MailTemplate.parse("{{fullName}}\nPhone: {{phone}} {{email}}\nCity: {{address.town}}\nCity: {{address.city}}")
        #expect(problems.map(\.line) == [1, 2, 3])
        #expect(template.lines.map(\.target) == [.address(.city)])
    }

    @Test("a mailbox is saved, saved again unchanged appends nothing, removed; the saving admin is kept")
    func lifecycle() throws {
        let s = try Fixture.settings([.saveMailbox(mailbox)])
        #expect(s.mailboxes.map(\.mailbox) == [mailbox] && s.mailboxes.first?.savedBy == Fixture.admin)
        let context = Fixture.context(s, actor: Fixture.admin)
        #expect(try SettingsDecider.decide(s, .saveMailbox(mailbox), context: context).events.isEmpty)
        let removed = try SettingsDecider.decide(s, .removeMailbox(key: "sales"), context: context)
        #expect(removed.events.count == 1)
        #expect(try SettingsDecider.decide(s, .removeMailbox(key: "nope"), context: context).events.isEmpty)
    }

    @Test("bad mailboxes are refused naming each field: path, template, source, step, a second mailbox on one Maildir")
    func refused() throws {
        let s = try Fixture.settings([.saveMailbox(mailbox)])
        let context = Fixture.context(s, actor: Fixture.admin)
        let bad = Mailbox(
            key: "other", name: " ", maildir: "../../etc", template: "Name {{nobody}}", source: "fax", step: "nowhere")
        let error = Fixture.error { () throws(DomainError) in try SettingsDecider.decide(s, .saveMailbox(bad), context: context) }
        #expect(Set(error?.fieldErrors.map(\.field) ?? []) == ["name", "maildir", "template", "source", "step"])
        var twin = mailbox
        twin.key = "twin"
        let conflict = Fixture.error { () throws(DomainError) in try SettingsDecider.decide(s, .saveMailbox(twin), context: context) }
        #expect(conflict?.fieldErrors.map(\.field) == ["maildir"])
        var unknownField = mailbox
        unknownField.template = "Budget: {{customFields.budget}}"
        let field = Fixture.error { () throws(DomainError) in try SettingsDecider.decide(s, .saveMailbox(unknownField), context: context) }
        #expect(field?.fieldErrors.map(\.code) == [.unknownCustomField])
    }
}
