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
}
