import ArgumentParser
import EventLog
import Foundation
import LeadLedgerCore

/// `--data DIR`, shared by every subcommand.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (log in <data>/log, projection store in <data>/projections).")
    var data: String = "./data"

    var configuration: LedgerConfiguration { LedgerConfiguration(dataDirectory: data) }

    /// Opens the existing log read-only (it must exist: operator commands never create an empty one by
    /// accident). Read-only takes no writer lock, so these commands work beside a running server.
    func openLog() throws -> EventLog {
        guard FileManager.default.fileExists(atPath: configuration.logDirectory) else {
            throw CLIError("no log at \(configuration.logDirectory) (use --data DIR)")
        }
        var logOptions = EventLog.Options()
        logOptions.readOnly = true
        return try EventLog(directory: configuration.logDirectory, options: logOptions)
    }
}

/// A failure reported as one line on stderr with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Parses `--as-of` / `--until`: an integer is a position, otherwise ISO-8601 (date-time or date).
func parseAsOf(_ text: String, option: String) throws -> AsOf {
    guard let asOf = AsOf(parsing: text) else {
        throw ValidationError(
            "\(option) must be a position (an integer) or an ISO-8601 time such as 2026-11-01T00:00:00Z or 2026-11-01")
    }
    return asOf
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension Data {
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}
