import CLMDB
import Foundation
import Logging
import Synchronization

/// One queued call to `append`: its (validated) batches and the continuation to resume after the commit.
final class PendingAppend: @unchecked Sendable {
    // @unchecked: `outcome` is written and read only on the writer thread.
    let batches: [StreamAppend]
    let continuation: CheckedContinuation<[AppendResult], any Error>
    var outcome: Result<[AppendResult], any Error>?

    init(batches: [StreamAppend], continuation: CheckedContinuation<[AppendResult], any Error>) {
        self.batches = batches
        self.continuation = continuation
    }
}

/// A write failed inside a group running without nested transactions: the group is redone with them.
struct FlatWriteFailed: Error {
    let underlying: any Error
}

/// The single writer: a dedicated thread (never the cooperative pool) that drains every queued append,
/// runs each in a nested LMDB transaction, commits the group once (durably, with fsync), and only then
/// resumes the callers.
final class LogWriter: @unchecked Sendable {
    // @unchecked: `queue` and `stopping` are guarded by `queueLock`; every other mutable property is
    // touched only by the writer thread (after `init`, which runs before the thread starts).
    private let store: LogStore
    private let options: EventLog.Options
    private let logger: Logger
    private let queueLock = ConditionLock()
    private var queue: [PendingAppend] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    let observers = LockedValue<[Int: @Sendable (UInt64) -> Void]>([:])

    /// The chain's state after the last committed (or, inside a group, applied) event.
    private struct ChainState {
        var head: UInt64
        var lastHash: ChainHash
        var rawPayloadBytes: UInt64
        var storedPayloadBytes: UInt64
    }

    private var state: ChainState
    /// Stream versions as committed (the authoritative copy is `stream-heads`): spares the B-tree lookup of
    /// an append's expected-version check. Filled from LMDB on a miss; bounded (cleared when full).
    private var committedHeads: [String: UInt64] = [:]
    /// Versions written by the running group's successful appends (not durable until the group commits).
    private var groupHeads: [String: UInt64] = [:]
    /// Versions written by the running append (its nested transaction): dropped when it fails.
    private var appendHeads: [String: UInt64] = [:]
    static let streamHeadCacheLimit = 1 << 17
    private let compressor: PayloadCompressor
    private var record: [UInt8] = []
    private var streamKey: [UInt8] = []
    /// A trained dictionary waiting to be stored by the next group's transaction.
    private var pendingDictionary: (id: UInt32, bytes: [UInt8])?
    private var dictionaryTrainingDone: Bool

