import EventLog
import Foundation
import Logging

/// How to open a `Ledger`.
///
/// ```swift
/// var configuration = LedgerConfiguration(dataDirectory: "./data")
/// configuration.snapshotEvery = 100_000
/// let ledger = try await Ledger.open(configuration)
/// ```
public struct LedgerConfiguration: Sendable {
    /// The data directory: the log lives in `<data>/log`, snapshots in `<data>/snapshots`.
    public var dataDirectory: String
    /// The source of "now" for commands (inject a `SteppingClock` in tests).
    public var clock: any LedgerClock
    /// Take a snapshot in the background after this many applied events (0 = never, except on close).
    public var snapshotEvery: UInt64 = 100_000
    /// How many snapshot files to keep.
    public var snapshotsToKeep = 3
    /// Write a snapshot on `close()` when the projections moved past the newest one.
    public var snapshotOnClose = true
    public var logOptions = EventLog.Options()
    public var logger = Logger(label: "leadledger.core")

    public init(dataDirectory: String, clock: any LedgerClock = SystemClock()) {
        self.dataDirectory = dataDirectory
        self.clock = clock
    }

    public var logDirectory: String { dataDirectory + "/log" }
    public var snapshotDirectory: String { dataDirectory + "/snapshots" }
}
