import Crypto
import Foundation

/// Deterministic event and correlation ids for commands sent with an idempotency key: the same
/// (actor, key) always names the same events, so a retry is recognised (and the log's idempotent append
/// answers a racing duplicate with the original positions).
enum EventIdentity {
    /// The id of event `eventIndex` of stream `streamIndex` of the decision.
    static func eventId(actor: UUID, key: String, streamIndex: Int, eventIndex: Int) -> UUID {
        derive(actor: actor, key: key, a: UInt32(truncatingIfNeeded: streamIndex), b: UInt32(truncatingIfNeeded: eventIndex))
    }

    /// The correlation id every event of the command carries. With a `request` fingerprint (what the HTTP
    /// layer hashes of the method, path and body), two different requests under one key get different ids,
    /// which is how a reused key is told from a retry.
    static func correlationId(actor: UUID, key: String, request: String? = nil) -> UUID {
        derive(actor: actor, key: key, a: .max, b: .max, context: request.map { Array($0.utf8) } ?? [])
    }

    /// An id that sorts by `sequence` among the ids of one (actor, `key`): 3 bytes derived from (actor, key), then
    /// `sequence` in 32 bits (around the version nibble), then bits derived from (actor, key, sequence, index).
    /// A bulk write of consecutive sequences (an import's rows) then lands on neighbouring B-tree pages of every
    /// index keyed by id (the log's event ids and streams, the store's leads) rather than on one random page each:
    /// LMDB copies every page a transaction touches, so random ids make each commit rewrite most of a large index.
    static func sequentialId(actor: UUID, key: String, sequence: UInt32, index: Int) -> UUID {
        let region = derive(actor: actor, key: key, a: .max - 1, b: 0).uuid
        let rest = derive(actor: actor, key: key, a: sequence, b: UInt32(truncatingIfNeeded: index)).uuid
        return UUID(
            uuid: (
                region.0, region.1, region.2, UInt8(truncatingIfNeeded: sequence >> 24),
                UInt8(truncatingIfNeeded: sequence >> 16), UInt8(truncatingIfNeeded: sequence >> 8),
                0x80 | UInt8(truncatingIfNeeded: (sequence >> 4) & 0x0F),  // RFC 9562 version 8 (custom)
                UInt8(truncatingIfNeeded: (sequence & 0x0F) << 4) | (rest.7 & 0x0F),
                (rest.8 & 0x3F) | 0x80,  // RFC 4122 variant
                rest.9, rest.10, rest.11, rest.12, rest.13, rest.14, rest.15
            ))
    }

    private static func derive(actor: UUID, key: String, a: UInt32, b: UInt32, context: [UInt8] = []) -> UUID {
        var hasher = SHA256()
        hasher.update(data: Array("leadledger.idempotency.v1".utf8))
        withUnsafeBytes(of: actor.uuid) { hasher.update(bufferPointer: $0) }
        let keyBytes = Array(key.utf8)
        withUnsafeBytes(of: UInt32(keyBytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: keyBytes)
        withUnsafeBytes(of: a.bigEndian) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: b.bigEndian) { hasher.update(bufferPointer: $0) }
        if !context.isEmpty { hasher.update(data: context) }
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // RFC 9562 version 8 (custom)
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
