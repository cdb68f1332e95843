import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore
import LeadLedgerMail

/// Mailboxes for e-mail intake (settings objects) and their passes:
///
/// - `PUT /v1/settings/mailboxes/{key}`, `DELETE …`: save or remove a mailbox (its Maildir under the server's mail
///   root, template, defaults).
/// - `POST /v1/mailboxes/{key}/intake`: read the mailbox's new messages now (the server also reads every enabled
///   mailbox on its own, `serve --mail-poll-seconds`); answers what the pass did.
/// - `GET /v1/mailboxes/{key}/quarantine`: the messages intake could not take in, with their reasons.
///
/// All need `settings.manage`: a mailbox's messages may concern any lead.
struct MailRoutes: APIRouteCollection {
    let commands: CommandResponder
    let intake: MailIntake

    func register(on routes: APIRoutes) {
        let commands = commands
        let ledger = commands.reads.ledger
        let intake = intake

        routes.put("/v1/settings/mailboxes/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            let body = try await request.decode(as: MailboxRequest.self, context: context)
            if let responsible = body.responsible {
                guard try ledger.read({ try $0.admin(responsible) }) != nil else {
                    throw APIError.invalid(field: "responsible", code: "unknownAdmin", message: "No admin \(responsible.lowercased).")
                }
            }
            let mailbox = Mailbox(
                key: key, name: body.name, maildir: body.maildir, template: body.template, source: body.source, step: body.step,
                responsible: body.responsible, enabled: body.enabled ?? true)
            return try await commands.settings(request, context) { _ in .saveMailbox(mailbox) }
        }
        routes.delete("/v1/settings/mailboxes/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .removeMailbox(key: key) }
        }
        routes.post("/v1/mailboxes/{key}/intake") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            guard let report = try await intake.run(key: key) else { throw APIError.notFound("No mailbox \(key).") }
            return try JSONResponse.make(MailIntakeResource(report), logPosition: ledger.log.head)
        }
        routes.get("/v1/mailboxes/{key}/quarantine") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            guard let entry = try ledger.currentSettings().mailboxes.first(where: { $0.mailbox.key == key }) else {
                throw APIError.notFound("No mailbox \(key).")
            }
            return try JSONResponse.make(QuarantineResource(items: try intake.quarantine(of: entry.mailbox).map(QuarantinedResource.init)))
        }
    }
}

/// `PUT /v1/settings/mailboxes/{key}`.
struct MailboxRequest: Decodable, Sendable {
    var name: String
    var maildir: String
    var template: String?
    var source: String?
    var step: String?
    var responsible: UUID?
    var enabled: Bool?
}

struct QuarantinedResource: Encodable, Sendable {
    var file: String
    var code: String
    var message: String
    var at: String

    init(_ mail: QuarantinedMail) {
        file = mail.file
        code = mail.code
        message = mail.message
        at = ISOTime.string(mail.at)
    }
}

struct QuarantineResource: Encodable, Sendable {
    var items: [QuarantinedResource]
}

struct MailIntakeResource: Encodable, Sendable {
    var mailbox: String
    var read: Int
    var created: Int
    var attached: Int
    var duplicates: Int
    var quarantined: [QuarantinedResource]
    var skipped: String?
    var more: Bool

    init(_ report: MailIntakeReport) {
        mailbox = report.mailbox
        read = report.read
        created = report.created
        attached = report.attached
        duplicates = report.duplicates
        quarantined = report.quarantined.map(QuarantinedResource.init)
        skipped = report.skipped
        more = report.more
    }
}
