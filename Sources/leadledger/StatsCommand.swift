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
        let store = try currentStore(log, options)
        defer { store.close() }
        let (leads, counts, customers, admins) = try store.read { view in
            let now = Timestamp(rawValue: view.lastRecordedAt)
            return (try view.leadCount(), try view.statusCounts(now: now), try view.customerCount(), try view.adminCount())
        }
        let storeBytes = try store.bytesOnDisk()
        let perEvent = { (bytes: UInt64) in stats.events > 0 ? String(format: "%.1f", Double(bytes) / Double(stats.events)) : "0" }
        let ratio = stats.payloadBytesStored > 0 ? Double(stats.payloadBytesRaw) / Double(stats.payloadBytesStored) : 0
        var values: [(String, String)] = [
            ("head", "\(stats.head)"), ("events", "\(stats.events)"), ("streams", "\(stats.streams)"),
            ("leads", "\(leads)"),
        ]
        for status in LeadStatus.allCases { values.append(("leads.\(status.rawValue)", "\(counts[status] ?? 0)")) }
        values += [
            ("customers", "\(customers)"), ("admins", "\(admins)"),
            ("log.bytesOnDisk", "\(stats.bytesOnDisk)"), ("payload.bytesRaw", "\(stats.payloadBytesRaw)"),
            ("payload.bytesStored", "\(stats.payloadBytesStored)"), ("payload.compressionRatio", String(format: "%.2f", ratio)),
            ("log.bytesPerEvent", perEvent(stats.bytesOnDisk)), ("projections.bytesOnDisk", "\(storeBytes)"),
            ("projections.bytesPerEvent", perEvent(storeBytes)),
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
