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

/// RFC 4180 CSV: a field with the delimiter, a quote, a carriage return or a line feed is quoted, its quotes
/// doubled; CRLF line ends; UTF-8 with an optional BOM (Excel reads UTF-8 only with one).
///
/// Written by hand rather than with CSV.swift's `CSVWriter` (which the import uses for reading): profiled on an
/// export of 300,000 leads, its writer took 84% of the time (each field is searched with Foundation's
/// `String.contains`, and output goes one scalar at a time through an `OutputStream`); this writes each field's
/// UTF-8 bytes to the buffer after one scan of them.
///
/// A text cell that a spreadsheet would run as a formula (starting with `=`, `@`, a tab or a carriage return, or
/// `+`/`-` not followed by a digit, a space or a parenthesis, which phone numbers and negative numbers are) is
/// written with a leading `'` (OWASP's advice against CSV injection). Numbers are written as they are.
struct CSVTableWriter: TableWriter {
    private var file: BufferedFile
    private let delimiter: UInt8
    private var line: [UInt8] = []

    init(url: URL, delimiter: Character, byteOrderMark: Bool) throws {
        file = try BufferedFile(creating: url)
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
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

    mutating func finish() throws { try file.close() }

    private mutating func append(_ fields: [String]) throws {
        line.removeAll(keepingCapacity: true)
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(delimiter) }
            Self.appendField(field, delimiter: delimiter, to: &line)
        }
        line.append(0x0D)
        line.append(0x0A)
        try file.append(line)
    }

    static func appendField(_ field: String, delimiter: UInt8, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            let quoted = bytes.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }
            guard quoted else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
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
