import CZstd
import Crypto
import Foundation

/// The on-disk form of a projections snapshot: a fixed 80-byte header, then the zstd-compressed canonical
/// bytes of `Projections`.
///
/// ```
/// offset size field
///      0    8 magic "LLSNAP\r\n"
///      8    4 format version (big-endian UInt32) = 1
///     12    4 reserved (0)
///     16    8 log position the projections reflect
///     24    8 events applied (= position: positions are gapless)
///     32    8 uncompressed length
///     40    8 compressed length
///     48   32 SHA-256 of the uncompressed canonical bytes
/// ```
public struct SnapshotFile: Sendable, Hashable {
    public static let magic: [UInt8] = Array("LLSNAP\r\n".utf8)
    public static let formatVersion: UInt32 = 1
    public static let headerSize = 80

    public var position: UInt64
    public var eventCount: UInt64
    /// The projections' canonical bytes.
    public var canonical: [UInt8]

    public init(position: UInt64, eventCount: UInt64, canonical: [UInt8]) {
        self.position = position
        self.eventCount = eventCount
        self.canonical = canonical
    }

    /// The header fields, read without decompressing.
    public struct Header: Sendable, Hashable {
        public var formatVersion: UInt32
        public var position: UInt64
        public var eventCount: UInt64
        public var uncompressedLength: UInt64
        public var compressedLength: UInt64
        public var checksum: [UInt8]
    }

    public enum ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        case truncated
        case badMagic
        case unsupportedFormat(UInt32)
        case lengthMismatch
        case decompression(String)
        case checksumMismatch

        public var description: String {
            switch self {
            case .truncated: "the file is truncated"
            case .badMagic: "not a snapshot (bad magic)"
            case .unsupportedFormat(let version): "unsupported snapshot format version \(version)"
            case .lengthMismatch: "the compressed length does not match the file size"
            case .decompression(let reason): "zstd decompression failed: \(reason)"
            case .checksumMismatch: "the SHA-256 checksum of the contents does not match"
            }
        }
    }

    /// Header and compressed body.
    public func encoded(level: Int32 = 3) throws -> [UInt8] {
        let bound = ZSTD_compressBound(canonical.count)
        var compressed = [UInt8](repeating: 0, count: bound)
        let size = compressed.withUnsafeMutableBytes { out in
            canonical.withUnsafeBytes { input in
                ZSTD_compress(out.baseAddress, bound, input.baseAddress, input.count, level)
            }
        }
        if ZSTD_isError(size) != 0 {
            throw LedgerError(.snapshot, "zstd compression failed: \(String(cString: ZSTD_getErrorName(size)))")
        }
        compressed.removeSubrange(size...)
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + size)
        Self.put(Self.formatVersion, into: &bytes)
        Self.put(UInt32(0), into: &bytes)
        Self.put(position, into: &bytes)
        Self.put(eventCount, into: &bytes)
        Self.put(UInt64(canonical.count), into: &bytes)
        Self.put(UInt64(size), into: &bytes)
        bytes += Array(SHA256.hash(data: canonical))
        bytes += compressed
        return bytes
    }

    public static func header(of bytes: [UInt8]) throws(ReadError) -> Header {
        guard bytes.count >= headerSize else { throw .truncated }
        guard Array(bytes[0..<8]) == magic else { throw .badMagic }
        let version = UInt32(read(bytes, 8, 4))
        guard version == formatVersion else { throw .unsupportedFormat(version) }
        return Header(
            formatVersion: version, position: read(bytes, 16, 8), eventCount: read(bytes, 24, 8),
            uncompressedLength: read(bytes, 32, 8), compressedLength: read(bytes, 40, 8),
            checksum: Array(bytes[48..<80]))
    }

    /// Validates and decompresses a whole file.
    public init(decoding bytes: [UInt8]) throws(ReadError) {
        let header = try Self.header(of: bytes)
        guard header.compressedLength <= UInt64(bytes.count - Self.headerSize) else { throw .truncated }
        guard UInt64(bytes.count - Self.headerSize) == header.compressedLength else { throw .lengthMismatch }
        guard header.uncompressedLength < 1 << 40 else { throw .lengthMismatch }
        var output = [UInt8](repeating: 0, count: Int(header.uncompressedLength))
        let result = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_decompress(
                    out.baseAddress, out.count, input.baseAddress! + Self.headerSize, input.count - Self.headerSize)
            }
        }
        if ZSTD_isError(result) != 0 { throw .decompression(String(cString: ZSTD_getErrorName(result))) }
        guard result == output.count else { throw .decompression("decompressed \(result) bytes, expected \(output.count)") }
        guard Array(SHA256.hash(data: output)) == header.checksum else { throw .checksumMismatch }
        self.init(position: header.position, eventCount: header.eventCount, canonical: output)
    }

    private static func put<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    private static func read(_ bytes: [UInt8], _ offset: Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + count) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
