import Foundation
import LeadDomain

/// A point in the log's past: a time (events recorded at or before it) or a global position (inclusive).
///
/// `AsOf(parsing:)` accepts what the CLI and the HTTP `asOf=` parameter take: a bare integer is a position;
/// otherwise an ISO-8601 date-time (`2026-11-01T00:00:00Z`, fractional seconds and offsets allowed) or a date
/// alone (`2026-11-01`, meaning its end: 23:59:59.999999 UTC, so "as of a day" includes that day).
public enum AsOf: Sendable, Hashable, CustomStringConvertible {
    case time(Timestamp)
    case position(UInt64)

    public init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let position = UInt64(text) {
            self = .position(position)
            return
        }
        guard let time = AsOf.parseTime(text) else { return nil }
        self = .time(time)
    }

    /// Parses an ISO-8601 date-time or a date alone (its end of day, UTC).
    public static func parseTime(_ text: String) -> Timestamp? {
        // The documented forms, without a formatter; the formatters below take whatever else ISO 8601 allows.
        if let time = Timestamp(iso8601: text) { return time }
        if let day = Timestamp(iso8601: text, dateOnly: true) { return day.adding(seconds: 86_400) - 1 }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return Timestamp(date: date) }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return Timestamp(date: date) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return Timestamp(date: date).adding(seconds: 86_400) - 1 }
        return nil
    }

    /// Whether a recorded event (position, time in µs) is inside this point of view.
    public func includes(position: UInt64, recordedAt: Int64) -> Bool {
        switch self {
        case .position(let limit): position <= limit
        case .time(let limit): recordedAt <= limit.rawValue
        }
    }

    public var description: String {
        switch self {
        case .position(let position): "position \(position)"
        case .time(let time): time.iso8601
        }
    }
}

extension Timestamp {
    static func - (lhs: Timestamp, rhs: Int64) -> Timestamp { Timestamp(rawValue: lhs.rawValue - rhs) }
}
