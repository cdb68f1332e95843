import EventLog
import Foundation
import LeadDomain
import Logging
import Synchronization

/// The running LeadLedger: the event log, the command service, and the live projections kept up to date
/// behind it, with snapshots. One per data directory and process.
///
/// ```swift
/// let ledger = try await Ledger.open(LedgerConfiguration(dataDirectory: "./data"))
/// let result = try await ledger.execute(.lead(id, .markStep("qualified")), actor: admin, expectedVersion: 4)
/// // result.position is already applied: queries see the change (read-your-writes).
/// let count = ledger.read { $0.leadCount }
/// try await ledger.close()
/// ```
public final class Ledger: Sendable {
    public let configuration: LedgerConfiguration
    /// The underlying log (reads, stats, verify). Append through `execute`, not directly.
    public let log: EventLog
    let commands: CommandService
    let store: ProjectionStore
    let snapshots: SnapshotStore
    private let applier: ProjectionApplier
    private let observer: CommitObserverToken
    private let lifecycle = Mutex<Lifecycle>(Lifecycle())
    private let snapshotRunning = Atomic<Bool>(false)
    private let lastSnapshotPosition: Atomic<UInt64>
    let bootstrapping = Atomic<Bool>(false)

    private struct Lifecycle {
        var closed = false
        var inFlight = 0
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private init(configuration: LedgerConfiguration, log: EventLog, projections: Projections) {
        self.configuration = configuration
        self.log = log
        commands = CommandService(log: log, clock: configuration.clock)
        store = ProjectionStore(projections)
        snapshots = SnapshotStore(
            directory: configuration.snapshotDirectory, keep: configuration.snapshotsToKeep,
            logger: configuration.logger)
        lastSnapshotPosition = Atomic(projections.position)
        let store = store
        let snapshotEvery = configuration.snapshotEvery
        let trigger = SnapshotTrigger()
        applier = ProjectionApplier(log: log, store: store, logger: configuration.logger) { applied in
            trigger.fire(applied)
        }
        let applier = applier
        observer = log.onCommit { head in applier.signal(head) }
        trigger.action = { [weak self] applied in
            guard let self, snapshotEvery > 0 else { return }
            if applied >= lastSnapshotPosition.load(ordering: .relaxed) + snapshotEvery { snapshotInBackground() }
        }
    }

    /// Opens the log at `<data>/log`, loads the newest valid snapshot from `<data>/snapshots`, replays the
    /// tail, and starts applying new commits.
    public static func open(_ configuration: LedgerConfiguration) async throws -> Ledger {
        let clock = ContinuousClock()
        let opening = clock.now
        try FileManager.default.createDirectory(atPath: configuration.logDirectory, withIntermediateDirectories: true)
        let log = try EventLog(directory: configuration.logDirectory, options: configuration.logOptions)
        do {
            let snapshots = SnapshotStore(
                directory: configuration.snapshotDirectory, keep: configuration.snapshotsToKeep,
                logger: configuration.logger)
            var projections: Projections
            let started: UInt64  // the snapshot's position, 0 without one
            if let loaded = snapshots.loadNewest(atMost: log.head) {
                projections = loaded
                started = loaded.position
                try Replayer.catchUp(&projections, log: log)
            } else {
                projections = try Replayer.projections(log: log)  // no usable snapshot: a bulk rebuild
                started = 0
            }
            releaseFreedMemory()
            configuration.logger.info(
                "ledger open",
                metadata: [
                    "snapshot": "\(started)", "replayed": "\(projections.position - started)", "head": "\(log.head)",
                    "seconds": "\((clock.now - opening).secondsText)",
                ])
            let ledger = Ledger(configuration: configuration, log: log, projections: projections)
            ledger.lastSnapshotPosition.store(started, ordering: .relaxed)
            ledger.applier.start()
            ledger.applier.signal(log.head)  // commits between the catch-up and the observer's registration
            return ledger
        } catch {
            log.close()
            throw error
        }
    }

    // MARK: - Commands

    /// Executes a command: loads the target aggregate (and the related ones it names), decides with the
    /// current settings and the clock's `now`, appends every stream of the decision atomically with exact
    /// expected versions, re-decides once if another writer got in between, and returns after the live
    /// projections applied the command's events.
    ///
    /// - Parameters:
    ///   - actor: the admin issuing the command (stored as the events' `metadata.actor`).
    ///   - expectedVersion: the target stream version the caller saw (HTTP `If-Match`); a different current
    ///     version throws `LedgerError.preconditionFailed` without deciding.
    ///   - idempotencyKey: makes retries safe: a command already executed with the same (actor, key) is
    ///     answered with its original positions (`replayed == true`) and appends nothing.
    /// - Throws: `DomainError` when the command is rejected (nothing is appended); `LedgerError`
    ///   (`preconditionFailed`, `concurrentModification`, `invalidArgument`, `closed`); `EventLogError`.
    @discardableResult
    public func execute(
        _ command: LedgerCommand, actor: UUID, expectedVersion: UInt64? = nil, idempotencyKey: String? = nil,
        requestFingerprint: String? = nil
    ) async throws -> CommandResult {
        try enter()
        defer { leave() }
        let result = try await commands.execute(
            command, actor: actor, expectedVersion: expectedVersion, idempotencyKey: idempotencyKey,
            requestFingerprint: requestFingerprint)
        try await store.waitUntilApplied(result.position)
        return result
    }

