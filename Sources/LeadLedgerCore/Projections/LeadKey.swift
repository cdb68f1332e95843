import Foundation

/// A lead id as two integers: a cheap, `Comparable` tie-breaker at the end of every ordered index key.
///
/// The order is the byte order of the UUID, which is also the order of its lowercase string form.
public struct LeadKey: Sendable, Hashable, Comparable, Codable {
    public var high: UInt64
    public var low: UInt64

    public init(_ id: UUID) {
        let u = id.uuid
        high =
            UInt64(u.0) << 56 | UInt64(u.1) << 48 | UInt64(u.2) << 40 | UInt64(u.3) << 32 | UInt64(u.4) << 24
            | UInt64(u.5) << 16 | UInt64(u.6) << 8 | UInt64(u.7)
        low =
            UInt64(u.8) << 56 | UInt64(u.9) << 48 | UInt64(u.10) << 40 | UInt64(u.11) << 32 | UInt64(u.12) << 24
            | UInt64(u.13) << 16 | UInt64(u.14) << 8 | UInt64(u.15)
    }

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var uuid: UUID {
        let h = high
        let l = low
        return UUID(
            uuid: (
                UInt8(truncatingIfNeeded: h >> 56), UInt8(truncatingIfNeeded: h >> 48),
                UInt8(truncatingIfNeeded: h >> 40), UInt8(truncatingIfNeeded: h >> 32),
                UInt8(truncatingIfNeeded: h >> 24), UInt8(truncatingIfNeeded: h >> 16),
                UInt8(truncatingIfNeeded: h >> 8), UInt8(truncatingIfNeeded: h),
                UInt8(truncatingIfNeeded: l >> 56), UInt8(truncatingIfNeeded: l >> 48),
                UInt8(truncatingIfNeeded: l >> 40), UInt8(truncatingIfNeeded: l >> 32),
                UInt8(truncatingIfNeeded: l >> 24), UInt8(truncatingIfNeeded: l >> 16),
                UInt8(truncatingIfNeeded: l >> 8), UInt8(truncatingIfNeeded: l)
            ))
    }

    public static func < (a: LeadKey, b: LeadKey) -> Bool { (a.high, a.low) < (b.high, b.low) }
    public static let min = LeadKey(high: 0, low: 0)
    public static let max = LeadKey(high: .max, low: .max)
}

extension UUID {
    /// Ids sorted in the same order as their `LeadKey` (used wherever a set is written out canonically).
    static func canonicalOrder(_ a: UUID, _ b: UUID) -> Bool { LeadKey(a) < LeadKey(b) }
}
