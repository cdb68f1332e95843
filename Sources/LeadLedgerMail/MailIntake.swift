import Foundation
import LeadDomain
import LeadLedgerCore
import Logging
import Synchronization

/// What one pass over a mailbox did.
public struct MailIntakeReport: Sendable, Hashable, Codable {
    public var mailbox: String
    /// Messages taken from `new/`.
    public var read = 0
    /// Leads created, and e-mails recorded on leads that existed (found by e-mail or phone).
    public var created = 0
    public var attached = 0
    /// Messages whose Message-Id was already taken in (moved to `cur/`, nothing recorded again).
    public var duplicates = 0
    /// Messages moved to the quarantine folder, with their reasons.
    public var quarantined: [QuarantinedMail] = []
    /// Set when the pass did not run: the Maildir is missing, the mailbox disabled or already being read.
    public var skipped: String?
    /// Whether messages are left in `new/` for the next pass (at most `MailIntake.maxPerPass` a pass).
    public var more = false
}

/// A message intake could not take in, as the quarantine folder keeps it: the file, and why.
public struct QuarantinedMail: Sendable, Hashable, Codable {
    public var file: String
    public var code: String
    public var message: String
    public var at: Timestamp
}

/// E-mail intake (Hanna): reads the mailboxes of the settings, each a Maildir under `root` as Postfix, Dovecot,
/// getmail or fetchmail deliver it, and makes each unread message (in `new/`) a lead or an e-mail on the lead its
/// addresses find.
///
/// For each message, in delivery (name) order:
/// 1. Read and parsed (`MailMessage`); a message that cannot be read, or whose fields a lead refuses, is moved
///    to `<maildir>/quarantine/` with `<name>.reason.json` beside it, and nothing is recorded.
/// 2. The lead's fields come from the mailbox's template (lines like `Phone: {{phone}}`) when it finds any,
///    otherwise from the sender (display name, address); `source`, `step` and `responsible` from the mailbox.
/// 3. A live lead with one of its e-mails or phones gets an `EmailReceived`; otherwise a lead is created with it,
///    in one atomic append acting as the admin who saved the mailbox.
/// 4. The message is moved to `cur/` with the seen flag (`:2,S`).
///
/// The events' ids derive from the Message-Id (not from the admin), so a message delivered twice, or read again
/// after a crash between steps 3 and 4, is recognised and recorded once.
public final class MailIntake: Sendable {
    /// Messages one pass reads from one mailbox; the rest wait for the next pass.
    public static let maxPerPass = 500
    /// The namespace of intake's derived ids.
    static let idNamespace = UUID(uuidString: "6d61696c-2d69-4e74-8b61-6b652d696473")!

    public let root: URL
    let ledger: Ledger
    let logger: Logger
    private let running = Mutex<Set<String>>([])

    public init(ledger: Ledger, root: URL, logger: Logger = Logger(label: "leadledger.mail")) {
        self.ledger = ledger
        self.root = root
        self.logger = logger
    }

    /// The mail root a data directory has by default: `<data>/mail`.
    public static func defaultRoot(dataDirectory: String) -> URL {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail")
    }

    /// One pass over every enabled mailbox.
    public func runAll() async throws -> [MailIntakeReport] {
        var reports: [MailIntakeReport] = []
        for entry in try ledger.currentSettings().mailboxes where entry.mailbox.enabled {
            reports.append(try await run(entry))
        }
        return reports
    }

    /// One pass over mailbox `key`; nil when there is no such mailbox.
    public func run(key: String) async throws -> MailIntakeReport? {
        guard let entry = try ledger.currentSettings().mailboxes.first(where: { $0.mailbox.key == key }) else { return nil }
        guard entry.mailbox.enabled else {
            return MailIntakeReport(mailbox: key, skipped: "the mailbox is disabled")
        }
        return try await run(entry)
    }

    /// The Maildir of `mailbox`.
    public func directory(of mailbox: Mailbox) -> URL { root.appendingPathComponent(mailbox.maildir, isDirectory: true) }

