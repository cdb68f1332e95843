import ArgumentParser
import EventLog
import Foundation
import LeadLedgerCore

/// `leadledger verify`: the hash chain, then a rebuild from position 0 (in a temporary store) compared entry by
/// entry with the projection store at the same position.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the log's hash chain, then rebuild from position 0 and compare with the projection store.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        let chainProgress = ProgressReporter(label: "hash chain")
        let report = try log.verify { chainProgress.report(done: $0, total: $1) }
        chainProgress.finish()
        guard report.isIntact else {
            throw CLIError(
                "hash chain broken at position \(report.firstBadPosition!): \(report.problem ?? "mismatch")")
        }
        print("hash chain: \(report.eventsVerified) events intact, head hash \(report.headHash)")

        // A copy of the store at one position (a server may move the store on meanwhile), then a rebuild to it.
        let store = try currentStore(log, options)
        let copy = try store.snapshot(into: options.configuration.projectionDirectory + "/verify-\(ProcessInfo.processInfo.processIdentifier)")
        store.close()
        defer { try? FileManager.default.removeItem(atPath: (copy.path as NSString).deletingLastPathComponent) }
        let current = try ProjectionDatabase(directory: copy.path, emptyOnMismatch: false)
        defer { current.close() }
        let rebuilt = try TemporaryStore(
            log, options, through: .position(copy.position), progress: ProgressReporter(label: "rebuild"))
        if let difference = try current.firstDifference(from: rebuilt.database) {
            throw CLIError("the projection store differs from a rebuild to position \(copy.position): \(difference)")
        }
        print("projections: a rebuild to position \(copy.position) equals the projection store entry for entry")
        print("verify: OK")
    }
}
