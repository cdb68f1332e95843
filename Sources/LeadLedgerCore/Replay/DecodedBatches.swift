import EventLog
import Foundation

/// Batches of decoded events handed from a reader thread to one consumer, with back-pressure: the reader reads,
/// decompresses and decodes a range of the log in one read transaction, and waits when `capacity` batches are
/// queued; the consumer takes them in order. After the last batch `take()` answers nil, and `failure` tells
/// whether the reader stopped at an error (the events before it were delivered).
final class DecodedBatches: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    // Guarded by `condition`.
    private var queue: [[AppliedEvent]] = []
    private var head = 0
    private var finished = false
    private var stored: (any Error)?

    private init(capacity: Int) {
        self.capacity = capacity
    }

    /// Starts the reader thread over `(after, through]`, stopping before the first event recorded after `timeLimit`.
    static func start(
        log: EventLog, after: UInt64, through: UInt64, timeLimit: Int64?, batchSize: Int = 2_048, capacity: Int = 8
    ) -> DecodedBatches {
        let channel = DecodedBatches(capacity: capacity)
        let thread = Thread {
            var batch: [AppliedEvent] = []
            batch.reserveCapacity(batchSize)
            var failure: (any Error)?
            do {
                try log.forEach(after: after, through: through) { recorded in
                    if let timeLimit, recorded.recordedAt > timeLimit { return false }
                    do {
                        batch.append(try AppliedEvent(recorded: recorded))
                    } catch {
                        failure = error
                        return false
                    }
                    if batch.count == batchSize {
                        channel.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    return true
                }
            } catch {
                failure = error
            }
            if !batch.isEmpty { channel.put(batch) }
            channel.finish(failure)
        }
        thread.name = "leadledger.replay-reader"
        thread.start()
        return channel
    }

    private func put(_ batch: [AppliedEvent]) {
        condition.lock()
        while queue.count - head >= capacity { condition.wait() }
        queue.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        stored = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in log order, or nil when the reader is done.
    func take() -> [AppliedEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count && !finished { condition.wait() }
        guard head < queue.count else { return nil }
        let batch = queue[head]
        queue[head] = []
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        condition.broadcast()
        return batch
    }

    /// The reader's error, once `take()` has answered nil.
    var failure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return stored
    }
}