    /// What the quarantine folder of `mailbox` holds, oldest first.
    public func quarantine(of mailbox: Mailbox) throws -> [QuarantinedMail] {
        let folder = directory(of: mailbox).appendingPathComponent("quarantine")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        let decoder = JSONDecoder()
        return names.filter { $0.hasSuffix(".reason.json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return try? decoder.decode(QuarantinedMail.self, from: data)
        }
    }

    // The file reads and renames run on the calling task: a pass reads at most `maxPerPass` messages of at most
    // 25 MiB, a few a minute in practice, which does not justify a thread pool hop per file.
    private func run(_ entry: MailboxEntry) async throws -> MailIntakeReport {
        let key = entry.mailbox.key
        var report = MailIntakeReport(mailbox: key)
        guard running.withLock({ $0.insert(key).inserted }) else {
            report.skipped = "a pass over this mailbox is already running"
            return report
        }
        defer { _ = running.withLock { $0.remove(key) } }

        let maildir = directory(of: entry.mailbox)
        let new = maildir.appendingPathComponent("new")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: new.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            report.skipped = "no Maildir at \(entry.mailbox.maildir) (its new/ folder is missing)"
            return report
        }
        let cur = maildir.appendingPathComponent("cur")
        try FileManager.default.createDirectory(at: cur, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: new.path).filter { !$0.hasPrefix(".") }.sorted()
        report.more = names.count > Self.maxPerPass
        for name in names.prefix(Self.maxPerPass) {
            let file = new.appendingPathComponent(name)
            let outcome: Outcome
            do {
                outcome = try await take(file, entry)
            } catch let error as MailParseError {
                outcome = .refused(code: error.code, message: error.message)
            }
            report.read += 1
            switch outcome {
            case .created: report.created += 1
            case .attached: report.attached += 1
            case .duplicate: report.duplicates += 1
            case .refused(let code, let message):
                let quarantined = QuarantinedMail(file: name, code: code, message: message, at: Timestamp(date: Date()))
                try moveToQuarantine(file, maildir: maildir, quarantined)
                report.quarantined.append(quarantined)
                logger.warning("mail quarantined", metadata: ["mailbox": "\(key)", "file": "\(name)", "reason": "\(code): \(message)"])
                continue
            }
            try move(file, toCurIn: cur)
        }
        return report
    }

    private enum Outcome {
        case created, attached, duplicate
        case refused(code: String, message: String)
    }

