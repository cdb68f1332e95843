import LeadDomain
import LeadLedgerCore

/// Times in the HTTP API are ISO-8601 strings in UTC with microseconds when not whole seconds
/// (`2026-11-23T10:00:00.123456Z`); the domain keeps them as whole microseconds (`Timestamp`).
///
/// Every time a client sends, in a query or a body, is read here by the one parser (`Timestamp(iso8601:)`):
/// a date-time with `Z` or an offset, or a date alone, years 0001–9999.
enum ISOTime {
    static func string(_ time: Timestamp) -> String { time.iso8601 }

    static func string(_ time: Timestamp?) -> String? { time.map { string($0) } }

    /// Parses `text` found at `field` of a body or query; `dateOnly` says which instant a date alone names.
    /// Throws a problem naming the field: `outOfRange` for a year outside 0001–9999, `invalidDate` otherwise.
    static func parse(_ text: String, field: String, dateOnly: DateOnlyMeaning, status: Status = .unprocessable)
        throws -> Timestamp
    {
        if let time = Timestamp(iso8601: text, dateOnly: dateOnly) { return time }
        let (code, message) =
            Timestamp.hasYearOutsideAcceptedRange(text)
            ? ("outOfRange", "\(field) must lie between 0001-01-01 and 9999-12-31.")
            : ("invalidDate", "\(field) must be an ISO-8601 date-time (2026-11-23T10:00:00Z) or date (2026-11-23).")
        switch status {
        case .badRequest: throw APIError.badRequest(field: field, code: code, message: message)
        case .unprocessable: throw APIError.invalid(field: field, code: code, message: message)
        }
    }

    /// `parse(_:field:dateOnly:)` of an optional value.
    static func parse(_ text: String?, field: String, dateOnly: DateOnlyMeaning) throws -> Timestamp? {
        try text.map { try parse($0, field: field, dateOnly: dateOnly) }
    }

    /// Query parameters that cannot be read are a 400; body fields that cannot be read are a 422.
    enum Status { case badRequest, unprocessable }
}
