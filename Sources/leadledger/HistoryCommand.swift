import ArgumentParser
import Foundation
import LeadDomain
import LeadLedgerCore

/// `leadledger history <lead-id>`: who changed what and when, optionally as of a time or position.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show a lead's history (timeline), optionally as of a time or position.")

    @OptionGroup var options: DataOptions

    @Argument(help: "The lead's id (UUID).")
    var leadId: String

    @Option(name: .customLong("as-of"), help: "A time (ISO-8601, or a date) or a log position (an integer).")
    var asOf: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard UUID(uuidString: leadId) != nil else { throw ValidationError("<lead-id> must be a UUID, got '\(leadId)'") }
        if let asOf { _ = try parseAsOf(asOf, option: "--as-of") }
    }

    func run() async throws {
        let id = UUID(uuidString: leadId)!
        let point = try asOf.map { try parseAsOf($0, option: "--as-of") }
        let log = try options.openLog()
        defer { log.close() }
        let store = try currentStore(log, options)
        defer { store.close() }
        let (settings, admins) = try store.read { view in (view.settings, try view.adminNames()) }
        let entries = try Replayer.history(of: id, log: log, asOf: point, settings: settings, adminNames: admins)
        guard !entries.isEmpty else {
            throw CLIError("lead \(id.uuidString.lowercased()) has no events" + (point.map { " as of \($0)" } ?? ""))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(try encoder.encode(entries).utf8String)
            return
        }
        func actorName(_ actor: String) -> String {
            UUID(uuidString: actor).flatMap { admins[$0] } ?? actor
        }
        let rows = entries.map { entry in
            [
                String(entry.position), Timestamp(rawValue: entry.recordedAt).iso8601, actorName(entry.actor),
                entry.type, entry.summary,
                entry.changes.map { "\($0.field): \($0.from ?? "∅") → \($0.to ?? "∅")" }.joined(separator: "; "),
            ]
        }
        printTable(header: ["POSITION", "TIME", "ACTOR", "TYPE", "SUMMARY", "CHANGES"], rows: rows)
    }
}

/// Prints left-aligned columns separated by two spaces (widths by character count).
func printTable(header: [String], rows: [[String]]) {
    var widths = header.map(\.count)
    for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    for row in [header] + rows {
        let cells = row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
        }
        print(cells.joined(separator: "  "))
    }
}
