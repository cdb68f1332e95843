import Foundation
import LeadDomain

/// The binary form of the projection store's records: LEB128 varints, zigzag signed integers,
/// length-prefixed UTF-8, UUIDs as 16 raw bytes, optionals with a 0/1 tag, arrays with a count.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping its capacity (a writer reused for one section after another).
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    public mutating func write(_ byte: UInt8) { bytes.append(byte) }

    public mutating func write(varint value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func write(_ value: Int64) { write(varint: UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
    public mutating func write(_ value: UInt64) { write(varint: value) }
    public mutating func write(_ value: Int) { write(Int64(value)) }
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func write(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            write(varint: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func write(_ value: UUID) {
        let key = LeadKey(value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: key.high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: key.low >> UInt64(shift))) }
    }

    public mutating func write(_ value: Timestamp) { write(value.rawValue) }

    public mutating func write(bytes value: [UInt8]) {
        write(varint: UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func write<T>(_ value: T?, _ body: (inout BinaryWriter, T) -> Void) {
        if let value {
            write(UInt8(1))
            body(&self, value)
        } else {
            write(UInt8(0))
        }
    }

    public mutating func write<T>(_ values: [T], _ body: (inout BinaryWriter, T) -> Void) {
        write(varint: UInt64(values.count))
        for value in values { body(&self, value) }
    }
}

public struct RecordDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var offset: Int
    public var description: String { "Record decoding failed at byte \(offset): \(reason)" }
}

/// Reads what `BinaryWriter` wrote; every read checks bounds and throws `RecordDecodingError`.
public struct BinaryReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset = 0
    /// Where this reader's part of `bytes` ends (a section read by a reader of its own, see `readSection`).
    private let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        end = bytes.count
    }

    private init(_ bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    public var isAtEnd: Bool { offset == end }

    /// Reads a length-prefixed section (what `write(bytes:)` wrote) as a reader of its own, without copying it: for
    /// sections decoded on another thread.
    public mutating func readSection() throws(RecordDecodingError) -> BinaryReader {
        let n = try readCount()
        defer { offset += n }
        return BinaryReader(bytes, offset: offset, end: offset + n)
    }

    func fail(_ reason: String) -> RecordDecodingError { RecordDecodingError(reason: reason, offset: offset) }

    public mutating func readByte() throws(RecordDecodingError) -> UInt8 {
        guard offset < end else { throw fail("unexpected end") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readVarint() throws(RecordDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw fail("varint too long") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    public mutating func readInt64() throws(RecordDecodingError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func readInt() throws(RecordDecodingError) -> Int { Int(try readInt64()) }
    public mutating func readUInt64() throws(RecordDecodingError) -> UInt64 { try readVarint() }

    public mutating func readBool() throws(RecordDecodingError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        default: throw fail("invalid bool")
        }
    }

    public mutating func readCount() throws(RecordDecodingError) -> Int {
        let n = try readVarint()
        guard n <= UInt64(end - offset) else { throw fail("count \(n) beyond the data") }
        return Int(n)
    }

    public mutating func readString() throws(RecordDecodingError) -> String {
        let n = try readCount()
        defer { offset += n }
        return String(decoding: bytes[offset..<offset + n], as: UTF8.self)
    }

    public mutating func readBytes() throws(RecordDecodingError) -> [UInt8] {
        let n = try readCount()
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    public mutating func readUUID() throws(RecordDecodingError) -> UUID {
        guard offset + 16 <= end else { throw fail("unexpected end in a UUID") }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(bytes[offset + i]) }
        for i in 8..<16 { low = low << 8 | UInt64(bytes[offset + i]) }
        offset += 16
        return LeadKey(high: high, low: low).uuid
    }

    public mutating func readTimestamp() throws(RecordDecodingError) -> Timestamp {
        Timestamp(rawValue: try readInt64())
    }

    public mutating func readOptional<T>(
        _ body: (inout BinaryReader) throws(RecordDecodingError) -> T
    ) throws(RecordDecodingError) -> T? {
        try readBool() ? try body(&self) : nil
    }

    public mutating func readArray<T>(
        _ body: (inout BinaryReader) throws(RecordDecodingError) -> T
    ) throws(RecordDecodingError) -> [T] {
        let n = try readCount()
        var result: [T] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try body(&self)) }
        return result
    }
}
