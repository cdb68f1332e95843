import Foundation
import Logging
import Synchronization

/// One stream's part of an atomic multi-stream append.
public struct StreamAppend: Sendable, Hashable {
    public var streamId: String
    public var expectedVersion: ExpectedVersion
    public var events: [ProposedEvent]

    public init(streamId: String, expectedVersion: ExpectedVersion, events: [ProposedEvent]) {
        self.streamId = streamId
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

/// The append-only event log over LMDB: gapless global positions, per-stream versions, idempotent
/// appends, a SHA-256 hash chain, zstd-compressed payloads, one group-committing writer.
///
/// ```swift
/// let log = try EventLog(directory: "data/log")
/// let result = try await log.append([event], to: "lead-42", expectedVersion: .noStream)
/// for event in try log.readStream("lead-42") { ... }
/// ```
///
/// Appends from any number of tasks are queued to one writer thread, which commits everything queued
/// in one durable LMDB transaction (each append in its own nested transaction, so a failing append is
/// rejected alone) and answers each caller only after that commit has returned.
public final class EventLog: Sendable {
    public struct Options: Sendable {
        /// Initial LMDB map size; the map doubles whenever it is full.
        public var initialMapSize: Int = 64 << 20
        /// Largest accepted payload (uncompressed).
        public var maxPayloadBytes: Int = 1 << 20
        /// Most events in one call to `append` (over all its streams).
        public var maxBatchEvents: Int = 10_000
        public var compression = CompressionOptions()
        /// LMDB reader slots (concurrent read transactions).
        public var maxReaders: UInt32 = 1024
        public var logger = Logger(label: "leadledger.eventlog")
        /// Open for reading only: no writer lock is taken (so it works beside a running server) and every
        /// append throws `readOnly`. A writable log holds an exclusive lock on `<directory>/writer.lock` until
        /// `close()`: the writer keeps the chain head, the last hash and stream versions in memory, so a second
        /// writer would write over positions it does not know about. A second writable open throws `locked`.
        public var readOnly = false
        /// Tests only: every LMDB write of an event to this stream fails (as an I/O error would), to
        /// exercise the writer's fallback to nested transactions.
        var failWritesToStream: String?

        public init() {}
    }

    let store: LogStore
    private let writer: LogWriter
    private let writerLock: WriterLock?
    private let options: Options
    private let closed = Atomic<Bool>(false)
    private let nextObserverId = Atomic<Int>(0)

    /// Opens (creating if needed) the log in `directory`.
    /// Throws `unsupportedFormat` when the directory was written by a newer format version.
    public init(directory: String, options: Options = .init()) throws {
        self.options = options
        // The lock comes first: the writer reads the head and chain state it will keep in memory.
        writerLock = options.readOnly ? nil : try WriterLock(directory: directory)
        do {
            store = try LogStore(directory: directory, options: options)
            writer = try LogWriter(store: store, options: options)
        } catch {
            writerLock?.release()
            throw error
        }
        writer.start()
    }

    deinit { close() }

    /// Stops accepting appends, commits what is already queued, waits for running reads, closes LMDB.
    /// Idempotent. Later calls throw `closed`; subscriptions end.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        writer.stop()
        store.headSignal.close()
        store.env.close()
        writerLock?.release()
    }

    // MARK: - Appending

    /// Appends `events` to one stream if its version matches `expectedVersion`, atomically.
    ///
    /// - Re-sending a batch whose event ids are all stored (in this stream) returns the original
    ///   positions with `alreadyStored == true` and writes nothing, whatever `expectedVersion` says.
    /// - A batch mixing stored and new ids throws `partiallyStored`; nothing is written.
    /// - Returns after the durable commit.
    @discardableResult
    public func append(_ events: [ProposedEvent], to streamId: String, expectedVersion: ExpectedVersion)
        async throws -> AppendResult
    {
        let results = try await append([StreamAppend(streamId: streamId, expectedVersion: expectedVersion, events: events)])
        return results[0]
    }

    /// Appends to several streams atomically (all or nothing, one nested transaction in one group commit):
    /// used by merge (target + sources), conversion (lead + customer) and import batches. Results are in
    /// the order of `batches`.
    @discardableResult
    public func append(_ batches: [StreamAppend]) async throws -> [AppendResult] {
        if options.readOnly { throw EventLogError.readOnly() }
        try validate(batches)
        if closed.load(ordering: .acquiring) { throw EventLogError.closed() }
        return try await withCheckedThrowingContinuation { continuation in
            let pending = PendingAppend(batches: batches, continuation: continuation)
            if !writer.enqueue(pending) { continuation.resume(throwing: EventLogError.closed()) }
        }
    }

    private func validate(_ batches: [StreamAppend]) throws {
        guard !batches.isEmpty else { throw EventLogError.emptyBatch(stream: nil) }
        var total = 0
        for batch in batches { total += batch.events.count }
        guard total <= options.maxBatchEvents else { throw EventLogError.batchTooLarge(count: total, limit: options.maxBatchEvents) }
        // One event needs no duplicate check (and no set).
        var ids = Set<UUID>(minimumCapacity: total > 1 ? total : 0)
        for batch in batches {
            guard EventLog.isValidStreamId(batch.streamId) else { throw EventLogError.invalidStreamId(batch.streamId) }
            guard !batch.events.isEmpty else { throw EventLogError.emptyBatch(stream: batch.streamId) }
            for event in batch.events {
                guard total == 1 || ids.insert(event.id).inserted else { throw EventLogError.duplicateEventIdInBatch(event.id) }
                let limit = min(options.maxPayloadBytes, RecordFormat.maxPayloadLength)
                guard event.payload.count <= limit else {
                    throw EventLogError.payloadTooLarge(
                        stream: batch.streamId, eventId: event.id, size: event.payload.count, limit: limit)
                }
                let typeLength = event.type.utf8.count
                guard typeLength > 0 && typeLength <= 255 else {
                    throw EventLogError.invalidEvent(stream: batch.streamId, eventId: event.id, reason: "type must be 1–255 bytes")
                }
                let actorLength = event.metadata.actor.utf8.count
                guard actorLength > 0 && actorLength <= 255 else {
                    throw EventLogError.invalidEvent(stream: batch.streamId, eventId: event.id, reason: "actor must be 1–255 bytes")
                }
            }
        }
    }

    /// Stream ids: a lowercase kind (`[a-z][a-z0-9]*`), optionally followed by `-` and 1–200 characters of
    /// `[A-Za-z0-9_.:-]`; at most 255 bytes. Examples: `lead-42`, `customer-7f3a`, `settings`, `admin-1`.
    public static func isValidStreamId(_ streamId: String) -> Bool {
        let utf8 = streamId.utf8
        guard !utf8.isEmpty, utf8.count <= 255 else { return false }
        var index = utf8.startIndex
        guard let first = utf8.first, first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") else { return false }
        index = utf8.index(after: index)
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "-") { break }
            guard (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            else { return false }
            index = utf8.index(after: index)
        }
        if index == utf8.endIndex { return true }
        let suffix = utf8[utf8.index(after: index)...]
        guard (1...200).contains(suffix.count) else { return false }
        for byte in suffix {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    // MARK: - Commit observers

    /// Last committed global position (0 when the log is empty).
    public var head: UInt64 { store.currentHead }

    /// Registers `observer`, called synchronously on the writer thread after every durable commit that
    /// added events, with the new head — before the appending callers are answered, so projections
    /// updated here give read-your-writes. Keep it short (it delays the next group commit); it may read
    /// the log but must not block waiting for an append. Remove it with `removeCommitObserver`.
    @discardableResult
    public func onCommit(_ observer: @escaping @Sendable (_ head: UInt64) -> Void) -> CommitObserverToken {
        let id = nextObserverId.add(1, ordering: .relaxed).newValue
        writer.observers.withLock { $0[id] = observer }
        return CommitObserverToken(id: id)
    }

    public func removeCommitObserver(_ token: CommitObserverToken) {
        _ = writer.observers.withLock { $0.removeValue(forKey: token.id) }
    }

    /// Returns once the committed head is at least `position` (at once if it already is).
    /// Throws `CancellationError` when the task is cancelled and `closed` when the log closes first.
    public func waitForCommit(through position: UInt64) async throws {
        if position == 0 || store.currentHead >= position { return }
        if await store.headSignal.wait(untilAbove: position - 1) { return }
        try Task.checkCancellation()
        throw EventLogError.closed()
    }

    // MARK: - Reading

    /// The version of a stream's last event; 0 when the stream does not exist.
    /// The ids of the streams that have events and start with `prefix` (e.g. every `admin-`), in byte order.
    public func streamIds(withPrefix prefix: String) throws -> [String] {
        try store.streamIds(withPrefix: prefix)
    }

    public func streamVersion(_ streamId: String) throws -> UInt64 {
        try store.streamVersion(streamId)
    }

    /// The stored event with this id, or `nil` when no event has it.
    public func event(withId id: UUID) throws -> RecordedEvent? { try store.event(withId: id) }

    /// A stream's events from `fromVersion` on, optionally only those at global positions ≤ `throughPosition`
    /// (the state "as of" a position).
    public func readStream(_ streamId: String, fromVersion: UInt64 = 1, throughPosition: UInt64? = nil) throws
        -> [RecordedEvent]
    {
        try store.readStream(streamId, fromVersion: fromVersion, throughPosition: throughPosition)
    }

    /// Up to `limit` events with positions after `position`, in order.
    public func read(after position: UInt64, limit: Int) throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        var events: [RecordedEvent] = []
        events.reserveCapacity(min(limit, 4096))
        try store.scanEvents(after: position, through: nil) { (event) in
            events.append(event)
            return events.count < limit
        }
        return events
    }

    /// Replay: calls `body` with each event after `position` (through `through`, when given) in order,
    /// inside ONE read transaction; return false to stop. `body` is synchronous and nothing escapes the
    /// transaction but the `RecordedEvent` values. Map growth waits while a replay runs.
    public func forEach(after position: UInt64 = 0, through: UInt64? = nil, _ body: (RecordedEvent) throws -> Bool)
        throws
    {
        var bodyError: (any Error)?
        try store.scanEvents(after: position, through: through) { (event) -> Bool in
            do {
                return try body(event)
            } catch {
                bodyError = error
                return false
            }
        }
        if let bodyError { throw bodyError }
    }

    /// Events after `position`: catch-up, then live. See `EventSubscription`.
    public func subscribe(after position: UInt64) -> EventSubscription {
        EventSubscription(store: store, after: position, batchSize: 512)
    }
}

/// Identifies a registered commit observer.
public struct CommitObserverToken: Sendable, Hashable {
    let id: Int
}
