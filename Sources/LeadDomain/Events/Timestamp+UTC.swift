/// A timestamp's UTC calendar fields.
public struct UTCDateTime: Sendable, Hashable {
    public var year: Int64
    public var month: Int64
    public var day: Int64
    public var hour: Int64
    public var minute: Int64
    public var second: Int64
    public var microsecond: Int64
}

extension Timestamp {
    /// The UTC calendar fields, by integer arithmetic (H. Hinnant's days-to-civil algorithm) rather than a date
    /// formatter: a formatter costs about a third of a millisecond per value on Linux, which lists and history
    /// pages pay once per row.
    public var utc: UTCDateTime {
        let seconds = rawValue >= 0 ? rawValue / 1_000_000 : (rawValue - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let month = mp < 10 ? mp + 3 : mp - 9
        return UTCDateTime(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: dayOfYear - (153 * mp + 2) / 5 + 1,
            hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60,
            microsecond: rawValue - seconds * 1_000_000)
    }

    /// ISO-8601 in UTC, with microseconds only when not whole seconds: `2026-11-23T10:00:00.123456Z`.
    ///
    /// Written into one byte buffer (lists format two per row; joining a dozen padded pieces was 8% of a page).
    public var iso8601: String {
        let t = utc
        return String(unsafeUninitializedCapacity: Self.iso8601Length(t)) { Self.writeISO8601(t, into: $0) }
    }

    /// Lends `iso8601`'s bytes without making the string (JSON writers put two in every list row).
    public func withISO8601Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let t = utc
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.iso8601Length(t)) { buffer in
            let count = Self.writeISO8601(t, into: buffer)
            return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    private static func iso8601Length(_ t: UTCDateTime) -> Int {
        digitCount(t.year) + 16 + (t.microsecond != 0 ? 7 : 0)
    }

    private static func writeISO8601(_ t: UTCDateTime, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var at = 0
        write(t.year, width: digitCount(t.year), into: buffer, at: &at)
        write(ascii: "-", into: buffer, at: &at)
        write(t.month, width: 2, into: buffer, at: &at)
        write(ascii: "-", into: buffer, at: &at)
        write(t.day, width: 2, into: buffer, at: &at)
        write(ascii: "T", into: buffer, at: &at)
        write(t.hour, width: 2, into: buffer, at: &at)
        write(ascii: ":", into: buffer, at: &at)
        write(t.minute, width: 2, into: buffer, at: &at)
        write(ascii: ":", into: buffer, at: &at)
        write(t.second, width: 2, into: buffer, at: &at)
        if t.microsecond != 0 {
            write(ascii: ".", into: buffer, at: &at)
            write(t.microsecond, width: 6, into: buffer, at: &at)
        }
        write(ascii: "Z", into: buffer, at: &at)
        return at
    }

    /// For people: `2026-11-23 14:05 UTC`.
    public var minuteText: String {
        let t = utc
        return Self.pad(t.year, 4) + "-" + Self.pad(t.month, 2) + "-" + Self.pad(t.day, 2) + " " + Self.pad(t.hour, 2)
            + ":" + Self.pad(t.minute, 2) + " UTC"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Digits of a year written at least 4 wide (`String(year)` padded, with a leading minus when negative).
    private static func digitCount(_ year: Int64) -> Int {
        var digits = 1
        var rest = year.magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        return Swift.max(digits, 4) + (year < 0 ? 1 : 0)
    }

    private static func write(ascii: Unicode.Scalar, into buffer: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
        buffer[at] = UInt8(ascii: ascii)
        at += 1
    }

    /// Writes `value` right-aligned in `width` bytes, zero-padded (a negative value: minus first, then digits).
    private static func write(_ value: Int64, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
        var rest = value.magnitude
        var end = at + width
        let start = value < 0 ? at + 1 : at
        if value < 0 { buffer[at] = UInt8(ascii: "-") }
        while end > start {
            end -= 1
            buffer[end] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        at += width
    }
}
