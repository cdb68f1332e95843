import Crypto
import Foundation
import LeadDomain
import LeadLedgerCore

/// The character encodings an import reads: UTF-8 (with or without a BOM) and Windows-1251, which
/// Russian-language Excel writes when it saves "CSV".
public enum ImportEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case windows1251 = "windows-1251"

    /// Accepts the usual spellings (`utf8`, `UTF-8`, `cp1251`, `windows-1251`).
    public init?(name: String) {
        switch name.lowercased().filter({ $0.isLetter || $0.isNumber }) {
        case "utf8": self = .utf8
        case "windows1251", "cp1251", "win1251": self = .windows1251
        default: return nil
        }
    }
}

/// A file an import reads, on disk: its size and SHA-256 (which name the import with an idempotency key), and
/// the helpers that find how it is written.
public struct ImportFile: Sendable {
    public let path: String
    public let bytes: Int64
    public let sha256: String

    /// Hashes the file in pieces (it is never loaded whole).
    public init(path: String) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(field: "file", code: "unreadableFile", message: "the file \(path) cannot be opened")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                total += Int64(chunk.count)
            }
        } catch {
            throw ImportError(field: "file", code: "unreadableFile", message: "the file cannot be read: \(error)")
        }
        self.path = path
        bytes = total
        sha256 = APITokenHash.hex(hasher.finalize())
    }

    /// The first `count` bytes.
    func head(_ count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
    }

    /// UTF-8 when the first 64 KiB are valid UTF-8 (a sequence cut at the end of the sample is allowed), else
    /// Windows-1251: a 1251 text of Cyrillic letters is almost never valid UTF-8.
    func detectEncoding() -> ImportEncoding {
        var sample = head(64 << 10)
        if sample.count == 64 << 10 {
            // Drop a sequence the sample's end cut in two.
            var cut = 0
            while cut < 3, let last = sample.last, last & 0xC0 == 0x80 {
                sample.removeLast()
                cut += 1
            }
            if let last = sample.last, last & 0xC0 == 0xC0 { sample.removeLast() }
        }
        return String(validating: sample, as: UTF8.self) == nil ? .windows1251 : .utf8
    }

    /// The delimiter of a CSV: of `;`, `,`, tab and `|`, the one the header line (outside quotes) holds most of;
    /// `;` when it holds none (a one-column file), as ABillS writes.
    func detectDelimiter() -> UnicodeScalar {
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for byte in head(64 << 10) {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            if [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|")].contains(byte) {
                counts[byte, default: 0] += 1
            }
        }
        let order: [UInt8] = [UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: "|")]
        let best = order.max { (counts[$0] ?? 0, -order.firstIndex(of: $0)!) < (counts[$1] ?? 0, -order.firstIndex(of: $1)!) }!
        return (counts[best] ?? 0) > 0 ? UnicodeScalar(best) : ";"
    }

    /// A UTF-8 copy of a Windows-1251 file next to `directory`, written in pieces (the CSV reader then reads
    /// UTF-8). Every byte of 1251 but 0x98 is a character; 0x98 becomes U+FFFD.
    func utf8Copy(in directory: String) throws(ImportError) -> String {
        let target = directory + "/import-\(UUID().uuidString.lowercased()).utf8"
        guard FileManager.default.createFile(atPath: target, contents: nil),
            let output = FileHandle(forWritingAtPath: target), let input = FileHandle(forReadingAtPath: path)
        else {
            throw ImportError(field: "file", code: "unreadableFile", message: "cannot write a UTF-8 copy in \(directory)")
        }
        defer {
            try? input.close()
            try? output.close()
        }
        let table = Self.windows1251
        do {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                var out: [UInt8] = []
                out.reserveCapacity(chunk.count * 2)
                for byte in chunk { out += table[Int(byte)] }
                try output.write(contentsOf: out)
            }
        } catch {
            throw ImportError(field: "file", code: "unreadableFile", message: "the file cannot be read: \(error)")
        }
        return target
    }

    /// Each Windows-1251 byte as UTF-8, from Foundation's own code page table.
    static let windows1251: [[UInt8]] = (0...255).map { byte in
        let text = String(data: Data([UInt8(byte)]), encoding: .windowsCP1251) ?? ""
        return Array((text.isEmpty ? "\u{FFFD}" : text).utf8)
    }
}

/// Why an import cannot start or a file cannot be read: the field of the request (`file`, `mapping.columns.X`,
/// `key`, `mode`…) or the row, a code and a message.
public struct ImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String?
    public var row: Int?
    public var code: String
    public var message: String
    /// Further problems of the same request (every mapping problem at once).
    public var details: [ImportRowError] = []

    public init(field: String? = nil, row: Int? = nil, code: String, message: String, details: [ImportRowError] = []) {
        self.field = field
        self.row = row
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { (row.map { "row \($0): " } ?? field.map { "\($0): " } ?? "") + message }
}
