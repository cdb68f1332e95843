import EventLog
import Foundation
import Logging

/// Keeps the projection store up to date on a thread of its own: the log's commit observer only records
/// the new head and signals (it runs on the log's writer thread and must stay short); this thread reads the
/// new events in order, decodes them, and applies them to the store in batches, one transaction each.
///
/// Between batches (and at least every `switchCheckInterval` when idle) it looks at the store's `CURRENT` link:
/// when a rebuild (`leadledger rebuild`) made another generation current, it opens it, applies the events the
/// rebuild has not seen, and switches the server to it.
final class ProjectionApplier: @unchecked Sendable {
    private let log: EventLog
    private let store: ProjectionStore
    private let logger: Logger
    private let batchSize = 8192
    private let generations: ProjectionGenerations?
    /// The generation served now (touched by the applier thread only).
    private var serving: String?
    static let switchCheckInterval: TimeInterval = 0.2
    /// Called on the applier thread after a batch, with the new applied position.
    private let afterBatch: @Sendable (UInt64) -> Void

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var target: UInt64
    private var stopping = false
    private var finished = false

    init(
        log: EventLog, store: ProjectionStore, generations: ProjectionGenerations?, serving: String?, logger: Logger,
        afterBatch: @escaping @Sendable (UInt64) -> Void
    ) {
        self.log = log
        self.store = store
        self.generations = generations
        self.serving = serving
        self.logger = logger
        self.afterBatch = afterBatch
        target = store.appliedPosition
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "leadledger.applier"
        thread.start()
    }

    /// Records that the log committed through `head` (cheap; safe on the writer thread).
    func signal(_ head: UInt64) {
        condition.lock()
        if head > target { target = head }
        condition.signal()
        condition.unlock()
    }

    /// Applies what is committed, then stops the thread and waits for it.
    func stop() {
        condition.lock()
        target = max(target, log.head)
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while target <= store.appliedPosition && !stopping {
                condition.unlock()
                switchIfRebuilt()
                condition.lock()
                if target > store.appliedPosition || stopping { break }
                _ = condition.wait(until: Date(timeIntervalSinceNow: Self.switchCheckInterval))
            }
            let through = target
            let stop = stopping && through <= store.appliedPosition
            condition.unlock()
            if stop { break }
            do {
                try catchUp(through: through)
            } catch let error as LedgerError {
                logger.critical("projection applier stopped", metadata: ["error": "\(error)"])
                store.fail(error)
                break
            } catch {
                logger.critical("projection applier stopped", metadata: ["error": "\(error)"])
                store.fail(LedgerError(.closed, "projections stopped: \(error)"))
                break
            }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func catchUp(through: UInt64) throws {
        var batch: [AppliedEvent] = []
        batch.reserveCapacity(batchSize)
        var failure: (any Error)?
        try log.forEach(after: store.appliedPosition, through: through) { recorded in
            do {
                batch.append(try AppliedEvent(recorded: recorded))
            } catch {
                failure = error
                return false
            }
            if batch.count == batchSize {
                do {
                    try store.apply(batch)
                } catch {
                    failure = error
                    return false
                }
                batch.removeAll(keepingCapacity: true)
                afterBatch(store.appliedPosition)
            }
            return true
        }
        if let failure { throw failure }
        if !batch.isEmpty {
            try store.apply(batch)
            afterBatch(store.appliedPosition)
        }
    }

    /// Switches to the generation `CURRENT` names when a rebuild changed it: opens it, applies what it lacks
    /// (at least through the position served now, so no reader goes back in time), serves it, and removes the
    /// older generations. A generation that cannot be opened is logged and left alone.
    private func switchIfRebuilt() {
        guard let generations, let name = generations.current(), name != serving else { return }
        do {
            let database = try ProjectionDatabase(directory: generations.path(name), emptyOnMismatch: false)
            let served = store.appliedPosition
            try database.catchUp(log: log, through: .position(max(served, log.head)))
            try store.switchTo(database)
            logger.info("projection store switched", metadata: ["generation": "\(name)", "position": "\(store.appliedPosition)"])
            serving = name
            generations.removeGenerations(olderThan: name)
        } catch {
            logger.error("cannot switch to a rebuilt projection store", metadata: ["generation": "\(name)", "error": "\(error)"])
            serving = name
        }
    }
}
