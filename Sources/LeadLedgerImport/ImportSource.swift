import CSV
import Foundation
import LeadDomain

/// One row of a source: its number as the source counts (CSV: the record, the header being row 1; NDJSON: the
/// line; a JSON array: the element, from 1), its cells aligned with the source's columns, or why it cannot be
/// read (a ragged CSV row, a JSON element that is not an object).
public struct ImportRow: Sendable, Hashable {
    public var number: Int
    public var values: [String]
    public var problem: ImportRowError?
}

/// Rows read one at a time from a file on disk: memory does not grow with the file.
protocol ImportRowSource: AnyObject {
    /// The column names (the CSV header; the JSON keys the mapping names, or those the first objects have).
    var columns: [String] { get }
    /// The next row, nil at the end. Throws when the rest of the file cannot be read.
    func next() throws(ImportError) -> ImportRow?
    /// Bytes of the file read so far (read ahead: up to a piece beyond the rows answered).
    var bytesRead: Int64 { get }
}

/// How a file is read: its format, for CSV the delimiter and encoding (detected when not given), for .xlsx the
/// sheet (the first when not given).
public struct ImportReadOptions: Sendable, Hashable {
    public var format: ImportFormat
    public var delimiter: UnicodeScalar?
    public var encoding: ImportEncoding?
    public var sheet: String?

    public init(format: ImportFormat, delimiter: UnicodeScalar? = nil, encoding: ImportEncoding? = nil, sheet: String? = nil) {
        self.format = format
        self.delimiter = delimiter
        self.encoding = encoding
        self.sheet = sheet
    }

    /// The longest sheet name (Excel's limit).
    public static let maxSheetName = 31

    /// The most columns a source may have, and the longest cell.
    static let maxColumns = 1_000
    static let maxCellBytes = 64 << 10

    /// A source's header, names trimmed: present, at most `maxColumns` names, none twice (`of`: "file", "sheet").
    static func checkedHeader(_ names: [String], of source: String) throws(ImportError) -> [String] {
        let header = names.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !header.isEmpty, header != [""] else {
            throw ImportError(field: "file", row: 1, code: "noHeader", message: "the \(source) has no header row")
        }
        guard header.count <= maxColumns else {
            throw ImportError(
                field: "file", row: 1, code: "tooManyColumns", message: "the header has \(header.count) columns; at most \(maxColumns)")
        }
        var seen = Set<String>()
        for name in header where !name.isEmpty && !seen.insert(name).inserted {
            throw ImportError(field: "file", row: 1, code: "duplicateColumn", message: "the header names column \(name) twice")
        }
        return header
    }

    /// Opens `file` for reading rows; JSON keys beyond `columns` are ignored (nil: those of the first objects).
    func open(_ file: ImportFile, columns: [String]?, scratch: String) throws(ImportError) -> any ImportRowSource {
        switch format {
        case .csv:
            let encoding = encoding ?? file.detectEncoding()
            let path = encoding == .utf8 ? file.path : try file.utf8Copy(in: scratch)
            return try CSVRowSource(path: path, delimiter: delimiter ?? file.detectDelimiter(), removeAfter: path != file.path)
        case .json, .ndjson:
            return try JSONRowSource(path: file.path, lines: format == .ndjson, columns: columns)
        case .xlsx:
            return try XLSXRowSource(path: file.path, fileBytes: file.bytes, sheet: sheet, scratch: scratch)
        }
    }
}

/// RFC 4180 CSV through CSV.swift: quoted fields with delimiters, quotes and line breaks inside, a UTF-8 BOM
/// skipped. A row with more or fewer fields than the header is reported as ragged; empty lines are skipped.
final class CSVRowSource: ImportRowSource {
    let columns: [String]
    private let reader: CSVReader
    private let stream: FileInputStream
    private var number = 1
    var bytesRead: Int64 { stream.bytesRead }
    private let removeAfter: String?

    init(path: String, delimiter: UnicodeScalar, removeAfter: Bool) throws(ImportError) {
        let stream = try FileInputStream(path: path)
        self.stream = stream
        do {
            reader = try CSVReader(stream: stream, codecType: UTF8.self, hasHeaderRow: true, delimiter: delimiter)
        } catch {
            // The header could not be read: it is empty, or not UTF-8.
            if (try? ImportFile(path: path))?.detectEncoding() == .windows1251 {
                throw Self.readError(CSVError.unicodeDecoding, row: 1)
            }
            throw ImportError(field: "file", row: 1, code: "noHeader", message: "the file has no header row")
        }
        self.removeAfter = removeAfter ? path : nil
        if let error = reader.error { throw Self.readError(error, row: 1) }
        columns = try ImportReadOptions.checkedHeader(reader.headerRow ?? [], of: "file")
    }

    deinit {
        if let removeAfter { try? FileManager.default.removeItem(atPath: removeAfter) }
    }

