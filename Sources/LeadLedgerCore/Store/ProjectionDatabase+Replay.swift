import EventLog
import Foundation

extension ProjectionDatabase {
    /// Applies the log's events after the stored position through `asOf` (default: the head), in transactions of
    /// `batchSize` events. Returns the number applied. On an error the batches before it stay applied.
    @discardableResult
    public func catchUp(
        log: EventLog, through asOf: AsOf? = nil, batchSize: Int = 4_096,
        progress: ((Replayer.Progress) -> Void)? = nil
    ) throws -> UInt64 {
        let start = try position()
        var batch: [AppliedEvent] = []
        batch.reserveCapacity(batchSize)
        var failure: (any Error)?
        try Replayer.forEachDecoded(after: start, log: log, through: asOf, progress: progress) { event in
            guard failure == nil else { return }
            batch.append(event)
            if batch.count == batchSize {
                do { try apply(batch) } catch { failure = error }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if let failure { throw failure }
        try apply(batch)
        return try position() - start
    }
}
