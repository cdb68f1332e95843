import Crypto
import Foundation

/// The stored record format (version 1). All integers big-endian. See ARCHITECTURE.md, "Event log".
///
/// ```
/// [0]      u8   record format version (1)
/// [1]      u8   flags: bit 0 = payload is zstd-compressed
/// [2..5]   u32  zstd dictionary id (0 = none)
/// ---- envelope header: the canonical bytes (after a 0x01 canonical-version byte) start here ----
/// [6]      u64  global position
///          u64  stream version
///          i64  recordedAt (µs since 1970)
///          u16  schema version
///          16   event id (UUID bytes)
///          u8   metadata flags: bit 0 = correlation id present, bit 1 = causation id present
///          16   correlation id (zeros when absent)
///          16   causation id (zeros when absent)
///          u32  payload length, uncompressed
///          u8   stream id length, then its UTF-8 bytes
///          u8   type length, then its UTF-8 bytes
///          u8   actor length, then its UTF-8 bytes
/// ---- end of envelope header ----
///          u32  stored payload length, then the stored (possibly compressed) payload bytes
///          32   SHA-256(previous hash ‖ 0x01 ‖ envelope header ‖ uncompressed payload)
/// ```
enum RecordFormat {
    static let version: UInt8 = 1
    static let canonicalVersion: UInt8 = 1
    static let flagCompressed: UInt8 = 1
    static let headerStart = 6
    /// Fixed-size part of the envelope header, before the three length-prefixed strings.
    static let fixedHeaderSize = 8 + 8 + 8 + 2 + 16 + 1 + 16 + 16 + 4
    static let hashSize = 32
    /// The largest uncompressed payload a record may declare. Readers allocate that many bytes to decompress
    /// into, so a damaged length field must not ask for gigabytes (found by fuzz-log-record); appends are held
    /// below it whatever `Options.maxPayloadBytes` says.
    static let maxPayloadLength = 64 << 20
}

/// A SHA-256 value stored inline (no allocation): the chain's running hash.
struct ChainHash: Hashable, Sendable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static let genesis = ChainHash()

    init() {}

    init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    init(_ digest: SHA256.Digest) {
        self.init()
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    static func == (lhs: ChainHash, rhs: ChainHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// hash = SHA-256(previous ‖ 0x01 ‖ header ‖ payload)
    static func next(
        previous: ChainHash, header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer
    ) -> ChainHash {
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        Swift.withUnsafeBytes(of: RecordFormat.canonicalVersion) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: header)
        hasher.update(bufferPointer: payload)
        return ChainHash(hasher.finalize())
    }
}

// MARK: - Encoding

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendUUID(_ id: UUID) {
        Swift.withUnsafeBytes(of: id.uuid) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendShortString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            append(UInt8(utf8.count))
            append(contentsOf: utf8)
        }
    }
}

enum RecordEncoder {
    /// Appends the envelope header (canonical form, without the canonical-version byte) to `buffer`.
    static func appendHeader(
        _ event: ProposedEvent, streamId: String, streamVersion: UInt64, position: UInt64, to buffer: inout [UInt8]
    ) {
        buffer.appendBigEndian(position)
        buffer.appendBigEndian(streamVersion)
        buffer.appendBigEndian(event.recordedAt)
        buffer.appendBigEndian(event.schemaVersion)
        buffer.appendUUID(event.id)
        let metadata = event.metadata
        var flags: UInt8 = 0
        if metadata.correlationId != nil { flags |= 1 }
        if metadata.causationId != nil { flags |= 2 }
        buffer.append(flags)
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        buffer.appendUUID(metadata.correlationId ?? zero)
        buffer.appendUUID(metadata.causationId ?? zero)
        buffer.appendBigEndian(UInt32(event.payload.count))
        buffer.appendShortString(streamId)
        buffer.appendShortString(event.type)
        buffer.appendShortString(metadata.actor)
    }
}

// MARK: - Decoding

