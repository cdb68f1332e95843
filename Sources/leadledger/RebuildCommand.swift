import ArgumentParser
import Foundation
import LeadLedgerCore

/// `leadledger rebuild`: replays the whole log into fresh projections and writes a snapshot.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Replay the log from position 0 into fresh projections and write a snapshot.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Do not write a snapshot.")
    var noSnapshot = false

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        let progress = ProgressReporter(label: "rebuild")
        let started = Date()
        let projections = try Replayer.projections(log: log) { progress.report(done: $0.position, total: $0.target) }
        keepUntilExit(projections)
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        let events = projections.position
        let leads = projections.directory.count
        if !noSnapshot {
            let written = try options.snapshots.write(projections)
            print("snapshot: \(written.path) (\(written.bytes) bytes)")
        }
        print(
            String(
                format: "rebuilt: %llu events, %d leads in %.2f s (%.0f events/s)", events, leads, seconds,
                seconds > 0 ? Double(events) / seconds : 0))
    }
}
