import Foundation
import Synchronization

/// A value guarded by a `Mutex`, in a class so it can be shared by reference.
final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R>(_ body: (inout sending Value) throws -> sending R) rethrows -> sending R {
        try mutex.withLock(body)
    }
}

/// `pthread_rwlock_t`: many readers or one writer. Guards LMDB map resizing against read transactions.
/// glibc's default prefers readers, so a thread that already holds the read side may take it again.
final class ReadersWriterLock: @unchecked Sendable {
    // @unchecked: the pthread lock is the synchronisation primitive itself; it lives at a stable address.
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func lockRead() { pthread_rwlock_rdlock(lock) }
    func unlockRead() { pthread_rwlock_unlock(lock) }

    func withWriteLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// A mutex with a condition variable: the writer thread sleeps on it until appends are queued.
final class ConditionLock: @unchecked Sendable {
    // @unchecked: pthread primitives at stable addresses; all state they guard is accessed under `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Must be called with the mutex held.
    func wait() { pthread_cond_wait(condition, mutex) }
    func signalAll() { pthread_cond_broadcast(condition) }

    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock()
        defer { unlock() }
        return try body()
    }
}