    func next() throws(ImportError) -> ImportRow? {
        while true {
            guard let values = reader.next() else {
                if let error = reader.error { throw Self.readError(error, row: number + 1) }
                return nil
            }
            number += 1
            if values.count == 1, values[0].isEmpty { continue }  // an empty line
            var row = ImportRow(number: number, values: values)
            if values.count != columns.count {
                row.problem = ImportRowError(
                    row: number, column: nil, field: nil, code: "raggedRow",
                    message: "the row has \(values.count) fields; the header has \(columns.count)")
            } else if let long = values.firstIndex(where: { $0.utf8.count > ImportReadOptions.maxCellBytes }) {
                row.problem = ImportRowError(
                    row: number, column: columns[long], field: nil, code: "tooLong",
                    message: "a cell holds at most \(ImportReadOptions.maxCellBytes) bytes")
            }
            return row
        }
    }

    private static func readError(_ error: any Error, row: Int) -> ImportError {
        if case CSVError.unicodeDecoding = error {
            return ImportError(
                field: "file", row: row, code: "invalidEncoding",
                message: "the file is not valid UTF-8 from row \(row) on; send encoding=windows-1251 if it is in that code page")
        }
        return ImportError(field: "file", row: row, code: "unreadableFile", message: "the file cannot be read: \(error)")
    }
}

/// JSON objects, one per line (NDJSON) or the elements of one top-level array, each parsed by Foundation's
/// `JSONSerialization`. The package set has no streaming JSON parser, so the array is cut into its elements
/// here (strings and nesting tracked byte by byte) to parse one element at a time instead of the whole file.
/// Nested objects become dotted columns (`{"address": {"city": …}}` is column `address.city`); arrays become
/// one cell with a value per line (phones, e-mails, tags); numbers and booleans their JSON text.
final class JSONRowSource: ImportRowSource {
    private(set) var columns: [String]
    private var bytes: ByteReader
    var bytesRead: Int64 { bytes.bytesRead }
    private let lines: Bool
    private var number = 0
    private var started = false
    private var finished = false

    /// The longest element or line.
    static let maxElementBytes = 1 << 20

    init(path: String, lines: Bool, columns: [String]?) throws(ImportError) {
        self.lines = lines
        bytes = try ByteReader(path: path)
        self.columns = columns ?? []
        if columns == nil {
            // The keys of the first objects, in order of appearance; then read again from the start.
            let probe = try JSONRowSource(path: path, lines: lines, columns: [])
            var keys: [String] = []
            var seen = Set<String>()
            for _ in 0..<100 {
                guard let object = try probe.nextObject() else { break }
                guard case .success(let fields) = object.fields else { continue }
                for key in fields.keys.sorted() where seen.insert(key).inserted { keys.append(key) }
            }
            self.columns = Array(keys.prefix(ImportReadOptions.maxColumns))
        }
    }

    func next() throws(ImportError) -> ImportRow? {
        guard let object = try nextObject() else { return nil }
        switch object.fields {
        case .failure(let problem):
            return ImportRow(number: object.number, values: [], problem: problem)
        case .success(let fields):
            return ImportRow(number: object.number, values: columns.map { fields[$0] ?? "" })
        }
    }

    private func nextObject() throws(ImportError) -> (number: Int, fields: Result<[String: String], ImportRowError>)? {
        guard let element = lines ? try nextLine() : try nextElement() else { return nil }
        let (row, data) = element
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return (row, .failure(ImportRowError(row: row, column: nil, field: nil, code: "invalidJSON", message: "not valid JSON")))
        }
        guard let object = parsed as? [String: Any] else {
            return (row, .failure(ImportRowError(row: row, column: nil, field: nil, code: "notAnObject", message: "each element must be an object")))
        }
        var fields: [String: String] = [:]
        Self.flatten(object, prefix: "", into: &fields)
        return (row, .success(fields))
    }

    private static func flatten(_ object: [String: Any], prefix: String, into fields: inout [String: String]) {
        for (key, value) in object {
            let name = prefix + key
            if let nested = value as? [String: Any] {
                flatten(nested, prefix: name + ".", into: &fields)
            } else if let text = cell(value) {
                fields[name] = text
            }
        }
    }

    private static func cell(_ value: Any) -> String? {
        switch value {
        case is NSNull: return nil
        case let text as String: return text
        case let number as NSNumber:
            // JSON true and false come back as NSNumbers of type "c" (char).
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return number.stringValue
        case let list as [Any]: return list.compactMap(cell).joined(separator: "\n")
        default: return nil
        }
    }

    /// The next non-blank line and its number.
    private func nextLine() throws(ImportError) -> (Int, Data)? {
        while true {
            guard var line = try bytes.line(max: Self.maxElementBytes) else { return nil }
            number += 1
            if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            return (number, Data(line))
        }
    }

    /// The next element of the top-level array and its number (from 1).
    private func nextElement() throws(ImportError) -> (Int, Data)? {
        if finished { return nil }
        if !started {
            try bytes.skipWhitespace()
            guard try bytes.pop() == UInt8(ascii: "[") else {
                throw ImportError(field: "file", code: "invalidJSON", message: "a JSON import is one array of objects")
            }
            started = true
            try bytes.skipWhitespace()
            if try bytes.peek() == UInt8(ascii: "]") {
                finished = true
                return nil
            }
        }
        var element: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        while let byte = try bytes.pop() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"): depth -= 1
                case UInt8(ascii: "]") where depth > 0: depth -= 1
                case UInt8(ascii: ","), UInt8(ascii: "]"):
                    if depth == 0 {
                        number += 1
                        if byte == UInt8(ascii: "]") { finished = true }
                        return (number, Data(element))
                    }
                default: break
                }
            }
            element.append(byte)
            if element.count > Self.maxElementBytes {
                throw ImportError(
                    field: "file", row: number + 1, code: "tooLong",
                    message: "element \(number + 1) is longer than \(Self.maxElementBytes) bytes")
            }
        }
        throw ImportError(field: "file", row: number + 1, code: "invalidJSON", message: "the array is not closed")
    }
}

