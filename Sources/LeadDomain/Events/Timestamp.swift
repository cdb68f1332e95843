import Foundation

/// A moment in time as whole microseconds since 1970-01-01T00:00:00Z (UTC).
///
/// Every time in the domain — event payloads, state, commands, the decision context — is a `Timestamp`.
/// In JSON it is a bare integer (`1763900000000000`), the same unit the event log's envelope uses for
/// `recordedAt`, so times are exact (no floating-point rounding) and replay is byte-identical.
///
/// ```swift
/// let now = Timestamp(date: Date())
/// let tomorrow = now.adding(seconds: 86_400)
/// ```
public struct Timestamp: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// A timestamp from microseconds since 1970.
    public init(microseconds: Int64) { self.rawValue = microseconds }

    /// A timestamp from a `Date`, truncated to whole microseconds; a date beyond what `Int64` microseconds
    /// hold is clamped to its ends (`Int64(_:)` of such a `Double` would trap).
    public init(date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        self.rawValue = Int64(exactly: micros) ?? (micros.isNaN ? 0 : micros < 0 ? .min : .max)
    }

    /// The timestamp as a `Date` (for formatting at the edges).
    public var date: Date { Date(timeIntervalSince1970: Double(rawValue) / 1_000_000) }

    /// This timestamp moved by a number of seconds (negative moves back), saturating at the ends of `Int64`
    /// instead of trapping: a time never takes the process down, whatever arithmetic a caller does on it.
    public func adding(seconds: Int64) -> Timestamp { adding(microseconds: seconds.multipliedSaturating(by: 1_000_000)) }

    /// This timestamp moved by a number of microseconds, saturating like `adding(seconds:)`.
    public func adding(microseconds: Int64) -> Timestamp { Timestamp(rawValue: rawValue.addingSaturating(microseconds)) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { "\(rawValue)µs" }
}

extension Int64 {
    /// `self + other`, or `.max` / `.min` where that overflows.
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self * other`, or `.max` / `.min` where that overflows.
    public func multipliedSaturating(by other: Int64) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) != (other < 0) ? .min : .max) : product
    }
}
