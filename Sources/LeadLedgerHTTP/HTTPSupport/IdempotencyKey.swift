import Crypto
public import Hummingbird

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The `Idempotency-Key` of a command: 1–200 visible ASCII characters.
///
/// The core (`Ledger.execute(_:actor:expectedVersion:idempotencyKey:)`) derives the events' ids from the key, so
/// a retry appends nothing. What the HTTP layer adds is ``newResourceId(actor:)``: the id of the thing a command
/// creates (a lead, a note, a task, an admin…) is generated here, and with a key it must be the same on a retry,
/// or the retry would address a different stream.
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

    /// The id of the resource created by the command this key identifies, issued by `actor`.
    ///
    /// SHA-256 over a domain tag and the length-prefixed fields, first 16 bytes, with the version (8) and
    /// variant (RFC 9562) bits set. Two actors using the same key get different ids.
    public func newResourceId(actor: UUID) -> UUID {
        var input: [UInt8] = Array("leadledger.resource-id.v1".utf8)
        for field in [Array(actor.uuidString.lowercased().utf8), Array(value.utf8)] {
            input += Self.bigEndianBytes(UInt32(field.count))
            input += field
        }
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
                code: "invalidIdempotencyKey",
                message: "Idempotency-Key must be one value of 1–200 visible ASCII characters."
            )
        }
        return key
    }
}
