import ArgumentParser
import Foundation
import LeadLedgerCore
import LeadLedgerMail

/// `leadledger mail-intake`: one pass over the mailboxes (as the server makes every `--mail-poll-seconds`), for a
/// cron job or a Maildir delivery hook when the server does not poll. Prints each mailbox's report as JSON.
struct MailIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail-intake",
        abstract: "Read the mailboxes' new messages into leads.",
        discussion: "Messages that cannot be read go to <maildir>/quarantine with a .reason.json beside them.")

    @OptionGroup var data: DataOptions

    @Option(help: "The directory mailboxes' Maildirs are under (default: <data>/mail).")
    var mailRoot: String?

    @Option(help: "Only this mailbox (default: every enabled one).")
    var mailbox: String?

    func run() async throws {
        let ledger = try await Ledger.open(data.configuration)
        do {
            let intake = MailIntake(
                ledger: ledger, root: mailRoot.map { URL(fileURLWithPath: $0) } ?? MailIntake.defaultRoot(dataDirectory: data.data))
            let reports: [MailIntakeReport]
            if let mailbox {
                guard let report = try await intake.run(key: mailbox) else { throw CLIError("no mailbox \(mailbox) in the settings") }
                reports = [report]
            } else {
                reports = try await intake.runAll()
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for report in reports { print(String(decoding: try encoder.encode(report), as: UTF8.self)) }
            try await ledger.close()
        } catch {
            try await ledger.close()
            throw error
        }
    }
}
