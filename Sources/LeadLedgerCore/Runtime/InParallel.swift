import Dispatch
import Foundation

/// Runs `first` on the calling thread and `second` on a thread of its own at the same time, and returns both
/// results once both are done. For CPU-bound bulk work (snapshot load, full rebuild) on a machine with two cores
/// or more; a dedicated thread, not a global queue, so it never takes a thread of the cooperative pool.
func inParallel<A, B: Sendable>(_ first: () -> A, and second: @escaping @Sendable () -> B) -> (A, B) {
    let box = ResultBox<B>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = second()
        done.signal()
    }
    thread.name = "leadledger.bulk"
    thread.stackSize = 8 << 20
    thread.start()
    let a = first()
    done.wait()
    return (a, box.value!)
}

/// A slot written by one thread before a semaphore signal and read by another after the wait.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
