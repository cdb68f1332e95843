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

    /// A timestamp from a `Date`, truncated to whole microseconds.
    public init(date: Date) {
        self.rawValue = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The timestamp as a `Date` (for formatting at the edges).
    public var date: Date { Date(timeIntervalSince1970: Double(rawValue) / 1_000_000) }

    /// This timestamp moved by a number of seconds (negative moves back).
    public func adding(seconds: Int64) -> Timestamp { Timestamp(rawValue: rawValue + seconds * 1_000_000) }

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
