import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@testable import LeadLedgerMail

/// A data directory and a mail root with one Maildir, removed afterwards.
final class MailFixture: Sendable {
    let directory: String
    let ledger: Ledger
    let admin: UUID
    let intake: MailIntake
    var maildir: URL { intake.root.appendingPathComponent("sales") }

    static let template = "Имя: {{fullName}}\nТелефон: {{phone}}\nE-mail: {{email}}\nКомпания: {{company}}"

    private init(directory: String, ledger: Ledger, admin: UUID) {
        self.directory = directory
        self.ledger = ledger
        self.admin = admin
        intake = MailIntake(ledger: ledger, root: URL(fileURLWithPath: directory + "/mail"))
    }

    static func make(template: String? = MailFixture.template) async throws -> MailFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-mail-\(UUID().uuidString)").path
        let ledger = try await Ledger.open(
            LedgerConfiguration(
                dataDirectory: directory + "/data",
                clock: SteppingClock(start: Timestamp(microseconds: 1_796_371_200_000_000), step: 1_000)))
        let admin = try #require(try await ledger.bootstrapAdminIfNeeded()).0
        let fixture = MailFixture(directory: directory, ledger: ledger, admin: admin)
        for folder in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(at: fixture.maildir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try await ledger.execute(
            .settings(.saveMailbox(Mailbox(key: "sales", name: "Sales", maildir: "sales", template: template))), actor: admin)
        return fixture
    }