    // MARK: - Queries

    /// Runs `body` on one consistent value of the live projections (a read lock held for its duration:
    /// keep it to the query itself; copy out what you need).
    public func read<T>(_ body: (borrowing Projections) throws -> T) rethrows -> T {
        try store.read(body)
    }

    /// The log position the live projections reflect.
    public var appliedPosition: UInt64 { store.appliedPosition }

    /// Returns once the live projections reflect `position` (e.g. a position a client saw elsewhere).
    public func waitUntilApplied(_ position: UInt64) async throws {
        try await store.waitUntilApplied(position)
    }

    /// The settings in force (folded from the `settings` stream).
    public func currentSettings() throws -> SettingsState { try commands.currentSettings().state }

    /// A lead's current state from its stream (nil: no such lead).
    public func lead(_ id: UUID) throws -> LeadAsOf? { try Replayer.lead(id, log: log) }

    /// A lead as it was at a time or position (replaying its stream up to then); nil if it did not exist.
    public func lead(_ id: UUID, asOf: AsOf) throws -> LeadAsOf? { try Replayer.lead(id, log: log, asOf: asOf) }

    /// A lead's history (who changed what, when), optionally as of a point.
    public func history(of id: UUID, asOf: AsOf? = nil) throws -> [HistoryEntry] {
        try Replayer.history(of: id, log: log, asOf: asOf, names: store.snapshotValue())
    }

    /// Fresh projections replayed from position 0 to a time or position (not the live value). Costs a replay
    /// of the log up to there: an operator/audit query, not for hot paths.
    public func projections(asOf: AsOf) throws -> Projections { try Replayer.projections(log: log, asOf: asOf) }

    /// Up to `limit` (1…1000) events after `position`, for the HTTP event feed.
    public func eventFeed(after position: UInt64, limit: Int = 100) throws -> EventFeedPage {
        guard (1...1000).contains(limit) else { throw LedgerError(.invalidArgument, "limit must be 1…1000") }
        return EventFeedPage(events: try log.read(after: position, limit: limit), after: position)
    }

    /// Events after `position`: catch-up, then live (for server-sent events).
    public func subscribe(after position: UInt64) -> EventSubscription { log.subscribe(after: position) }

    // MARK: - Snapshots

    /// Writes a snapshot of the live projections now. Returns its path, size in bytes and position.
    @discardableResult
    public func snapshot() throws -> (path: String, bytes: Int, position: UInt64) {
        let value = store.snapshotValue()
        let (path, bytes) = try snapshots.write(value)
        lastSnapshotPosition.store(value.position, ordering: .relaxed)
        return (path, bytes, value.position)
    }

    private func snapshotInBackground() {
        guard !snapshotRunning.exchange(true, ordering: .acquiring) else { return }
        lastSnapshotPosition.store(store.appliedPosition, ordering: .relaxed)
        let thread = Thread { [self] in
            defer { snapshotRunning.store(false, ordering: .releasing) }
            do {
                try snapshot()
            } catch {
                configuration.logger.error("background snapshot failed", metadata: ["error": "\(error)"])
            }
        }
        thread.name = "leadledger.snapshot"
        thread.start()
    }

    // MARK: - Lifecycle

    private func enter() throws {
        try lifecycle.withLock { state throws(LedgerError) in
            if state.closed { throw LedgerError(.closed, "the ledger is closed") }
            state.inFlight += 1
        }
    }

    private func leave() {
        let drained = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.inFlight == 0 else { return [] }
            defer { state.drained.removeAll() }
            return state.drained
        }
        for continuation in drained { continuation.resume() }
    }

    /// Stops accepting commands, waits for the ones in flight, applies what is committed, writes a snapshot
    /// (when configured and the projections moved past the newest one) and closes the log. Idempotent.
    public func close() async throws {
        let first = lifecycle.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard first else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lifecycle.withLock { state -> Bool in
                if state.inFlight == 0 { return true }
                state.drained.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
        log.removeCommitObserver(observer)
        applier.stop()
        while snapshotRunning.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(5)) }
        defer {
            store.fail(LedgerError(.closed, "the ledger is closed"))
            log.close()
        }
        let newest = snapshots.entries().first?.position ?? 0
        if configuration.snapshotOnClose, store.appliedPosition > newest { try snapshot() }
    }
}

/// Lets the applier reach the ledger's snapshot policy without a reference cycle at construction.
private final class SnapshotTrigger: @unchecked Sendable {
    var action: (@Sendable (UInt64) -> Void)?
    func fire(_ applied: UInt64) { action?(applied) }
}
