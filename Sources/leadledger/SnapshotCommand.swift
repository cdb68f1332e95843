import ArgumentParser
import Foundation
import LeadLedgerCore

/// `leadledger snapshot`: a consistent, compacted copy of the projection store at one position, in
/// `<data>/snapshots/<position>/data.mdb` (a backup, and the seed of a replica). Works beside a running server.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Write a compacted copy of the projection store at its current position.")

    @OptionGroup var options: DataOptions

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        let store = try currentStore(log, options)
        defer { store.close() }
        let written = try store.snapshot(into: options.configuration.snapshotDirectory)
        print("snapshot: \(written.path)")
        print("position: \(written.position)")
        print("size: \(written.bytes) bytes")
    }
}
