import Foundation

/// Publishes the committed head to tasks waiting for it. Notifications carry only the new head:
/// waiters read the events themselves from LMDB, so there is no event buffer to reconcile.
final class HeadSignal: Sendable {
    private struct Waiter {
        var threshold: UInt64
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var head: UInt64
        var closed = false
        var nextId = 0
        var waiters: [Int: Waiter] = [:]
        var cancelled: Set<Int> = []
    }

    private let state: LockedValue<State>

    init(head: UInt64) { state = LockedValue(State(head: head)) }

    func publish(_ head: UInt64) {
        let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.head = max(state.head, head)
            var ready: [CheckedContinuation<Bool, Never>] = []
            for (id, waiter) in state.waiters where waiter.threshold < head {
                ready.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    func close() {
        let all = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in all { continuation.resume(returning: false) }
    }

    /// Waits until the committed head is above `position`. Returns true then; false when the log
    /// closes or the task is cancelled first.
    func wait(untilAbove position: UInt64) async -> Bool {
        let id = state.withLock { state in
            defer { state.nextId += 1 }
            return state.nextId
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if state.cancelled.remove(id) != nil || state.closed { return false }
                    if state.head > position { return true }
                    state.waiters[id] = Waiter(threshold: position, continuation: continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.continuation.resume(returning: false)
        }
    }
}

/// Events after a position: first those already stored (catch-up), then each new one as it commits
/// (live), in position order with no gap and no duplicate at the switch.
///
/// ```swift
/// for try await event in log.subscribe(after: checkpoint) {
///     apply(event)
/// }
/// ```
///
/// Design: the iterator remembers the last position it delivered and always reads the next events from
/// LMDB; when there are none it waits for the writer to publish a head above that position. Commit
/// notifications carry only the head, so catch-up and live are the same loop. The sequence ends (nil)
/// when the task is cancelled or the log is closed; read errors are thrown.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let store: LogStore
    let after: UInt64
    let batchSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, lastDelivered: after, batchSize: batchSize)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let store: LogStore
        /// Position of the last event returned by `next()`.
        public private(set) var lastDelivered: UInt64
        let batchSize: Int
        private var buffer: [RecordedEvent] = []
        private var index = 0

        init(store: LogStore, lastDelivered: UInt64, batchSize: Int) {
            self.store = store
            self.lastDelivered = lastDelivered
            self.batchSize = batchSize
        }

        public mutating func next() async throws -> RecordedEvent? {
            while true {
                if index < buffer.count {
                    let event = buffer[index]
                    index += 1
                    lastDelivered = event.position
                    return event
                }
                if Task.isCancelled || store.env.isClosed { return nil }
                buffer.removeAll(keepingCapacity: true)
                index = 0
                if store.currentHead > lastDelivered {
                    var batch: [RecordedEvent] = []
                    let limit = batchSize
                    do {
                        try store.scanEvents(after: lastDelivered, through: nil) { (event) in
                            batch.append(event)
                            return batch.count < limit
                        }
                    } catch let error as EventLogError where error.code == .closed {
                        _ = error
                        return nil
                    }
                    buffer = batch
                    if !buffer.isEmpty { continue }
                }
                guard await store.headSignal.wait(untilAbove: lastDelivered) else { return nil }
            }
        }
    }
}
