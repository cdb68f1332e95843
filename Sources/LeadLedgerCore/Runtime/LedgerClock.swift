import Foundation
import LeadDomain
import Synchronization

/// The source of "now" for commands. Time is an input: the command service never reads the system clock
/// directly, so tests, fixtures and generated logs are deterministic.
///
/// ```swift
/// let ledger = try await Ledger.open(.init(dataDirectory: "data", clock: SystemClock()))
/// let clock = SteppingClock(start: Timestamp(microseconds: 1_790_000_000_000_000), step: 1_000_000)
/// ```
public protocol LedgerClock: Sendable {
    func now() -> Timestamp
}

/// The wall clock, in whole microseconds.
public struct SystemClock: LedgerClock {
    public init() {}

    public func now() -> Timestamp { Timestamp(date: Date()) }
}

/// A test clock: returns `start`, then advances by `step` microseconds on every call (0 = a fixed clock).
/// `set(_:)` and `advance(seconds:)` move it explicitly.
public final class SteppingClock: LedgerClock {
    private let current: Mutex<Int64>
    private let step: Int64

    public init(start: Timestamp, step: Int64 = 0) {
        current = Mutex(start.rawValue)
        self.step = step
    }

    /// A clock fixed at `time`.
    public static func fixed(_ time: Timestamp) -> SteppingClock { SteppingClock(start: time, step: 0) }

    public func now() -> Timestamp {
        current.withLock { value in
            defer { value += step }
            return Timestamp(rawValue: value)
        }
    }

    /// The time the next call to `now()` returns, without advancing.
    public var peek: Timestamp { current.withLock { Timestamp(rawValue: $0) } }

    public func set(_ time: Timestamp) { current.withLock { $0 = time.rawValue } }

    public func advance(seconds: Int64) { current.withLock { $0 += seconds * 1_000_000 } }
}

extension Duration {
    /// Seconds with three decimals, for log metadata (`"1.234"`).
    var secondsText: String {
        let (whole, attoseconds) = components
        return String(format: "%.3f", Double(whole) + Double(attoseconds) / 1e18)
    }
}
