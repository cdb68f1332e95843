import Foundation
import LeadDomain
import Testing

@Suite("Timestamp in UTC")
struct TimestampTests {
    /// Foundation's formatter is the reference; the domain's integer arithmetic must agree with it.
    static func reference(_ time: Timestamp) -> String {
        let seconds = time.rawValue >= 0 ? time.rawValue / 1_000_000 : (time.rawValue - 999_999) / 1_000_000
        let micros = time.rawValue - seconds * 1_000_000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let base = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return micros == 0 ? base : String(base.dropLast()) + "." + String(format: "%06lld", micros) + "Z"
    }

    @Test("ISO-8601 text agrees with Foundation's formatter: epoch, leap days, century rules, negatives, fractions")
    func agreesWithFoundation() {
        var values: [Int64] = [
            0, 1, 999_999, -1, -86_400_000_001, 951_782_400_000_000 /* 2000-02-29 */,
            4_107_542_400_000_000 /* 2100-02-28 */, 1_795_428_000_123_456, -2_208_988_800_000_000 /* 1900-01-01 */,
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { values.append(Int64.random(in: -4_000_000_000_000_000...8_000_000_000_000_000, using: &generator)) }
        for micros in values {
            let time = Timestamp(microseconds: micros)
            #expect(time.iso8601 == Self.reference(time), "\(micros)")
            #expect(time.withISO8601Bytes { Array($0) } == Array(time.iso8601.utf8), "\(micros)")
        }
    }

    @Test("calendar fields and the human form")
    func fields() {
        let time = Timestamp(microseconds: 1_795_428_005_123_456)  // 2026-11-23T10:00:05.123456Z
        let utc = time.utc
        #expect([utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second] == [2026, 11, 23, 10, 0, 5])
        #expect(utc.microsecond == 123_456)
        #expect(time.iso8601 == "2026-11-23T10:00:05.123456Z")
        #expect(time.minuteText == "2026-11-23 10:00 UTC")
    }

    @Test("parsing inverts iso8601 for every year 0001-9999 value, and agrees with Foundation on offsets")
    func parsesWhatItWrites() {
        var generator = SystemRandomNumberGenerator()
        var values: [Int64] = [0, 1, 999_999, 951_782_400_000_000, 4_107_542_400_000_000, -2_208_988_800_000_000]
        for _ in 0..<2_000 {
            values.append(Int64.random(in: -62_135_596_800_000_000...253_402_300_799_999_999, using: &generator))
        }
        for micros in values {
            let time = Timestamp(microseconds: micros)
            #expect(Timestamp(iso8601: time.iso8601) == time, "\(time.iso8601)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        for text in ["2026-11-23T10:00:00+02:00", "2026-11-23T10:00:00-05:30", "2024-02-29T23:59:59+14:00", "2000-01-01T00:00:00-00:00"] {
            let expected = formatter.date(from: text).map(Timestamp.init(date:))
            #expect(expected != nil)
            #expect(Timestamp(iso8601: text) == expected, "\(text)")
        }
        #expect(Timestamp(iso8601: "2026-11-23T10:00:00.5Z")?.rawValue == 1_795_428_000_500_000)
        #expect(Timestamp(iso8601: "2026-11-23T10:00:00.123456789Z")?.rawValue == 1_795_428_000_123_456)
        #expect(Timestamp(iso8601: "2026-11-23", dateOnly: .startOfDay)?.rawValue == 1_795_392_000_000_000)
    }

    @Test("impossible or other forms are not parsed (callers fall back or refuse)")
    func refuses() {
        let texts = [
            "", "2026-11-23", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-23T24:00:00Z",
            "2026-11-23T10:60:00Z", "2026-11-23T10:00:60Z", "2026-11-23T10:00:00", "2026-11-23T10:00:00.Z",
            "2026-11-23T10:00:00.1234567890Z", "2026-11-23T10:00:00+0200", "2026-11-23T10:00:00+24:00",
            "2026-11-23 10:00:00Z", "2026-11-23T10:00:00Zjunk", "26-11-23T10:00:00Z", "2026-1-23T10:00:00Z",
            "２０２６-11-23T10:00:00Z", "yesterday",
        ]
        for text in texts { #expect(Timestamp(iso8601: text) == nil, "\(text)") }
        #expect(Timestamp(iso8601: "2026-02-30", dateOnly: .startOfDay) == nil)
        #expect(Timestamp(iso8601: "2024-02-29", dateOnly: .startOfDay) != nil)
    }
}

@Suite("Times from outside: one parser, a checked range, no trapping arithmetic")
struct TimestampRangeTests {
    @Test("years 0001-9999 are accepted; year 0000, five-digit and signed years are refused and called out of range")
    func yearRange() {
        #expect(Timestamp(iso8601: "0001-01-01T00:00:00Z") == .earliestAccepted)
        #expect(Timestamp(iso8601: "9999-12-31T23:59:59.999999Z") == .latestAccepted)
        for text in ["0000-01-01T00:00:00Z", "294248-01-01T00:00:00Z", "294247-01-09T12:00:00Z", "+10000-01-01", "-0001-01-01"] {
            #expect(Timestamp(iso8601: text, dateOnly: .startOfDay) == nil, "\(text)")
            #expect(Timestamp.hasYearOutsideAcceptedRange(text), "\(text)")
        }
        for text in ["2026-12-03", "2026-02-30", "yesterday", "", "12345"] {
            #expect(!Timestamp.hasYearOutsideAcceptedRange(text), "\(text)")
        }
    }

    @Test("a date alone names its first or its last microsecond, as the caller says, and is refused by default")
    func dateOnly() {
        let start = Timestamp(iso8601: "2026-12-03", dateOnly: .startOfDay)
        let end = Timestamp(iso8601: "2026-12-03", dateOnly: .endOfDay)
        #expect(start == Timestamp(iso8601: "2026-12-03T00:00:00Z"))
        #expect(end == Timestamp(iso8601: "2026-12-03T23:59:59.999999Z"))
        #expect(Timestamp(iso8601: "2026-12-03") == nil)
        #expect(Timestamp(iso8601: "2026-11-23T10:00:00+99:00") == nil)
    }

    @Test("moving a time saturates at the ends of Int64 instead of trapping; out-of-range Dates are clamped")
    func saturating() {
        #expect(Timestamp(rawValue: .max - 5).adding(seconds: 1).rawValue == .max)
        #expect(Timestamp(rawValue: .min + 5).adding(seconds: -1).rawValue == .min)
        #expect(Timestamp(rawValue: 0).adding(seconds: .max).rawValue == .max)
        #expect(Timestamp(rawValue: 0).adding(seconds: .min).rawValue == .min)
        #expect(Timestamp(rawValue: 10).adding(seconds: 2).rawValue == 2_000_010)
        #expect(Timestamp(date: Date(timeIntervalSince1970: 1e300)).rawValue == .max)
        #expect(Timestamp(date: Date(timeIntervalSince1970: -1e300)).rawValue == .min)
    }
}