    init(store: LogStore, options: EventLog.Options) throws {
        self.store = store
        self.options = options
        self.logger = options.logger
        compressor = PayloadCompressor(options: options.compression)
        record.reserveCapacity(4096)
        let head = store.currentHead
        let (lastHash, counters, dictionary) = try store.env.read {
            (txn) -> (ChainHash, (UInt64, UInt64), (UInt32, [UInt8])?) in
            var hash = ChainHash.genesis
            if head > 0 {
                let stored = try withPositionKey(head) { (key) in
                    try txn.get(store.events, key: key) { (value) in
                        try RecordView(value, key: head).hash
                    }
                }
                guard let stored else { throw EventLogError.corrupted(position: head, reason: "head record missing") }
                hash = stored
            }
            let counters = try MetaKey.payloadBytes.withUnsafeBytes { (key) in
                try txn.get(store.meta, key: key) { (value) -> (UInt64, UInt64) in
                    guard value.count == 16 else { return (0, 0) }
                    return (
                        UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)),
                        UInt64(bigEndian: value.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    )
                }
            }
            // The newest dictionary (highest id) is the one new events use.
            let dictionary = try txn.withCursor(store.meta) { (cursor) -> (UInt32, [UInt8])? in
                var newest: (UInt32, [UInt8])?
                let prefix = MetaKey.dictionaryPrefix
                try prefix.withUnsafeBytes { (start) in
                    try cursor.scan(from: start) { (key, value) -> Bool in
                        guard key.count == prefix.count + 4, key.starts(with: prefix) else { return false }
                        newest = (
                            UInt32(bigEndian: key.loadUnaligned(fromByteOffset: prefix.count, as: UInt32.self)),
                            Array(value)
                        )
                        return true
                    }
                }
                return newest
            }
            return (hash, counters ?? (0, 0), dictionary)
        }
        state = ChainState(
            head: head, lastHash: lastHash, rawPayloadBytes: counters.0, storedPayloadBytes: counters.1)
        dictionaryTrainingDone =
            dictionary != nil || !options.compression.enabled || options.compression.dictionaryTrainingEvents <= 0
        if let dictionary {
            let compressor = self.compressor
            try dictionary.1.withUnsafeBytes { (bytes) in
                try compressor.useDictionary(id: dictionary.0, bytes: bytes)
            }
        }
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "eventlog-writer"
        thread.start()
    }

    /// Queues an append; false when the writer is stopping.
    func enqueue(_ pending: PendingAppend) -> Bool {
        queueLock.withLock {
            if stopping { return false }
            queue.append(pending)
            if queue.count == 1 { queueLock.signalAll() }
            return true
        }
    }

    /// Stops the writer after it has committed everything already queued, and waits for it.
    func stop() {
        let alreadyStopping = queueLock.withLock {
            defer {
                stopping = true
                queueLock.signalAll()
            }
            return stopping
        }
        if !alreadyStopping { finished.wait() }
    }

    private func run() {
        while true {
            queueLock.lock()
            while queue.isEmpty && !stopping { queueLock.wait() }
            let group = queue
            queue.removeAll(keepingCapacity: true)
            let exit = group.isEmpty && stopping
            queueLock.unlock()
            if exit { return }
            commit(group)
            trainDictionaryIfDue()
        }
    }

    // MARK: - Group commit

    /// Commits `group` in one write transaction.
    ///
    /// Each append is checked (idempotency, expected version: reads only) before it writes anything, so a
    /// rejected append needs no rollback and the group normally runs *without* nested transactions (a nested
    /// transaction copies every page it touches and merges its dirty list into the parent's: most of the
    /// writer's LMDB cost for small appends). Should a write itself fail (an LMDB error other than a full
    /// map: not expected), the whole transaction is aborted and the group redone with one nested
    /// transaction per append, so that append fails alone, as before.
    private func commit(_ group: [PendingAppend]) {
        let initial = state
        var attempt = 0
        var nested = false
        while true {
            attempt += 1
            do {
                try store.env.write { (txn) in
                    if let dictionary = pendingDictionary {
                        try storeDictionary(dictionary, in: txn)
                    }
                    for pending in group {
                        let before = state
                        do {
                            let results: [AppendResult]
                            if nested {
                                results = try txn.nested { (child) in
                                    let plans = try plan(pending.batches, in: child)
                                    return try perform(plans, pending.batches, in: child)
                                }
                            } else {
                                let plans = try plan(pending.batches, in: txn)
                                do {
                                    results = try perform(plans, pending.batches, in: txn)
                                } catch let error as EventLogError where error.lmdbCode == MDB_MAP_FULL {
                                    throw error
                                } catch {
                                    throw FlatWriteFailed(underlying: error)
                                }
                            }
                            pending.outcome = .success(results)
                            for (stream, version) in appendHeads { groupHeads[stream] = version }
                        } catch let error as EventLogError where error.lmdbCode == MDB_MAP_FULL {
                            throw error
                        } catch let error as FlatWriteFailed {
                            throw error
                        } catch {
                            state = before
                            pending.outcome = .failure(error)
                        }
                        appendHeads.removeAll(keepingCapacity: true)
                    }
                    try storeCounters(in: txn)
                }
                break
            } catch let failure as FlatWriteFailed where !nested {
                logger.warning(
                    "event log write failed; redoing the group with nested transactions",
                    metadata: ["error": "\(failure.underlying)"])
                state = initial
                groupHeads.removeAll(keepingCapacity: true)
                appendHeads.removeAll(keepingCapacity: true)
                for pending in group { pending.outcome = nil }
                nested = true
            } catch let error as EventLogError where error.lmdbCode == MDB_MAP_FULL && attempt < 40 {
                // The transaction was aborted: grow the map (no transaction of ours is active) and redo the group.
                state = initial
                groupHeads.removeAll(keepingCapacity: true)
                appendHeads.removeAll(keepingCapacity: true)
                let newSize = store.env.mapSize * 2
                do {
                    try store.env.growMap(to: newSize)
                    _ = store.mapGrowths.add(1, ordering: .relaxed)
                    logger.info("event log map grown", metadata: ["mapSize": "\(newSize)"])
                } catch {
                    fail(group, with: error)
                    return
                }
            } catch {
                state = initial
                groupHeads.removeAll(keepingCapacity: true)
                appendHeads.removeAll(keepingCapacity: true)
                // The outcome of the commit is unknown to us (it failed or was aborted): forget the cache.
                committedHeads.removeAll(keepingCapacity: true)
                fail(group, with: error)
                return
            }
        }
        if committedHeads.count + groupHeads.count > LogWriter.streamHeadCacheLimit {
            committedHeads.removeAll(keepingCapacity: true)
        }
        for (stream, version) in groupHeads { committedHeads[stream] = version }
        groupHeads.removeAll(keepingCapacity: true)
        if let dictionary = pendingDictionary {
            pendingDictionary = nil
            try? dictionary.bytes.withUnsafeBytes { (bytes) in
                try compressor.useDictionary(id: dictionary.id, bytes: bytes)
            }
        }
        _ = store.commits.add(1, ordering: .relaxed)
        _ = store.appends.add(UInt64(group.count), ordering: .relaxed)
        let newHead = state.head
        if newHead != initial.head {
            store.head.store(newHead, ordering: .releasing)
            for observer in observers.withLock({ Array($0.values) }) { observer(newHead) }
            store.headSignal.publish(newHead)
        }
        for pending in group {
            switch pending.outcome {
            case .success(let results): pending.continuation.resume(returning: results)
            case .failure(let error): pending.continuation.resume(throwing: error)
            case nil: pending.continuation.resume(throwing: EventLogError(.closed, "append was not processed"))
            }
        }
    }

    private func fail(_ group: [PendingAppend], with error: any Error) {
        logger.error("event log group commit failed", metadata: ["error": "\(error)"])
        for pending in group { pending.continuation.resume(throwing: error) }
    }

    private func storeCounters(in txn: borrowing LMDBTransaction) throws {
        var value: [UInt8] = []
        value.reserveCapacity(16)
        value.appendBigEndian(state.rawPayloadBytes)
        value.appendBigEndian(state.storedPayloadBytes)
        try MetaKey.payloadBytes.withUnsafeBytes { (key) in
            try value.withUnsafeBytes { (bytes) in try txn.put(store.meta, key: key, value: bytes) }
        }
    }

    private func storeDictionary(_ dictionary: (id: UInt32, bytes: [UInt8]), in txn: borrowing LMDBTransaction)
        throws
       
    {
        try MetaKey.dictionary(dictionary.id).withUnsafeBytes { (key) in
            try dictionary.bytes.withUnsafeBytes { (bytes) in
                try txn.put(store.meta, key: key, value: bytes)
            }
        }
    }

    // MARK: - One append (inside its nested transaction)

    /// What one batch of an append will do, decided before anything is written.
    private enum BatchPlan {
        /// Every id is stored: answer with the original result, write nothing.
        case alreadyStored(AppendResult)
        /// Write the batch after the stream's current version.
        case write(currentVersion: UInt64)
    }

    /// Checks every batch of one append (reads only, nothing written): idempotency first (a re-sent batch
    /// is answered whatever its expected version), then the expected version. Throws the append's error.
    private func plan(_ batches: [StreamAppend], in txn: borrowing LMDBTransaction) throws -> [BatchPlan] {
        var plans: [BatchPlan] = []
        plans.reserveCapacity(batches.count)
        for batch in batches {
            if let original = try alreadyStored(batch, in: txn) {
                plans.append(.alreadyStored(original))
                continue
            }
            // A stream named twice in one append: the later batch sees the earlier one's events.
            let current = try appendHeads[batch.streamId] ?? streamHead(batch.streamId, in: txn)
            switch batch.expectedVersion {
            case .any: break
            case .noStream where current == 0: break
            case .exact(let version) where version == current: break
            default:
                throw EventLogError.wrongExpectedVersion(stream: batch.streamId, expected: batch.expectedVersion, actual: current)
            }
            plans.append(.write(currentVersion: current))
            appendHeads[batch.streamId] = current + UInt64(batch.events.count)
        }
        return plans
    }

    /// Writes the batches `plan` accepted.
    private func perform(_ plans: [BatchPlan], _ batches: [StreamAppend], in txn: borrowing LMDBTransaction) throws
        -> [AppendResult]
    {
        var results: [AppendResult] = []
        results.reserveCapacity(batches.count)
        for (batch, plan) in zip(batches, plans) {
            let current: UInt64
            switch plan {
            case .alreadyStored(let original):
                results.append(original)
                continue
            case .write(let version):
                current = version
            }
            let first = state.head + 1
            var version = current
            for event in batch.events {
                version += 1
                try write(event, streamId: batch.streamId, streamVersion: version, in: txn)
            }
            var streamId = batch.streamId
            var head = version.bigEndian
            try streamId.withUTF8 { (utf8) in
                try withUnsafeBytes(of: &head) { (value) in
                    try txn.put(store.streamHeads, key: UnsafeRawBufferPointer(utf8), value: value)
                }
            }
            results.append(
                AppendResult(
                    streamId: batch.streamId, firstPosition: first, lastPosition: state.head, streamVersion: version,
                    alreadyStored: false))
        }
        return results
    }

    /// The stream's version before the running append: the group's earlier appends, then the committed
    /// cache, then `stream-heads`.
    private func streamHead(_ streamId: String, in txn: borrowing LMDBTransaction) throws -> UInt64 {
        if let version = groupHeads[streamId] ?? committedHeads[streamId] {
            return version
        }
        // Not written by this group, so `stream-heads` holds the committed value.
        let version = try store.streamVersion(streamId, in: txn)
        if committedHeads.count >= LogWriter.streamHeadCacheLimit { committedHeads.removeAll(keepingCapacity: true) }
        committedHeads[streamId] = version
        return version
    }

    /// The original result when every event id of `batch` is stored (a re-send); nil when none is.
    private func alreadyStored(_ batch: StreamAppend, in txn: borrowing LMDBTransaction) throws
        -> AppendResult?
    {
        var storedCount = 0
        var first = UInt64.max
        var last: UInt64 = 0
        var missing: UUID?
        // By index, reading only the id: `for event in` copies (and retains) every event.
        for index in batch.events.indices {
            let id = batch.events[index].id
            let position = try withUnsafeBytes(of: id.uuid) { (key) in
                try txn.get(store.eventIds, key: key) { (value) in decodePosition(value) }
            }
            if let position, let position {
                storedCount += 1
                first = min(first, position)
                last = max(last, position)
            } else if missing == nil {
                missing = id
            }
        }
        if storedCount == 0 { return nil }
        if let missing {
            throw EventLogError.partiallyStored(
                stream: batch.streamId, eventId: missing,
                reason: "is new but \(storedCount) other event(s) of the batch are already stored")
        }
        let stored = try withPositionKey(last) { (key) in
            try txn.get(store.events, key: key) { (value) in
                try RecordPeek.streamAndVersion(value, key: last)
            }
        }
        guard let stored else { throw EventLogError.corrupted(position: last, reason: "indexed by event id but missing") }
        guard stored.streamId == batch.streamId else {
            throw EventLogError.partiallyStored(
                stream: batch.streamId, eventId: batch.events[0].id,
                reason: "is already stored in stream '\(stored.streamId)'")
        }
        return AppendResult(
            streamId: batch.streamId, firstPosition: first, lastPosition: last,
            streamVersion: stored.streamVersion, alreadyStored: true)
    }

    private func write(
        _ event: ProposedEvent, streamId: String, streamVersion: UInt64, in txn: borrowing LMDBTransaction
    ) throws {
        if let poisoned = options.failWritesToStream, poisoned == streamId {
            throw EventLogError.lmdb(code: EIO, operation: "mdb_put (injected by a test)")
        }
        let position = state.head + 1
        record.removeAll(keepingCapacity: true)
        record.append(RecordFormat.version)
        record.append(0)  // flags, set below
        record.appendBigEndian(UInt32(0))  // dictionary id, set below
        RecordEncoder.appendHeader(event, streamId: streamId, streamVersion: streamVersion, position: position, to: &record)
        let headerEnd = record.count
        let hash = record.withUnsafeBytes { bytes in
            event.payload.withUnsafeBytes { payload in
                ChainHash.next(
                    previous: state.lastHash,
                    header: UnsafeRawBufferPointer(rebasing: bytes[RecordFormat.headerStart..<headerEnd]),
                    payload: payload)
            }
        }
        let storedCount: Int
        if let compressed = compressor.compress(event.payload) {
            record[1] = RecordFormat.flagCompressed
            let id = compressor.dictionaryId.bigEndian
            withUnsafeBytes(of: id) { for i in 0..<4 { record[2 + i] = $0[i] } }
            record.appendBigEndian(UInt32(compressed.count))
            record.append(contentsOf: compressed)
            storedCount = compressed.count
        } else {
            record.appendBigEndian(UInt32(event.payload.count))
            record.append(contentsOf: event.payload)
            storedCount = event.payload.count
        }
        hash.withUnsafeBytes { record.append(contentsOf: $0) }

        var positionKey = position.bigEndian
        try withUnsafeBytes(of: &positionKey) { (key) in
            try record.withUnsafeBytes { (value) in
                try txn.put(store.events, key: key, value: value, append: true)
            }
            try withUnsafeBytes(of: event.id.uuid) { (idKey) in
                try txn.putPreferringAppend(store.eventIds, key: idKey, value: key, noOverwrite: true)
            }
            streamKey.removeAll(keepingCapacity: true)
            appendStreamIndexKey(streamId, version: streamVersion, to: &streamKey)
            try streamKey.withUnsafeBytes { (streamKey) in
                try txn.put(store.streams, key: streamKey, value: key)
            }
        }
        state.head = position
        state.lastHash = hash
        state.rawPayloadBytes += UInt64(event.payload.count)
        state.storedPayloadBytes += UInt64(storedCount)
    }

    // MARK: - Dictionary training

    /// Once the log holds `dictionaryTrainingEvents` events, trains a dictionary from the first ones.
    /// It is stored by the next group's transaction and used from that group on.
    private func trainDictionaryIfDue() {
        let sampleCount = options.compression.dictionaryTrainingEvents
        guard !dictionaryTrainingDone, pendingDictionary == nil, state.head >= UInt64(sampleCount) else { return }
        dictionaryTrainingDone = true
        let started = ContinuousClock.now
        var samples: [UInt8] = []
        var sizes: [Int] = []
        sizes.reserveCapacity(sampleCount)
        do {
            try store.scanEvents(after: 0, through: UInt64(sampleCount)) { (event) -> Bool in
                samples.append(contentsOf: event.payload)
                sizes.append(event.payload.count)
                return true
            }
        } catch {
            logger.warning("cannot read samples for a zstd dictionary", metadata: ["error": "\(error)"])
            return
        }
        guard
            let bytes = PayloadCompressor.trainDictionary(
                samples: samples, sizes: sizes, capacity: options.compression.dictionaryCapacity)
        else {
            logger.info("zstd dictionary training failed; compressing without a dictionary")
            return
        }
        let id = UInt32(store.dictionaries.count + 1)
        do {
            // Registered for readers before any event uses it (they only see such events after the commit).
            let dictionary = try bytes.withUnsafeBytes { (raw) in
                try DecompressionDictionary(bytes: raw)
            }
            store.dictionaries.add(id: id, dictionary)
            pendingDictionary = (id, bytes)
        } catch {
            logger.warning("cannot load the trained zstd dictionary", metadata: ["error": "\(error)"])
            return
        }
        logger.info(
            "trained zstd dictionary",
            metadata: [
                "id": "\(id)", "bytes": "\(bytes.count)", "samples": "\(sizes.count)",
                "duration": "\(ContinuousClock.now - started)",
            ])
    }
}
