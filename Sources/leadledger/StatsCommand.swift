import ArgumentParser
import Foundation
import LeadDomain
import LeadLedgerCore

/// `leadledger stats`: sizes and counts of the log and the projections.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Events, streams, leads by state, bytes on disk, compression ratio.")

    @OptionGroup var options: DataOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let log = try options.openLog()
        defer { log.close() }
        let stats = try log.stats()
        let projections = try currentProjections(log, options)
        keepUntilExit(projections)
        let now = Timestamp(rawValue: projections.lastRecordedAt)
        let counts = projections.directory.statusCounts(now: now)
        let snapshots = options.snapshots.entries()
        let snapshotBytes = snapshots.reduce(UInt64(0)) { total, entry in
            total + ((try? FileManager.default.attributesOfItem(atPath: entry.path)[.size] as? UInt64) ?? 0)
        }
        let ratio = stats.payloadBytesStored > 0 ? Double(stats.payloadBytesRaw) / Double(stats.payloadBytesStored) : 0
        var values: [(String, String)] = [
            ("head", "\(stats.head)"), ("events", "\(stats.events)"), ("streams", "\(stats.streams)"),
            ("leads", "\(projections.directory.count)"),
        ]
        for status in LeadStatus.allCases { values.append(("leads.\(status.rawValue)", "\(counts[status] ?? 0)")) }
        values += [
            ("customers", "\(projections.customers.customers.count)"), ("admins", "\(projections.admins.admins.count)"),
            ("log.bytesOnDisk", "\(stats.bytesOnDisk)"), ("payload.bytesRaw", "\(stats.payloadBytesRaw)"),
            ("payload.bytesStored", "\(stats.payloadBytesStored)"), ("payload.compressionRatio", String(format: "%.2f", ratio)),
            ("snapshots", "\(snapshots.count)"), ("snapshots.bytes", "\(snapshotBytes)"),
        ]
        if json {
            let body = values.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n")
            print("{\n\(body)\n}")
        } else {
            let width = values.map(\.0.count).max() ?? 0
            for (key, value) in values { print(key + ":" + String(repeating: " ", count: width - key.count + 1) + value) }
        }
    }
}
