import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs `jobs` on two threads — the calling one and a thread of its own — each taking the next job not yet
/// started, and returns when all are done. For CPU-bound bulk work (snapshot load, full rebuild); a dedicated
/// thread, not a global queue, so it never takes a thread of the cooperative pool. Put the longest job first.
func runOnTwoThreads(_ jobs: [@Sendable () -> Void]) {
    let next = Atomic<Int>(0)
    let work: @Sendable () -> Void = {
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < jobs.count else { return }
            jobs[index]()
        }
    }
    guard jobs.count > 1 else { return work() }
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        work()
        done.signal()
    }
    thread.name = "leadledger.bulk"
    thread.stackSize = 8 << 20
    thread.start()
    work()
    done.wait()
}

/// A slot written by one job and read after `runOnTwoThreads` returns (the semaphore orders the two).
final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}

extension Duration {
    /// Seconds with three decimals, for log metadata (`"1.234"`).
    var secondsText: String {
        let (whole, attoseconds) = components
        return String(format: "%.3f", Double(whole) + Double(attoseconds) / 1e18)
    }
}

/// Hands the memory a bulk load freed (decoded snapshot bytes, build buffers: gigabytes at 10^6 leads) back to the
/// allocator's top level and the system, now rather than on the first request: glibc consolidates its free lists
/// lazily, and the first allocation after such a load spent ~300 ms in `malloc_consolidate`.
func releaseFreedMemory() {
    #if canImport(Glibc)
    // `malloc_trim` is glibc's (malloc.h, which the Glibc module does not export): looked up, absent elsewhere.
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
    let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    _ = trim(0)
    #endif
}
