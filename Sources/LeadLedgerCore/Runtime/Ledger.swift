import EventLog
import Foundation
import LeadDomain
import Logging
import Synchronization

/// The running LeadLedger: the event log, the command service, and the projection store kept up to date
/// behind it. One per data directory and process.
///
/// ```swift
/// let ledger = try await Ledger.open(LedgerConfiguration(dataDirectory: "./data"))
/// let result = try await ledger.execute(.lead(id, .markStep("qualified")), actor: admin, expectedVersion: 4)
/// // result.position is already applied: queries see the change (read-your-writes).
/// let count = try ledger.read { try $0.leadCount() }
/// try await ledger.close()
/// ```
public final class Ledger: Sendable {
    public let configuration: LedgerConfiguration
    /// The underlying log (reads, stats, verify). Append through `execute`, not directly.
    public let log: EventLog
    let commands: CommandService
    let store: ProjectionStore
    private let applier: ProjectionApplier
    private let observer: CommitObserverToken
    private let lifecycle = Mutex<Lifecycle>(Lifecycle())
    let bootstrapping = Atomic<Bool>(false)
    /// Serializes the find-or-create sections of intake (web forms, e-mail): see `AsyncSerialLock`.
    public let contactIntake = AsyncSerialLock()

    private struct Lifecycle {
        var closed = false
        var inFlight = 0
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private init(configuration: LedgerConfiguration, log: EventLog, store: ProjectionStore, serving: String) {
        self.configuration = configuration
        self.log = log
        commands = CommandService(log: log, clock: configuration.clock) { leadId in
            try store.read { try $0.deals(ofLead: leadId).map(\.id) }
        }
        self.store = store
        applier = ProjectionApplier(
            log: log, store: store, generations: configuration.projectionGenerations, serving: serving,
            logger: configuration.logger
        ) { _ in }
        let applier = applier
        observer = log.onCommit { head in applier.signal(head) }
    }

    /// Opens the log at `<data>/log` and the projection store's current generation under `<data>/projections`,
    /// applies the log's tail past the store's position (all of it for a new store, or one of another format,
    /// logged with progress), and starts applying new commits. A store ahead of the log (a log restored from an
    /// older backup) is emptied and rebuilt: it never serves state the log does not hold.
    public static func open(_ configuration: LedgerConfiguration) async throws -> Ledger {
        let clock = ContinuousClock()
        let opening = clock.now
        try FileManager.default.createDirectory(atPath: configuration.logDirectory, withIntermediateDirectories: true)
        let log = try EventLog(directory: configuration.logDirectory, options: configuration.logOptions)
        do {
            let generations = configuration.projectionGenerations
            let directory = try generations.currentDirectory()
            let database = try Self.openStore(directory, log: log, logger: configuration.logger)
            let started = try database.position()
            let logger = configuration.logger
            let replayed = try database.catchUp(log: log) { progress in
                logger.info("projection store catching up", metadata: ["position": "\(progress.position)", "head": "\(progress.target)"])
            }
            configuration.logger.info(
                "ledger open",
                metadata: [
                    "store": "\(started)", "replayed": "\(replayed)", "head": "\(log.head)",
                    "seconds": "\((clock.now - opening).secondsText)",
                ])
            let ledger = Ledger(
                configuration: configuration, log: log, store: try ProjectionStore(database),
                serving: generations.current() ?? "")
            ledger.applier.start()
            ledger.applier.signal(log.head)  // commits between the catch-up and the observer's registration
            return ledger
        } catch {
            log.close()
            throw error
        }
    }

