import EventLog
import Foundation
import LeadLedgerCore

/// The projection store for an operator command: the current generation, with the log's tail applied (safe
/// beside a running server: the store's position is part of every write transaction, so an event is applied
/// once whoever gets to it first). A data directory without a store gets its first generation.
func currentStore(_ log: EventLog, _ options: DataOptions) throws -> ProjectionDatabase {
    let generations = options.configuration.projectionGenerations
    let database = try ProjectionDatabase(directory: try generations.currentDirectory(), emptyOnMismatch: false)
    try database.catchUp(log: log)
    return database
}

/// A store built from position 0 through `asOf` in a temporary directory, removed by `remove()`.
struct TemporaryStore: ~Copyable {
    let directory: String
    let database: ProjectionDatabase

    init(_ log: EventLog, _ options: DataOptions, through asOf: AsOf?, progress: ProgressReporter? = nil) throws {
        let directory = options.configuration.projectionDirectory
            + "/tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        let database = try ProjectionDatabase(directory: directory, durability: .discardable)
        do {
            try database.catchUp(log: log, through: asOf) { progress?.report(done: $0.position, total: $0.target) }
            progress?.finish()
        } catch {
            database.close()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        self.directory = directory
        self.database = database
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The store's golden JSON as one object `{ "<projection>": …, … }`, keys sorted.
func combinedGoldenJSON(_ view: borrowing ProjectionView) throws -> String {
    let parts = try view.goldenJSON().sorted { $0.key < $1.key }
    var out = "{\n"
    for (index, part) in parts.enumerated() {
        let body = part.value.utf8String.replacingOccurrences(of: "\n", with: "\n  ")
        out += "  \"\(part.key)\" : \(body)\(index == parts.count - 1 ? "" : ",")\n"
    }
    return out + "}"
}
