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
        let builder = try Replayer.replayed(log: log) { progress.report(done: $0.position, total: $0.target) }
        progress.finish()
        let replaySeconds = Date().timeIntervalSince(started)
        // The index build prints nothing while it runs (about as long as the replay at 10^6 leads): say what it does.
        printError(
            String(
                format: "rebuild: replayed %llu events in %.2f s; building the indexes of %d leads", builder.position,
                replaySeconds, builder.leadCount))
        let projections = builder.build()
        keepUntilExit(projections)
        let seconds = Date().timeIntervalSince(started)
        let events = projections.position
        let leads = projections.directory.count
        if !noSnapshot {
            let written = try options.snapshots.write(projections)
            print("snapshot: \(written.path) (\(written.bytes) bytes)")
        }
        print(
            String(
                format: "rebuilt: %llu events, %d leads in %.2f s (%.0f events/s): replay %.2f s, indexes %.2f s",
                events, leads, seconds, seconds > 0 ? Double(events) / seconds : 0, replaySeconds,
                seconds - replaySeconds))
    }
}
