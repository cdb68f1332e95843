import Crypto
public import Hummingbird

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The `Idempotency-Key` of a command: 1–200 visible ASCII characters.
///
/// The command service uses ``eventId(actor:index:)`` as the id of the n-th event it appends, so a retried
/// command produces the same event ids and the log's idempotent append writes nothing twice.
public struct IdempotencyKey: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public static let maxLength = 200

    /// `nil` unless `value` is 1–200 characters in `!`…`~` (0x21–0x7E).
    public init?(_ value: String) {
        guard (1...Self.maxLength).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E })
        else { return nil }
        self.value = value
    }

    public var description: String { value }

    /// The event id for the `index`-th event (0-based) of the command this key identifies, issued by `actor`.
    ///
    /// SHA-256 over a domain tag and the length-prefixed fields, first 16 bytes, with the version (8) and
    /// variant (RFC 9562) bits set. Two actors using the same key get different ids.
    public func eventId(actor: String, index: Int) -> UUID {
        precondition(index >= 0, "event index must not be negative")
        var input: [UInt8] = Array("leadledger.event-id.v1".utf8)
        for field in [Array(actor.utf8), Array(value.utf8)] {
            input += Self.bigEndianBytes(UInt32(field.count))
            input += field
        }
        input += Self.bigEndianBytes(UInt32(index))
        var bytes = Array(SHA256.hash(data: input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // variant 10
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    private static func bigEndianBytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

extension Request {
    /// The request's `Idempotency-Key`: `nil` if absent, a 400 problem if present but invalid.
    public func idempotencyKey() throws -> IdempotencyKey? {
        let values = headers[values: .idempotencyKey]
        guard !values.isEmpty else { return nil }
        guard values.count == 1, let key = IdempotencyKey(values[0]) else {
            throw APIError.badRequest(
                field: "Idempotency-Key",
                code: "invalid_idempotency_key",
                message: "Idempotency-Key must be one value of 1–200 visible ASCII characters."
            )
        }
        return key
    }
}