    /// Delivers `bytes` as Postfix does: written to tmp/, then renamed into new/.
    func deliver(_ bytes: [UInt8], as name: String) throws {
        let temporary = maildir.appendingPathComponent("tmp/" + name)
        try Data(bytes).write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: maildir.appendingPathComponent("new/" + name))
    }

    func files(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: maildir.appendingPathComponent(folder).path).sorted()
    }

    func leads() throws -> [LeadState] {
        var leads: [LeadState] = []
        try ledger.log.forEach { recorded in
            if case .lead(let id)? = StreamID.parse(recorded.streamId), let lead = try ledger.lead(id)?.state,
                !leads.contains(where: { $0.id == id })
            {
                leads.append(lead)
            }
            return true
        }
        return leads
    }

    /// Runs `body` with a fresh fixture and removes it afterwards, whether `body` throws or not.
    static func with(template: String? = MailFixture.template, _ body: (MailFixture) async throws -> Void) async throws {
        let mail = try await make(template: template)
        do {
            try await body(mail)
        } catch {
            await mail.close()
            throw error
        }
        await mail.close()
    }

    func close() async {
        try? await ledger.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

@Suite("E-mail intake from a Maildir", .serialized)
struct MailIntakeTests {
    @Test("new messages become leads (template or sender), broken ones go to quarantine with reasons, all leave new/")
    func intake() async throws {
        try await MailFixture.with { mail in
            for (index, name) in ["koi8r-plain.eml", "cp1251-alternative.eml", "utf8-mixed-attachment.eml", "no-message-id.eml",
                "truncated-multipart.eml", "unknown-charset.eml"].enumerated()
            {
                try mail.deliver(try fixture(name), as: "17963712\(index).M\(index)P1.mx:2,")
            }
            let report = try #require(try await mail.intake.run(key: "sales"))
            #expect(report.read == 6 && report.created == 4 && report.attached == 0 && report.duplicates == 0)
            #expect(report.quarantined.map(\.code) == ["unterminatedMultipart", "unknownCharset"])

            #expect(try mail.files("new").isEmpty)
            #expect(try mail.files("cur") == (0..<4).map { "17963712\($0).M\($0)P1.mx:2,S" })
            #expect(try mail.files("quarantine") == [
                "179637124.M4P1.mx:2,", "179637124.M4P1.mx:2,.reason.json", "179637125.M5P1.mx:2,", "179637125.M5P1.mx:2,.reason.json",
            ])
            let quarantined = try mail.intake.quarantine(of: Mailbox(key: "sales", name: "Sales", maildir: "sales"))
            #expect(quarantined.map(\.file) == ["179637124.M4P1.mx:2,", "179637125.M5P1.mx:2,"])
            #expect(quarantined.first?.message.contains("closing boundary") == true)

            let leads = try mail.leads()
            let byName = Dictionary(uniqueKeysWithValues: leads.map { ($0.fullName, $0) })
            #expect(Set(byName.keys) == ["Иван Петров", "Ольга Смирнова", "Rūta Kazlauskienė", "Smith, John"])
            // Without template values: the sender.
            let ivan = try #require(byName["Иван Петров"])
            #expect(ivan.emails == ["ivan.petrov@example.ru"] && ivan.source == "email")
            #expect(ivan.receivedEmails.map(\.subject) == ["Заявка на подключение"])
            #expect(ivan.receivedEmails.first?.messageId == "koi8r-1@mail.example.ru")
            // The website's form mail: the template's values, not the robot sender.
            let olga = try #require(byName["Ольга Смирнова"])
            #expect(olga.emails == ["olga@example.ru"] && olga.company == "ООО Ромашка")
            #expect(olga.phones.map(\.typed) == ["8 (912) 345-67-89"])
            // The text and attachments are in the event, in the lead's history.
            var texts: [String] = []
            var attachments: [[String]] = []
            try mail.ledger.log.forEach { recorded in
                if case .emailReceived(let e) = try AppliedEvent(recorded: recorded).event {
                    texts.append(e.text)
                    attachments.append(e.attachments)
                }
                return true
            }
            #expect(texts.count == 4 && texts.contains("Labas! Prašome atsiųsti pasiūlymą.\nRūta Kazlauskienė, UAB Rasa"))
            #expect(attachments.contains(["pasiūlymas.pdf"]))
        }
    }

    @Test("Message-Id makes intake idempotent: redelivered, after a restart and a re-save by another admin, recorded once")
    func idempotent() async throws {
        try await MailFixture.with { mail in
            try mail.deliver(try fixture("koi8r-plain.eml"), as: "1.M1P1.mx")
            #expect(try await mail.intake.run(key: "sales")?.created == 1)
            let head = mail.ledger.log.head

            // The same message delivered again (fetchmail re-fetching, or a crash after the append, before the move).
            try mail.deliver(try fixture("koi8r-plain.eml"), as: "2.M2P1.mx")
            let again = try #require(try await mail.intake.run(key: "sales"))
            #expect(again.duplicates == 1 && again.created == 0 && mail.ledger.log.head == head)
            #expect(try mail.files("cur") == ["1.M1P1.mx:2,S", "2.M2P1.mx:2,S"])

            // A message without a Message-Id is known by its bytes.
            try mail.deliver(try fixture("no-message-id.eml"), as: "3.M3P1.mx")
            try mail.deliver(try fixture("no-message-id.eml"), as: "4.M4P1.mx")
            let hashed = try #require(try await mail.intake.run(key: "sales"))
            #expect(hashed.created == 1 && hashed.duplicates == 1)
            #expect(try mail.leads().count == 2)
        }
    }

    @Test("a second e-mail from a known address is recorded on that lead; seen flags are kept and S added")
    func attaches() async throws {
        try await MailFixture.with(template: nil) { mail in
            try mail.deliver(try fixture("utf8-mixed-attachment.eml"), as: "1.M1P1.mx")
            _ = try await mail.intake.run(key: "sales")
            let reply = "From: RUTA@rasa.lt\r\nSubject: Re: kaina\r\nMessage-ID: <reply-2@rasa.lt>\r\n\r\nAr gavote?\r\n"
            try mail.deliver(Array(reply.utf8), as: "2.M2P1.mx:2,F")
            let report = try #require(try await mail.intake.run(key: "sales"))
            #expect(report.attached == 1 && report.created == 0)
            let leads = try mail.leads()
            #expect(leads.count == 1 && leads.first?.receivedEmails.map(\.subject) == ["Užklausa dėl kainos", "Re: kaina"])
            #expect(try mail.files("cur") == ["1.M1P1.mx:2,S", "2.M2P1.mx:2,FS"])
        }
    }

    @Test("a template value a lead refuses quarantines the message and records nothing; a disabled or missing Maildir is skipped")
    func refusedAndSkipped() async throws {
        try await MailFixture.with(template: "Phone: {{phone}}") { mail in
            let head = mail.ledger.log.head
            try mail.deliver(Array("From: a@b.example\r\nMessage-ID: <p@b.example>\r\n\r\nPhone: call me maybe\r\n".utf8), as: "1.M1P1.mx")
            let report = try #require(try await mail.intake.run(key: "sales"))
            #expect(report.quarantined.map(\.code) == ["invalidField"] && report.quarantined.first?.message.hasPrefix("{{phone}}") == true, "\(report)")
            #expect(mail.ledger.log.head == head)

            try await mail.ledger.execute(
                .settings(.saveMailbox(Mailbox(key: "sales", name: "Sales", maildir: "sales", enabled: false))), actor: mail.admin)
            #expect(try await mail.intake.run(key: "sales")?.skipped == "the mailbox is disabled")
            try await mail.ledger.execute(
                .settings(.saveMailbox(Mailbox(key: "other", name: "Other", maildir: "nowhere"))), actor: mail.admin)
            #expect(try await mail.intake.run(key: "other")?.skipped?.contains("new/ folder is missing") == true)
            #expect(try await mail.intake.run(key: "nope") == nil)
        }
    }

    @Test("two mailboxes read at once, each with messages from one new sender, make one lead for that sender")
    func concurrentMailboxes() async throws {
        try await MailFixture.with(template: nil) { mail in
            try await mail.ledger.execute(
                .settings(.saveMailbox(Mailbox(key: "info", name: "Info", maildir: "info"))), actor: mail.admin)
            let info = mail.intake.root.appendingPathComponent("info")
            for folder in ["new", "cur", "tmp"] {
                try FileManager.default.createDirectory(at: info.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            for index in 0..<20 {
                let message = "From: Vaida <vaida@example.lt>\r\nSubject: try \(index)\r\nMessage-ID: <v\(index)@example.lt>\r\n\r\nHello\r\n"
                let folder = index % 2 == 0 ? mail.maildir : info
                try Data(message.utf8).write(to: folder.appendingPathComponent("new/\(index).M\(index).mx"))
            }
            let intake = mail.intake
            async let sales = intake.run(key: "sales")
            async let other = intake.run(key: "info")
            let reports = try await [sales, other].compactMap { $0 }
            #expect(reports.map(\.read) == [10, 10])
            #expect(reports.map(\.created).reduce(0, +) == 1 && reports.map(\.attached).reduce(0, +) == 19)
            let leads = try mail.leads()
            #expect(leads.count == 1 && leads.first?.receivedEmails.count == 20)
        }
    }
}
