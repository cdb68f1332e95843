import ArgumentParser
import Foundation
import LeadLedgerCore

/// `leadledger verify`: the hash chain, then a full rebuild compared with the snapshot-based projections.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the log's hash chain, then rebuild from position 0 and compare with the snapshot + tail.")

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

        let snapshot = options.snapshots.loadNewest(atMost: log.head)
        var live = snapshot ?? Projections()
        try Replayer.catchUp(&live, log: log)
        let rebuildProgress = ProgressReporter(label: "rebuild")
        let rebuilt = try Replayer.projections(log: log) { rebuildProgress.report(done: $0.position, total: $0.target) }
        rebuildProgress.finish()
        keepUntilExit(live)
        keepUntilExit(rebuilt)
        let liveBytes = try live.encodeCanonical()
        let rebuiltBytes = try rebuilt.encodeCanonical()
        guard liveBytes == rebuiltBytes else {
            let liveJSON = live.goldenJSON()
            let rebuiltJSON = rebuilt.goldenJSON()
            let differing = Set(liveJSON.keys).union(rebuiltJSON.keys).sorted().filter { liveJSON[$0] != rebuiltJSON[$0] }
            throw CLIError(
                "projections differ from a full rebuild"
                    + (differing.isEmpty ? " (canonical bytes only)" : ": " + differing.joined(separator: ", "))
                    + " (snapshot at position \(snapshot?.position ?? 0))")
        }
        print(
            "projections: a full rebuild to position \(rebuilt.position) equals "
                + (snapshot.map { "snapshot \($0.position) + tail" } ?? "the live replay")
                + " (\(rebuiltBytes.count) canonical bytes)")
        print("verify: OK")
    }
}
