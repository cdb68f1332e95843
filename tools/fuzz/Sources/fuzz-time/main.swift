// The one parser of times from outside: any text parses or is refused, never crashes; whatever parses lies in
// the accepted range, and a date-time writes back to text that parses to the same instant.
import FuzzDriver
import LeadDomain

runFuzzer { input in
    let text = String(decoding: input, as: UTF8.self)
    _ = Timestamp.hasYearOutsideAcceptedRange(text)
    for meaning in [DateOnlyMeaning.refused, .startOfDay, .endOfDay] {
        guard let time = Timestamp(iso8601: text, dateOnly: meaning) else { continue }
        let day: Int64 = 86_400_000_000
        require(
            time.rawValue >= Timestamp.earliestAccepted.rawValue - day
                && time.rawValue <= Timestamp.latestAccepted.rawValue + day, "\(text) parsed outside the range")
        require(Timestamp(iso8601: time.iso8601) == time, "\(text) → \(time.iso8601) does not parse back")
        _ = time.adding(seconds: Int64(input.count) * 1_000_000_000)
    }
}
