import EventLog
import Foundation
import Logging

/// Keeps the live projections up to date on a thread of its own: the log's commit observer only records
/// the new head and signals (it runs on the log's writer thread and must stay short); this thread reads the
/// new events in order, decodes them outside any lock, and applies them to the store in batches.
final class ProjectionApplier: @unchecked Sendable {
    private let log: EventLog
    private let store: ProjectionStore
    private let logger: Logger
    private let batchSize = 1024
    /// Called on the applier thread after a batch, with the new applied position.
    private let afterBatch: @Sendable (UInt64) -> Void

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var target: UInt64
    private var stopping = false
    private var finished = false

    init(log: EventLog, store: ProjectionStore, logger: Logger, afterBatch: @escaping @Sendable (UInt64) -> Void) {
        self.log = log
        self.store = store
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
            while target <= store.appliedPosition && !stopping { condition.wait() }
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
                store.apply(batch)
                batch.removeAll(keepingCapacity: true)
                afterBatch(store.appliedPosition)
            }
            return true
        }
        if !batch.isEmpty {
            store.apply(batch)
            afterBatch(store.appliedPosition)
        }
        if let failure { throw failure }
    }
}