    /// Records one message; throws `MailParseError` for a message that cannot be read.
    private func take(_ file: URL, _ entry: MailboxEntry) async throws -> Outcome {
        let size = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= MailMessage.maxBytes else { throw MailParseError.tooLarge(bytes: size, limit: MailMessage.maxBytes) }
        let bytes = [UInt8](try Data(contentsOf: file))
        let message = try MailMessage.parse(bytes)
        let identity = MailMessage.identity(messageId: message.messageId, bytes: bytes)
        let settings = try ledger.currentSettings()
        let mailbox = entry.mailbox

        // The lead's fields: the template's values when it finds any, the sender otherwise.
        var header: [String] = []
        var values: [String] = []
        var columns: [String: ImportTarget] = [:]
        if let text = mailbox.template {
            for (index, found) in MailTemplate.parse(text).template.values(in: message.text).enumerated() {
                let column = "{{\(found.variable)}}#\(index + 1)"
                header.append(column)
                values.append(found.value)
                columns[column] = found.target
            }
        }
        var record = ImportRecord()
        let plan = header.isEmpty ? nil : ImportRecord.Plan(header: header, mapping: ImportMapping(columns: columns), settings: settings)
        /// A template variable's refusal, named as the template names it: `{{phone}}: …`.
        func variable(_ column: String?) -> String { column.map { String($0.split(separator: "#").first ?? "") } ?? "" }
        if let plan {
            let (read, errors) = plan.record(values, row: 1)
            if !errors.isEmpty {
                return .refused(
                    code: "invalidField", message: errors.map { "\(variable($0.column)): \($0.message)" }.joined(separator: "; "))
            }
            record = read
        }
        if record.emails.isEmpty && record.phones.isEmpty {
            guard EmailAddress.isValid(message.from.address) else {
                return .refused(code: "invalidSender", message: "the sender \(message.from.address) is not a valid e-mail address")
            }
            record.emails = [message.from.address]
            if record.fullName == nil { record.fullName = message.from.name }
        }
        if record.fullName?.isEmpty ?? true { record.fullName = message.from.name ?? record.emails.first ?? record.phones.first }
        if record.source == nil { record.source = mailbox.source ?? (settings.isActiveSource("email") ? "email" : nil) }
        if record.step == nil { record.step = mailbox.step }
        if record.responsible == nil { record.responsible = mailbox.responsible }

        let limit = settings.fieldLimits.note
        let email = EmailInput(
            emailId: Ledger.derivedId(actor: Self.idNamespace, key: "mail-email:" + identity), mailbox: mailbox.key,
            messageId: identity, from: message.from.address, fromName: message.from.name.map { Self.singleLine($0, 200) },
            subject: Self.singleLine(message.subject, 998), sentAt: message.date, text: Self.multiline(message.text, limit),
            attachments: message.attachments.prefix(CountLimits.emailAttachments).map { $0.fileName ?? $0.contentType })
        let input = record.leadInput
        let contacts = (emails: record.emails, phones: record.phones)
        let correlation = Ledger.derivedId(actor: Self.idNamespace, key: "mail-correlation:" + identity)
        // Looked up and appended under the intake lock: a form submission or another mailbox's message from the
        // same person at the same time finds this lead instead of making a second one.
        let outcomes = try await ledger.contactIntake.run { () async throws -> [LeadBatchOutcome] in
            let existing = try ledger.read { try $0.liveLead(emails: contacts.emails, phones: contacts.phones) }
            let item: LeadBatchItem
            if let existing {
                item = LeadBatchItem(leadId: existing, eventKey: "mail:" + identity, idNamespace: Self.idNamespace) { state in
                    guard let state, state.isLive else { return [] }
                    return [.receiveEmail(email)]
                }
            } else {
                let leadId = Ledger.derivedId(actor: Self.idNamespace, key: "mail-lead:" + identity)
                item = LeadBatchItem(leadId: leadId, eventKey: "mail:" + identity, idNamespace: Self.idNamespace) { state in
                    state == nil ? [.create(leadId: leadId, input), .receiveEmail(email)] : [.receiveEmail(email)]
                }
            }
            let (outcomes, position) = try await ledger.executeBatch(
                [item][...], actor: entry.savedBy, correlationId: correlation, checkStored: true)
            if let position { try await ledger.waitUntilApplied(position) }
            return outcomes
        }
        switch outcomes.first {
        case .applied(let before, _, _)?: return before == nil ? .created : .attached
        case .alreadyStored?, .unchanged?, nil: return .duplicate
        case .rejected(let error)?:
            guard !error.fieldErrors.isEmpty else { return .refused(code: error.code.rawValue, message: error.message) }
            let fields = error.fieldErrors.map { field in
                // A lead field the template filled is named by its variable; the rest (sender, subject) as they are.
                let column = plan?.column(forField: field.field)
                return "\(column.map { variable($0) } ?? field.field): \(field.message)"
            }
            return .refused(code: "invalidField", message: fields.joined(separator: "; "))
        }
    }

    /// `new/<name>` → `cur/<name>:2,S` (Maildir's "seen" flag, keeping flags the name has).
    private func move(_ file: URL, toCurIn cur: URL) throws {
        var name = file.lastPathComponent
        if let info = name.range(of: ":2,") {
            var flags = Set(name[info.upperBound...])
            flags.insert("S")
            name = name[..<info.upperBound] + String(flags.sorted())
        } else {
            name += ":2,S"
        }
        try FileManager.default.moveItem(at: file, to: cur.appendingPathComponent(name))
    }

    private func moveToQuarantine(_ file: URL, maildir: URL, _ quarantined: QuarantinedMail) throws {
        let folder = maildir.appendingPathComponent("quarantine")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(quarantined).write(to: folder.appendingPathComponent(quarantined.file + ".reason.json"), options: .atomic)
        let target = folder.appendingPathComponent(quarantined.file)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: file, to: target)
    }

    /// Control characters out, runs of whitespace one space, at most `limit` characters.
    static func singleLine(_ text: String, _ limit: Int) -> String {
        let spaced = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return String(spaced.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(limit))
    }

    /// Control characters but line breaks and tabs out, at most `limit` characters.
    static func multiline(_ text: String, _ limit: Int) -> String {
        let kept = text.unicodeScalars.filter { $0 == "\n" || $0 == "\t" || $0.properties.generalCategory != .control }
        return String(String.UnicodeScalarView(kept).prefix(limit)).trimmedWhitespace
    }
}