/// A file's bytes in 1 MiB pieces.
struct ByteReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEnd = false
    private(set) var bytesRead: Int64 = 0

    init(path: String) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(field: "file", code: "unreadableFile", message: "the file cannot be opened")
        }
        self.handle = handle
    }

    private mutating func fill() throws(ImportError) -> Bool {
        if index < buffer.count { return true }
        if atEnd { return false }
        do {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty {
                atEnd = true
                try? handle.close()
                return false
            }
            buffer = [UInt8](chunk)
            index = 0
            bytesRead += Int64(chunk.count)
            return true
        } catch {
            throw ImportError(field: "file", code: "unreadableFile", message: "the file cannot be read: \(error)")
        }
    }

    mutating func peek() throws(ImportError) -> UInt8? { try fill() ? buffer[index] : nil }

    mutating func pop() throws(ImportError) -> UInt8? {
        guard try fill() else { return nil }
        defer { index += 1 }
        return buffer[index]
    }

    mutating func skipWhitespace() throws(ImportError) {
        while let byte = try peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0xEF || byte == 0xBB
            || byte == 0xBF
        {
            index += 1  // whitespace, or the bytes of a UTF-8 BOM
        }
    }

    /// The bytes up to the next line feed (without it), nil at the end.
    mutating func line(max: Int) throws(ImportError) -> [UInt8]? {
        var line: [UInt8] = []
        var any = false
        while try fill() {
            any = true
            if let newline = buffer[index...].firstIndex(of: 0x0A) {
                line += buffer[index..<newline]
                index = newline + 1
                return line
            }
            line += buffer[index...]
            index = buffer.count
            if line.count > max {
                throw ImportError(field: "file", code: "tooLong", message: "a line is longer than \(max) bytes")
            }
        }
        return any ? line : nil
    }
}

/// A file as an `InputStream` whose `hasBytesAvailable` turns false at the end of the file, which is how CSV.swift
/// finds the end: Foundation's file stream on Linux keeps answering true and then fails the read past the end,
/// which CSV.swift takes for a read error. Reads ahead in 1 MiB pieces.
final class FileInputStream: InputStream {
    private let handle: FileHandle
    private var status: Stream.Status = .notOpen
    private var failure: (any Error)?
    private var buffer: [UInt8] = []
    private var index = 0
    private(set) var bytesRead: Int64 = 0

    init(path: String) throws(ImportError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(field: "file", code: "unreadableFile", message: "the file cannot be opened")
        }
        self.handle = handle
        super.init(data: Data())
    }

    override func open() { status = .open }
    override func close() {
        try? handle.close()
        status = .closed
    }
    override var streamStatus: Stream.Status { status }
    override var streamError: (any Error)? { failure }

    /// Whether bytes are left, reading the next piece when the last one is used up.
    override var hasBytesAvailable: Bool {
        if index < buffer.count { return true }
        guard status == .open else { return false }
        do {
            buffer = [UInt8](try handle.read(upToCount: 1 << 20) ?? Data())
            index = 0
            bytesRead += Int64(buffer.count)
        } catch {
            failure = error
            status = .error
            return false
        }
        if buffer.isEmpty { status = .atEnd }
        return !buffer.isEmpty
    }

    override func read(_ target: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        guard hasBytesAvailable else { return status == .error ? -1 : 0 }
        let count = min(len, buffer.count - index)
        buffer.withUnsafeBufferPointer { source in
            target.update(from: source.baseAddress! + index, count: count)
        }
        index += count
        return count
    }
}
