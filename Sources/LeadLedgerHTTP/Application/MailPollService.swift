import LeadLedgerMail
import Logging
import ServiceLifecycle

/// Reads every enabled mailbox every `interval` while the server runs (`serve --mail-poll-seconds`). A pass
/// stopped by shutdown is safe to stop: a message recorded but not yet moved is recognised by the next pass.
struct MailPollService: Service {
    let intake: MailIntake
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for report in try await intake.runAll() {
                        if let skipped = report.skipped {
                            logger.debug("mailbox skipped", metadata: ["mailbox": "\(report.mailbox)", "reason": "\(skipped)"])
                        } else if report.read > 0 {
                            logger.info(
                                "mail intake",
                                metadata: [
                                    "mailbox": "\(report.mailbox)", "read": "\(report.read)", "created": "\(report.created)",
                                    "attached": "\(report.attached)", "duplicates": "\(report.duplicates)",
                                    "quarantined": "\(report.quarantined.count)",
                                ])
                        }
                    }
                } catch {
                    logger.error("mail intake failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
