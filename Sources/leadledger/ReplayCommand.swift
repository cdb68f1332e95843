import ArgumentParser
import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore

/// `leadledger replay --until X`: the projections as they were at a time or position, from a store built in a
/// temporary directory (the running server's store is not touched; memory stays bounded at any size).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay the log from position 0 up to a time or position and show the projections then.")

    @OptionGroup var options: DataOptions

    @Option(help: "A time (ISO-8601, or a date = its end) or a log position (an integer), inclusive.")
    var until: String

    @Flag(help: "Print every projection's golden JSON form.")
    var json = false

    func validate() throws { _ = try parseAsOf(until, option: "--until") }

    func run() async throws {
        let point = try parseAsOf(until, option: "--until")
        let log = try options.openLog()
        defer { log.close() }
        let store = try TemporaryStore(log, options, through: point)
        let json = json
        try store.database.read { view in
            if json {
                print(try combinedGoldenJSON(view))
                return
            }
            let now = Timestamp(rawValue: view.lastRecordedAt)
            print("as of \(point): position \(view.position), last event at \(now.iso8601)")
            print("\nleads by state:")
            let counts = try view.statusCounts(now: now)
            for status in LeadStatus.allCases { print("  \(status.rawValue): \(counts[status] ?? 0)") }
            print("\nkanban:")
            let board = try view.kanban(KanbanQuery(pageSize: 1), now: now)
            for column in board.columns { print("  \(column.step.key) (\(column.step.name)): \(column.count)") }
            let funnel = try view.funnel()
            print("\nfunnel: created \(funnel.created), converted \(funnel.converted)")
            for step in funnel.steps {
                let rate = step.conversionFromPrevious.map { String(format: " (%.1f%% of previous)", $0 * 100) } ?? ""
                print("  \(step.step): reached \(step.reached)\(rate)")
            }
            print("\nby source:")
            for row in try view.perSource() {
                print(String(format: "  %@: %d leads, %d converted (%.1f%%)", row.source, row.count, row.converted, row.conversionRate * 100))
            }
            print("\ncustomers: \(try view.customerCount()), admins: \(try view.adminCount())")
        }
    }
}