    /// The store in `directory`, or a new empty one there when it cannot be served: unreadable or torn (a file
    /// shorter than its pages), or ahead of the log (a log restored from an older backup). Either way the caller
    /// replays the log into it; it never serves state the log does not hold.
    static func openStore(_ directory: String, log: EventLog, logger: Logger) throws -> ProjectionDatabase {
        func fresh(_ reason: String) throws -> ProjectionDatabase {
            logger.warning("projection store rebuilding", metadata: ["directory": "\(directory)", "reason": "\(reason)"])
            try FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try ProjectionDatabase(directory: directory)
        }
        let database: ProjectionDatabase
        do {
            database = try ProjectionDatabase(directory: directory)
        } catch {
            return try fresh("unreadable: \(error)")
        }
        if case .emptied(let reason) = database.openState { logger.notice("projection store rebuilding", metadata: ["reason": "\(reason)"]) }
        let stored = try database.position()
        if stored > log.head {
            database.close()
            return try fresh("the store is at position \(stored), ahead of the log's head \(log.head)")
        }
        return database
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
        if case .lead(_, let leadCommand) = command, leadCommand.needsDeals {
            // The lead's deals come from the store: let it reflect every deal committed so far.
            try await store.waitUntilApplied(log.head)
        }
        let result = try await commands.execute(
            command, actor: actor, expectedVersion: expectedVersion, idempotencyKey: idempotencyKey,
            requestFingerprint: requestFingerprint)
        try await store.waitUntilApplied(result.position)
        return result
    }

    // MARK: - Queries

    /// Runs `body` on the projection store at one position (one read transaction, which never waits for the
    /// writer: keep it to the query itself and copy out what you need).
    public func read<T>(_ body: (borrowing ProjectionView) throws -> T) throws -> T {
        try store.read(body)
    }

    /// The log position the projection store reflects.
    public var appliedPosition: UInt64 { store.appliedPosition }

    /// Returns once the projection store reflects `position` (e.g. a position a client saw elsewhere).
    public func waitUntilApplied(_ position: UInt64) async throws {
        try await store.waitUntilApplied(position)
    }

    /// The settings in force (folded from the `settings` stream).
    public func currentSettings() throws -> SettingsState { try commands.currentSettings().state }

    /// A lead's current state from its stream (nil: no such lead).
    public func lead(_ id: UUID) throws -> LeadAsOf? { try Replayer.lead(id, log: log) }

    /// A lead as it was at a time or position (replaying its stream up to then); nil if it did not exist.
    public func lead(_ id: UUID, asOf: AsOf? = nil) throws -> LeadAsOf? { try Replayer.lead(id, log: log, asOf: asOf) }

    /// A lead's history (who changed what, when), optionally as of a point; names from the store.
    public func history(of id: UUID, asOf: AsOf? = nil) throws -> [HistoryEntry] {
        let (settings, admins) = try read { view in (view.settings, try view.adminNames()) }
        return try Replayer.history(of: id, log: log, asOf: asOf, settings: settings, adminNames: admins)
    }

    /// Up to `limit` (1…1000) events after `position`, for the HTTP event feed.
    public func eventFeed(after position: UInt64, limit: Int = 100) throws -> EventFeedPage {
        guard (1...1000).contains(limit) else { throw LedgerError(.invalidArgument, "limit must be 1…1000") }
        return EventFeedPage(events: try log.read(after: position, limit: limit), after: position)
    }

    /// Events after `position`: catch-up, then live (for server-sent events).
    public func subscribe(after position: UInt64) -> EventSubscription { log.subscribe(after: position) }

    // MARK: - Snapshots

    /// Writes a consistent, compacted copy of the projection store (one read transaction: one position) into
    /// `<data>/snapshots/<position>`: a backup, and the seed of a replica (put it in place as a generation).
    /// Returns its directory, size in bytes and position.
    @discardableResult
    public func snapshot() throws -> (path: String, bytes: Int, position: UInt64) {
        try store.database.snapshot(into: configuration.snapshotDirectory)
    }

    // MARK: - Lifecycle

    func enter() throws {
        try lifecycle.withLock { state throws(LedgerError) in
            if state.closed { throw LedgerError(.closed, "the ledger is closed") }
            state.inFlight += 1
        }
    }

    func leave() {
        let drained = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.inFlight -= 1
            guard state.inFlight == 0 else { return [] }
            defer { state.drained.removeAll() }
            return state.drained
        }
        for continuation in drained { continuation.resume() }
    }

    /// Stops accepting commands, waits for the ones in flight, applies what is committed and closes the log.
    /// Idempotent.
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
        store.fail(LedgerError(.closed, "the ledger is closed"))
        log.close()
        store.database.close()
    }
}