/// Reads big-endian fields from a record in place. Bounds-checked: a short record throws `corrupted`.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let position: UInt64

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0, position: UInt64) {
        self.bytes = bytes
        self.offset = offset
        self.position = position
    }

    @inline(__always)
    mutating func need(_ count: Int) throws {
        if offset + count > bytes.count {
            throw EventLogError.corrupted(position: position, reason: "record truncated at byte \(offset)")
        }
    }

    @inline(__always)
    mutating func integer<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        try need(MemoryLayout<T>.size)
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(bigEndian: value)
    }

    @inline(__always)
    mutating func uuid() throws -> UUID {
        try need(16)
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: uuid_t.self)
        offset += 16
        return UUID(uuid: raw)
    }

    @inline(__always)
    mutating func slice(_ count: Int) throws -> UnsafeRawBufferPointer {
        try need(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    @inline(__always)
    mutating func shortString() throws -> String {
        let length = Int(try integer(UInt8.self))
        let utf8 = try slice(length)
        return String(decoding: utf8, as: UTF8.self)
    }

    @inline(__always)
    mutating func skipShortString() throws {
        let length = Int(try integer(UInt8.self))
        _ = try slice(length)
    }
}

/// A stored record parsed in place: valid only while the buffer it was parsed from is.
struct RecordView {
    var flags: UInt8
    var dictionaryId: UInt32
    var position: UInt64
    var streamVersion: UInt64
    var recordedAt: Int64
    var schemaVersion: UInt16
    var id: UUID
    var correlationId: UUID?
    var causationId: UUID?
    var rawPayloadLength: Int
    var streamId: String
    var type: String
    var actor: String
    /// The envelope header bytes (canonical form) inside the record.
    var header: UnsafeRawBufferPointer
    var storedPayload: UnsafeRawBufferPointer
    var hash: ChainHash

    /// Parses `bytes`, the record stored under `key`.
    init(_ bytes: UnsafeRawBufferPointer, key: UInt64) throws {
        var reader = ByteReader(bytes, position: key)
        let format = try reader.integer(UInt8.self)
        guard format == RecordFormat.version else {
            throw EventLogError.corrupted(position: key, reason: "unknown record format version \(format)")
        }
        flags = try reader.integer(UInt8.self)
        guard flags & ~RecordFormat.flagCompressed == 0 else {
            throw EventLogError.corrupted(position: key, reason: "unknown record flags \(flags)")
        }
        dictionaryId = try reader.integer(UInt32.self)
        guard dictionaryId == 0 || flags & RecordFormat.flagCompressed != 0 else {
            throw EventLogError.corrupted(position: key, reason: "dictionary \(dictionaryId) on an uncompressed payload")
        }
        let headerStart = reader.offset
        position = try reader.integer(UInt64.self)
        guard position == key else {
            throw EventLogError.corrupted(position: key, reason: "record says position \(position)")
        }
        streamVersion = try reader.integer(UInt64.self)
        recordedAt = try reader.integer(Int64.self)
        schemaVersion = try reader.integer(UInt16.self)
        id = try reader.uuid()
        let metadataFlags = try reader.integer(UInt8.self)
        let correlation = try reader.uuid()
        let causation = try reader.uuid()
        correlationId = metadataFlags & 1 != 0 ? correlation : nil
        causationId = metadataFlags & 2 != 0 ? causation : nil
        rawPayloadLength = Int(try reader.integer(UInt32.self))
        guard rawPayloadLength <= RecordFormat.maxPayloadLength else {
            throw EventLogError.corrupted(position: key, reason: "payload length \(rawPayloadLength) is over the format's limit")
        }
        streamId = try reader.shortString()
        type = try reader.shortString()
        actor = try reader.shortString()
        header = UnsafeRawBufferPointer(rebasing: bytes[headerStart..<reader.offset])
        let storedLength = Int(try reader.integer(UInt32.self))
        storedPayload = try reader.slice(storedLength)
        hash = ChainHash(bytes: try reader.slice(RecordFormat.hashSize))
        guard reader.offset == bytes.count else {
            throw EventLogError.corrupted(position: key, reason: "\(bytes.count - reader.offset) trailing bytes")
        }
        if flags & RecordFormat.flagCompressed == 0 && storedLength != rawPayloadLength {
            throw EventLogError.corrupted(position: key, reason: "payload length mismatch")
        }
    }

    var isCompressed: Bool { flags & RecordFormat.flagCompressed != 0 }
}

/// Reads the stream id and stream version of a record without decoding the rest (idempotency checks).
enum RecordPeek {
    static func streamAndVersion(
        _ bytes: UnsafeRawBufferPointer, key: UInt64
    ) throws -> (streamId: String, streamVersion: UInt64) {
        var reader = ByteReader(bytes, offset: RecordFormat.headerStart + 8, position: key)
        let version = try reader.integer(UInt64.self)
        reader.offset = RecordFormat.headerStart + RecordFormat.fixedHeaderSize
        let stream = try reader.shortString()
        return (stream, version)
    }
}

// MARK: - Keys

@inline(__always)
func withPositionKey<R>(_ position: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) throws
    -> R
{
    var key = position.bigEndian
    return try withUnsafeBytes(of: &key) { (buffer) -> R in try body(buffer) }
}

@inline(__always)
func decodePosition(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
    guard bytes.count == 8 else { return nil }
    return UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
}

/// Key of the `streams` database: stream id UTF-8 ‖ 0x00 ‖ u64 BE version. The 0x00 separator sorts
/// below every character allowed in a stream id, so one stream's keys are contiguous.
func streamIndexKey(_ streamId: String, version: UInt64) -> [UInt8] {
    var key: [UInt8] = []
    key.reserveCapacity(streamId.utf8.count + 9)
    appendStreamIndexKey(streamId, version: version, to: &key)
    return key
}

func appendStreamIndexKey(_ streamId: String, version: UInt64, to key: inout [UInt8]) {
    key.append(contentsOf: streamId.utf8)
    key.append(0)
    key.appendBigEndian(version)
}
