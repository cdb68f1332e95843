import EventLog
import Foundation
import Logging

/// How to open a `Ledger`.
///
/// ```swift
/// let configuration = LedgerConfiguration(dataDirectory: "./data")
/// let ledger = try await Ledger.open(configuration)
/// ```
public struct LedgerConfiguration: Sendable {
    /// The data directory: the log lives in `<data>/log`, the projection store in `<data>/projections`,
    /// snapshots of the store in `<data>/snapshots`.
    public var dataDirectory: String
    /// The source of "now" for commands (inject a `SteppingClock` in tests).
    public var clock: any LedgerClock
    public var logOptions = EventLog.Options()
    public var logger = Logger(label: "leadledger.core")

    public init(dataDirectory: String, clock: any LedgerClock = SystemClock()) {
        self.dataDirectory = dataDirectory
        self.clock = clock
    }

    public var logDirectory: String { dataDirectory + "/log" }
    public var snapshotDirectory: String { dataDirectory + "/snapshots" }
    public var projectionDirectory: String { dataDirectory + "/projections" }
    public var projectionGenerations: ProjectionGenerations { ProjectionGenerations(root: projectionDirectory) }
}
