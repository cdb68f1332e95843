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

    /// Parses an ISO-8601 date-time or a date alone (its end of day, UTC), years 0001–9999.
    public static func parseTime(_ text: String) -> Timestamp? { Timestamp(iso8601: text, dateOnly: .endOfDay) }

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
