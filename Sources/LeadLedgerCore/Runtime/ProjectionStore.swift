import Foundation
import Synchronization

/// The projection store the server serves, the position it reflects, and the tasks waiting for a position to be
/// applied.
///
/// Queries take the current `ProjectionDatabase` (a reference, so a switch to a rebuilt generation never
/// disturbs a query running on the old one: its environment closes when its last query ends) and run in one
/// read transaction. The applier is the only writer: a batch of already-decoded events per transaction.
final class ProjectionStore: Sendable {
    private let current: Mutex<ProjectionDatabase>
    private let applied: Atomic<UInt64>
    private let waiters = Mutex<Waiters>(Waiters())

    private struct Waiters {
        var nextId = 0
        var pending: [Int: (position: UInt64, continuation: CheckedContinuation<Void, any Error>)] = [:]
        var failure: LedgerError?
    }

    init(_ database: ProjectionDatabase) throws {
        current = Mutex(database)
        applied = Atomic(try database.position())
    }

    var appliedPosition: UInt64 { applied.load(ordering: .acquiring) }

    var database: ProjectionDatabase { current.withLock { $0 } }

    func read<T>(_ body: (borrowing ProjectionView) throws -> T) throws -> T {
        try database.read(body)
    }

    /// Applies decoded events (in log order) in one transaction, then wakes the waiters they satisfy.
    func apply(_ events: [AppliedEvent]) throws {
        guard let last = events.last else { return }
        try database.apply(events)
        published(last.position)
    }

    /// Serves `database` from now on (a rebuilt generation, caught up at least to the applied position).
    func switchTo(_ database: ProjectionDatabase) throws {
        let position = try database.position()
        current.withLock { $0 = database }
        published(position)
    }

    private func published(_ position: UInt64) {
        applied.store(position, ordering: .releasing)
        let ready = waiters.withLock { state -> [CheckedContinuation<Void, any Error>] in
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in state.pending where waiter.position <= position {
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
