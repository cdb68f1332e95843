import Foundation
import Synchronization

/// The live projections value behind a writer-preferring read-write lock, the position it reflects, and the
/// tasks waiting for a position to be applied.
///
/// Queries hold the read lock only for their own duration and see one consistent value; the applier takes
/// the write lock once per batch of already-decoded events (decoding happens outside the lock).
final class ProjectionStore: @unchecked Sendable {
    private let lock = ReadWriteLock()
    // Guarded by `lock`.
    private var projections: Projections
    private let applied: Atomic<UInt64>
    private let waiters = Mutex<Waiters>(Waiters())

    private struct Waiters {
        var nextId = 0
        var pending: [Int: (position: UInt64, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var failure: LedgerError?
    }

    init(_ projections: Projections) {
        self.projections = projections
        applied = Atomic(projections.position)
    }

    var appliedPosition: UInt64 { applied.load(ordering: .acquiring) }

    func read<T>(_ body: (borrowing Projections) throws -> T) rethrows -> T {
        try lock.withReadLock { () throws -> T in try body(projections) }
    }

    /// A copy of the value (O(1): copy-on-write storage is shared until the applier next mutates it).
    func snapshotValue() -> Projections { lock.withReadLock { projections } }

    /// Applies decoded events (in log order) under the write lock, then wakes the waiters they satisfy.
    func apply(_ events: [AppliedEvent]) {
        guard let last = events.last else { return }
        lock.withWriteLock {
            for event in events { projections.apply(event) }
        }
        applied.store(last.position, ordering: .releasing)
        let ready = waiters.withLock { state -> [CheckedContinuation<Void, any Error>] in
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in state.pending where waiter.position <= last.position {
                ready.append(waiter.continuation)
                state.pending[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Fails every current and future waiter (the ledger closed or the applier hit an undecodable event).
    func fail(_ error: LedgerError) {
        let all = waiters.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.failure = error
            defer { state.pending.removeAll() }
            return state.pending.values.map(\.continuation)
        }
        for continuation in all { continuation.resume(throwing: error) }
    }

    /// Returns once the projections reflect `position`.
    func waitUntilApplied(_ position: UInt64) async throws {
        if appliedPosition >= position { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Bool, LedgerError> = waiters.withLock { state in
                if let failure = state.failure { return .failure(failure) }
                if applied.load(ordering: .acquiring) >= position { return .success(true) }
                state.pending[state.nextId] = (position, continuation)
                state.nextId += 1
                return .success(false)
            }
            switch outcome {
            case .failure(let error): continuation.resume(throwing: error)
            case .success(true): continuation.resume()
            case .success(false): break
            }
        }
    }
}
