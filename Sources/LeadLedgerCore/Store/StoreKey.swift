import Foundation
import LeadDomain

/// The byte form of projection-store keys: LMDB compares keys as bytes, so each part is written so that byte
/// order is the order of its value.
///
/// - `Int64`: big-endian with the sign bit flipped (negative before positive).
/// - `UUID`: its 16 bytes (the order of `LeadKey`).
/// - `String`: UTF-8 with `0x00` → `01 01` and `0x01` → `01 02`, then a `0x00` terminator, so a string sorts
///   before every longer string it is a prefix of and a following part never changes its order.
struct StoreKey: Sendable, Hashable, Comparable {
    private(set) var bytes: [UInt8]

    init(_ tag: UInt8) {
        bytes = [tag]
        bytes.reserveCapacity(48)
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    static func == (a: StoreKey, b: StoreKey) -> Bool { a.bytes == b.bytes }

    /// The bytes hashed as one block: the synthesized conformance combined them one `UInt8` at a time, and keys
    /// are hashed for every index entry a lead change diffs and every counter a bulk build sums.
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// Byte order, the order LMDB keeps keys in.
    static func < (a: StoreKey, b: StoreKey) -> Bool {
        a.bytes.withUnsafeBytes { x in
            b.bytes.withUnsafeBytes { y in
                let common = Swift.min(x.count, y.count)
                let c = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return c != 0 ? c < 0 : x.count < y.count
            }
        }
    }

    mutating func int64(_ value: Int64) {
        let raw = UInt64(bitPattern: value) ^ (1 << 63)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: raw >> UInt64(shift))) }
    }

    mutating func uuid(_ id: UUID) {
        withUnsafeBytes(of: id.uuid) { bytes.append(contentsOf: $0) }
    }

    mutating func leadKey(_ key: LeadKey) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: key.high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: key.low >> UInt64(shift))) }
    }

    /// The escaped string and its terminator.
    mutating func string(_ value: String) {
        text(value)
        bytes.append(0)
    }

    /// The escaped string without a terminator: the prefix of every key whose string part starts with `value`.
    mutating func text(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case 0: bytes.append(1); bytes.append(1)
            case 1: bytes.append(1); bytes.append(2)
            default: bytes.append(byte)
            }
        }
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    func with<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try bytes.withUnsafeBytes(body)
    }

    /// The smallest key greater than every key starting with these bytes (nil when they are all `0xFF`).
    var prefixEnd: StoreKey? {
        var end = bytes
        while let last = end.last {
            if last < 0xFF {
                end[end.count - 1] = last + 1
                return StoreKey(bytes: end)
            }
            end.removeLast()
        }
        return nil
    }
}

/// Reads the parts of a key back, in the order they were written.
struct StoreKeyReader {
    let buffer: UnsafeRawBufferPointer
    var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, skipping: Int = 0) {
        self.buffer = buffer
        offset = skipping
    }

    var remaining: Int { buffer.count - offset }

    mutating func int64() -> Int64 {
        var raw: UInt64 = 0
        for i in 0..<8 { raw = raw << 8 | UInt64(buffer[offset + i]) }
        offset += 8
        return Int64(bitPattern: raw ^ (1 << 63))
    }

    mutating func byte() -> UInt8 {
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func uuid() -> UUID {
        var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &u) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 16])) }
        offset += 16
        return UUID(uuid: u)
    }

    mutating func leadKey() -> LeadKey {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(buffer[offset + i]) }
        for i in 8..<16 { low = low << 8 | UInt64(buffer[offset + i]) }
        offset += 16
        return LeadKey(high: high, low: low)
    }

    mutating func string() -> String {
        var utf8: [UInt8] = []
        while offset < buffer.count {
            let byte = buffer[offset]
            offset += 1
            if byte == 0 { break }
            if byte == 1, offset < buffer.count {
                utf8.append(buffer[offset] - 1)
                offset += 1
            } else {
                utf8.append(byte)
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The last 16 bytes as a UUID (the id every index key ends with).
    func trailingUUID() -> UUID {
        var copy = self
        copy.offset = buffer.count - 16
        return copy.uuid()
    }
}
