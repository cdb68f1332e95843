/// The instant a date written without a time stands for.
public enum DateOnlyMeaning: Sendable, Hashable {
    /// A date alone is not accepted.
    case refused
    /// Its first microsecond (00:00:00 UTC): the lower end of a range.
    case startOfDay
    /// Its last microsecond (23:59:59.999999 UTC): the upper end of a range, "as of" a day, "due" on a day.
    case endOfDay
}

extension Timestamp {
    /// The earliest time any input may name: 0001-01-01T00:00:00Z.
    public static let earliestAccepted = Timestamp(rawValue: -62_135_596_800_000_000)
    /// The latest time any input may name: 9999-12-31T23:59:59.999999Z.
    public static let latestAccepted = Timestamp(rawValue: 253_402_300_799_999_999)

    /// Parses the ISO-8601 forms the API documents, by integer arithmetic: `2026-11-23T10:00:00Z`,
    /// `2026-11-23T10:00:00.123456Z` (1 to 9 fraction digits, kept to the microsecond), `+02:00`/`-05:30`
    /// offsets instead of `Z`, and — unless `dateOnly` is `.refused` — a date alone (`2026-11-23`).
    ///
    /// This is the one parser of times that come from outside (HTTP queries and bodies, the CLI). Years are
    /// 0001–9999 and written with four digits, so every accepted value lies within
    /// `earliestAccepted`…`latestAccepted` (give or take an offset of under a day) and no arithmetic on it
    /// can overflow. `nil` for anything else, including impossible calendar values (month 13, February 30,
    /// hour 24, offset `+99:00`).
    public init?(iso8601 text: String, dateOnly: DateOnlyMeaning = .refused) {
        var text = text
        guard let value = text.withUTF8({ Self.parse($0, dateOnly: dateOnly) }) else { return nil }
        self.init(rawValue: value)
    }

    /// Whether `text` is shaped like an ISO-8601 date whose year lies outside 0001–9999 (five or more digits, a
    /// sign, or year 0000): such a value is refused as out of range rather than as malformed.
    public static func hasYearOutsideAcceptedRange(_ text: String) -> Bool {
        var digits = 0
        var signed = false
        for (index, byte) in text.utf8.enumerated() {
            if index == 0, byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                signed = true
            } else if byte >= 48, byte <= 57 {
                digits += 1
            } else {
                return byte == UInt8(ascii: "-") && (signed || digits > 4 || (digits == 4 && text.hasPrefix("0000")))
            }
        }
        return false
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>, dateOnly: DateOnlyMeaning) -> Int64? {
        var at = 0
        func digits(_ count: Int) -> Int64? {
            guard at + count <= b.count else { return nil }
            var value: Int64 = 0
            for i in at..<(at + count) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                value = value * 10 + Int64(b[i] - 48)
            }
            at += count
            return value
        }
        func expect(_ ascii: Unicode.Scalar) -> Bool {
            guard at < b.count, b[at] == UInt8(ascii: ascii) else { return false }
            at += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        if at == b.count {
            switch dateOnly {
            case .refused: return nil
            case .startOfDay: return days * 86_400_000_000
            case .endOfDay: return (days + 1) * 86_400_000_000 - 1
            }
        }
        guard expect("T"), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
            let second = digits(2), hour < 24, minute < 60, second < 60
        else { return nil }
        var micros: Int64 = 0
        if expect(".") {
            let start = at
            var scale: Int64 = 100_000
            while at < b.count, b[at] >= 48, b[at] <= 57 {
                micros += Int64(b[at] - 48) * scale
                scale /= 10
                at += 1
            }
            guard (1...9).contains(at - start) else { return nil }
        }
        var offsetSeconds: Int64 = 0
        if !expect("Z") {
            guard at < b.count, b[at] == UInt8(ascii: "+") || b[at] == UInt8(ascii: "-") else { return nil }
            let sign: Int64 = b[at] == UInt8(ascii: "-") ? -1 : 1
            at += 1
            guard let hours = digits(2), expect(":"), let minutes = digits(2), hours < 24, minutes < 60 else { return nil }
            offsetSeconds = sign * (hours * 3_600 + minutes * 60)
        }
        guard at == b.count else { return nil }
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000 + micros
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days-from-civil).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
