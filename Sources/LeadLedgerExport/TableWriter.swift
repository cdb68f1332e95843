import CSV
import Foundation

/// The file formats an export is written in.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case csv, xlsx

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    public var fileExtension: String { rawValue }
}

/// Writes a table, row by row, to a file; `finish` completes it. Rows are never held beyond a small buffer.
protocol TableWriter {
    mutating func write(header: [String]) throws
    mutating func write(row: [ExportCell]) throws
    mutating func finish() throws
}

/// Bytes to a file through a buffer, so a row costs no system call.
struct BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushAt = 1 << 20

    init(creating url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        buffer.reserveCapacity(Self.flushAt + 4096)
    }

    mutating func append(_ string: String) throws {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= Self.flushAt { try flush() }
    }

    mutating func append(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushAt { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        try flush()
        try handle.close()
    }
}

/// RFC 4180 CSV through CSV.swift's writer (quoting, doubled quotes), CRLF line ends, UTF-8 with an optional BOM
/// (Excel reads UTF-8 only with one). Rows go through the library in chunks, into memory, then to the file:
/// its writer emits one scalar at a time, which on a file stream would be a system call each.
///
/// A text cell that a spreadsheet would run as a formula (starting with `=`, `@`, a tab or a carriage return, or
/// `+`/`-` not followed by a digit, a space or a parenthesis, which phone numbers and negative numbers are) is
/// written with a leading `'` (OWASP's advice against CSV injection). Numbers are written as they are.
struct CSVTableWriter: TableWriter {
    private var file: BufferedFile
    private let delimiter: String
    private var pending: [[String]] = []
    private static let rowsPerChunk = 512

    init(url: URL, delimiter: Character, byteOrderMark: Bool) throws {
        file = try BufferedFile(creating: url)
        self.delimiter = String(delimiter)
        if byteOrderMark { try file.append([0xEF, 0xBB, 0xBF]) }
    }

    mutating func write(header: [String]) throws { try append(header) }

    mutating func write(row: [ExportCell]) throws {
        try append(
            row.map { cell in
                switch cell {
                case .text(let text): Self.defused(text)
                case .number(let number): number
                case .flag(let flag): flag ? "true" : "false"
                case .empty: ""
                }
            })
    }

    mutating func finish() throws {
        try flushRows()
        try file.close()
    }

    private mutating func append(_ fields: [String]) throws {
        pending.append(fields)
        if pending.count >= Self.rowsPerChunk { try flushRows() }
    }

    private mutating func flushRows() throws {
        guard !pending.isEmpty else { return }
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, delimiter: delimiter, newline: .crlf)
        for fields in pending { try writer.write(row: fields) }
        stream.close()
        guard let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
            throw CocoaError(.fileWriteUnknown)
        }
        try file.append(data)
        try file.append("\r\n")
        pending.removeAll(keepingCapacity: true)
    }

    static func defused(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "@", "\t", "\r": return "'" + text
        case "+", "-":
            // Digits, spaces, parentheses, dots and dashes make at most arithmetic, never a function call.
            let rest = text.unicodeScalars.dropFirst()
            if !rest.isEmpty, rest.allSatisfy({ ("0"..."9").contains($0) || " ().-".unicodeScalars.contains($0) }) {
                return text
            }
            return rest.isEmpty ? text : "'" + text
        default: return text
        }
    }
}
