import Foundation
import LeadDomain

/// What the `recency` database keeps beside each lead's `[updatedAt][id]` key: the fields a list walk tests most
/// (status flags, pause date) and the lead's search keys, so a walk of the `updated` order rejects most leads
/// without reading their records. A search too broad to collect from the inverted index is answered this way.
///
/// Bytes: flags (`LeadRecord.Flags`, 1 byte), `pausedUntil` (µs, i64 big-endian, `Int64.min` when none), the
/// length of the joined text tokens (u32 big-endian), the joined text tokens (`LeadRecord.textTokens`), then the
/// lead's phone digits joined by "\n".
struct LeadSummary {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func encode(_ record: LeadStoreRecord) -> [UInt8] {
        let lead = record.state
        var out: [UInt8] = []
        let phones = LeadSearch.joinedPhoneDigits(of: lead)
        out.reserveCapacity(13 + record.textTokens.utf8.count + phones.utf8.count)
        out.append(LeadRecord.Flags(lead).rawValue)
        let paused = UInt64(bitPattern: lead.pausedUntil?.rawValue ?? .min)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: paused >> UInt64(shift))) }
        let length = UInt32(record.textTokens.utf8.count)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        out.append(contentsOf: record.textTokens.utf8)
        out.append(contentsOf: phones.utf8)
        return out
    }

    private var flags: LeadRecord.Flags { LeadRecord.Flags(rawValue: bytes[0]) }

    private var pausedUntilMicros: Int64 {
        Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt64.self)))
    }

    private var textLength: Int { Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 9, as: UInt32.self))) }

    var textTokens: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[13..<(13 + textLength)]) }

    var phoneDigits: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[(13 + textLength)...]) }

    func status(at now: Timestamp) -> LeadStatus { flags.status(pausedUntilMicros: pausedUntilMicros, at: now) }
}

extension LeadMatcher {
    /// Whether a lead with this summary may pass: false only when its status or a search token already fails
    /// (the same tests `LeadRecord.matches` makes), so a walk skips it without reading the record.
    func mayMatch(_ summary: LeadSummary) -> Bool {
        if statusMask & LeadMatcher.bit(summary.status(at: now)) == 0 { return false }
        for token in searchTests
        where !LeadSearch.matches(token, textTokens: summary.textTokens, phoneDigits: summary.phoneDigits) {
            return false
        }
        return true
    }
}
