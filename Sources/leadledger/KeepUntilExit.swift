import Synchronization

/// Values the process keeps until it exits instead of freeing them.
///
/// A command that loaded the projections of 10^6 leads would otherwise spend seconds (14 s measured after a
/// rebuild) releasing millions of objects one by one on its way out; the kernel reclaims the pages at once.
private let keptUntilExit = Mutex<[any Sendable]>([])

/// Keeps `value` alive until the process exits (see `keptUntilExit`).
func keepUntilExit(_ value: some Sendable) {
    keptUntilExit.withLock { $0.append(value) }
}
