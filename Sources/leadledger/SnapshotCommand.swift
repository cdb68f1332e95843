import ArgumentParser
import Foundation
import LeadLedgerCore

/// `leadledger snapshot`: takes a snapshot of the current projections now.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Write a snapshot of the current projections (newest snapshot + log tail).")

    @OptionGroup var options: DataOptions

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        let projections = try currentProjections(log, options)
        keepUntilExit(projections)
        let written = try options.snapshots.write(projections)
        print("snapshot: \(written.path)")
        print("position: \(projections.position)")
        print("size: \(written.bytes) bytes")
    }
}
