import LeadDomain
import LeadLedgerCore

/// Times in the HTTP API are ISO-8601 strings in UTC with microseconds when not whole seconds
/// (`2026-11-23T10:00:00.123456Z`); the domain keeps them as whole microseconds (`Timestamp`).
enum ISOTime {
    static func string(_ time: Timestamp) -> String { time.iso8601 }

    static func string(_ time: Timestamp?) -> String? { time.map { string($0) } }

    /// Parses a time a client sent (date-time with offset, fraction optional); `nil` if it is not one.
    static func parse(_ text: String) -> Timestamp? {
        // A date alone means its end of day in `AsOf`; here only full date-times are accepted.
        guard text.contains("T") else { return nil }
        return AsOf.parseTime(text)
    }

    /// Parses `text` found at `field` of a body or query, throwing a 422 naming the field.
    static func parse(_ text: String?, field: String) throws -> Timestamp? {
        guard let text else { return nil }
        guard let time = parse(text) else {
            throw APIError.invalid(field: field, code: "invalidDate", message: "Expected an ISO-8601 date-time.")
        }
        return time
    }
}
