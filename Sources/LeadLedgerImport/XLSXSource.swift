import Foundation
import LeadDomain
import XMLCoder
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The rows of one sheet of an Office Open XML workbook (.xlsx), as a spreadsheet numbers them (the header is the
/// first row with a value, normally row 1), each cell as the sheet shows it: shared and inline strings as text,
/// numbers as written (`1.2345E+10` as `12345000000`), date-formatted numbers as `YYYY-MM-DD` (with the time when
/// there is one), booleans as `true`/`false`.
///
/// ZIPFoundation opens the package. The small parts (workbook, relationships, styles) are decoded with XMLCoder;
/// the shared strings and the sheet, which grow with the file, are read by Foundation's event-driven `XMLParser`,
/// never as a tree. The sheet is parsed once, up front, into a scratch file of one JSON array per row that `next()`
/// reads line by line (`XMLParser` cannot be paused between rows), so memory holds the shared strings and one row.
final class XLSXRowSource: ImportRowSource {
    let columns: [String]
    private var reader: ByteReader
    private let rowsPath: String
    private let rowsBytes: Int64
    private let fileBytes: Int64
    var bytesRead: Int64 { rowsBytes == 0 ? fileBytes : fileBytes * reader.bytesRead / rowsBytes }

    /// Bounds on what a package may expand to: the sheet's XML, and the shared strings (held in memory).
    static let maxSheetBytes: Int64 = 4 << 30
    static let maxSharedStringBytes: Int64 = 256 << 20
    static let maxPartBytes: Int64 = 16 << 20

    init(path: String, fileBytes: Int64, sheet wanted: String?, scratch: String) throws(ImportError) {
        self.fileBytes = fileBytes
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Self.broken("the file is not an .xlsx workbook (not a ZIP package)")
        }
        let workbook: Workbook = try Self.decode(archive, "xl/workbook.xml")
        let relations: Relationships = try Self.decode(archive, "xl/_rels/workbook.xml.rels")
        guard let first = workbook.sheets.sheet.first else { throw Self.broken("the workbook has no sheet") }
        let sheet: Workbook.Sheet
        if let wanted {
            guard let named = workbook.sheets.sheet.first(where: { $0.name == wanted }) else {
                let names = workbook.sheets.sheet.map(\.name).joined(separator: ", ")
                throw ImportError(field: "sheet", code: "unknownSheet", message: "the workbook has no sheet \(wanted); its sheets: \(names)")
            }
            sheet = named
        } else {
            sheet = first
        }
        guard let target = relations.relationship.first(where: { $0.id == sheet.relationId })?.target else {
            throw Self.broken("the workbook names no part for sheet \(sheet.name)")
        }
        var strings: [String] = []
        if let shared = relations.relationship.first(where: { $0.type.hasSuffix("/sharedStrings") }) {
            let data = try Self.extract(archive, Self.partPath(shared.target), max: Self.maxSharedStringBytes)
            strings = try SharedStringsParser.parse(data)
        }
        var dateStyles: [Bool] = []
        if let styles = relations.relationship.first(where: { $0.type.hasSuffix("/styles") }) {
            let stylesheet: Stylesheet = try Self.decode(archive, Self.partPath(styles.target))
            dateStyles = stylesheet.dateStyles
        }

        // The sheet to a scratch file, then its rows to another.
        let id = UUID().uuidString.lowercased()
        let sheetPath = scratch + "/xlsx-\(id).sheet.xml"
        rowsPath = scratch + "/xlsx-\(id).rows"
        defer { try? FileManager.default.removeItem(atPath: sheetPath) }
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            guard let entry = archive[Self.partPath(target)] else { throw Self.broken("the workbook lacks its sheet part \(target)") }
            guard FileManager.default.createFile(atPath: sheetPath, contents: nil), let out = FileHandle(forWritingAtPath: sheetPath) else {
                throw ImportError(field: "file", code: "unreadableFile", message: "the sheet cannot be unpacked to \(scratch)")
            }
            var written: Int64 = 0
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    written += Int64(chunk.count)
                    guard written <= Self.maxSheetBytes else {
                        throw ImportError(
                            field: "file", code: "tooLarge", message: "the sheet unpacks to more than \(Self.maxSheetBytes >> 30) GiB")
                    }
                    try out.write(contentsOf: chunk)
                }
                try out.close()
            } catch {
                try? out.close()
                throw error
            }
            let parser = SheetParser(strings: strings, dateStyles: dateStyles, date1904: workbook.properties?.date1904 ?? false, rowsPath: rowsPath)
            try parser.run(sheetPath)
            guard let header = parser.header else {
                throw ImportError(field: "file", row: 1, code: "noHeader", message: "the sheet has no header row")
            }
            var names = header
            while names.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { names.removeLast() }  // styled empty cells
            columns = try ImportReadOptions.checkedHeader(names, of: "sheet")
        } catch let error as ImportError {
            try? FileManager.default.removeItem(atPath: rowsPath)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: rowsPath)
            throw Self.broken("the sheet cannot be unpacked: \(error)")
        }
        rowsBytes = ((try? FileManager.default.attributesOfItem(atPath: rowsPath)[.size]) as? NSNumber)?.int64Value ?? 0
        reader = try ByteReader(path: rowsPath)
    }

    deinit { try? FileManager.default.removeItem(atPath: rowsPath) }

    func next() throws(ImportError) -> ImportRow? {
        guard let line = try reader.line(max: Int(ImportReadOptions.maxColumns) * (ImportReadOptions.maxCellBytes + 8)) else { return nil }
        guard let array = try? JSONSerialization.jsonObject(with: Data(line)) as? [Any], let number = array.first as? Int else {
            throw Self.broken("the unpacked sheet is damaged")
        }
        var values = array.dropFirst().map { $0 as? String ?? "" }
        var row = ImportRow(number: number, values: [])
        if values.count > columns.count {
            if let extra = values[columns.count...].firstIndex(where: { !$0.isEmpty }) {
                row.problem = ImportRowError(
                    row: number, column: nil, field: nil, code: "raggedRow",
                    message: "the row has a value in column \(SpreadsheetColumn.name(extra)), beyond the header's \(columns.count) columns")
            }
            values.removeLast(values.count - columns.count)
        }
        values += Array(repeating: "", count: columns.count - values.count)
        if row.problem == nil, let long = values.firstIndex(where: { $0.utf8.count > ImportReadOptions.maxCellBytes }) {
            row.problem = ImportRowError(
                row: number, column: columns[long], field: nil, code: "tooLong",
                message: "a cell holds at most \(ImportReadOptions.maxCellBytes) bytes")
        }
        row.values = values
        return row
    }

    // MARK: - Parts

    private static func broken(_ message: String) -> ImportError {
        ImportError(field: "file", code: "invalidXlsx", message: message)
    }

    /// `worksheets/sheet1.xml` (relative to `xl/`) or `/xl/worksheets/sheet1.xml` as the package path.
    private static func partPath(_ target: String) -> String {
        target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    private static func extract(_ archive: Archive, _ path: String, max: Int64) throws(ImportError) -> Data {
        guard let entry = archive[path] else { throw broken("the workbook lacks its part \(path)") }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard Int64(data.count + chunk.count) <= max else {
                    throw ImportError(field: "file", code: "tooLarge", message: "\(path) unpacks to more than \(max >> 20) MiB")
                }
                data.append(chunk)
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw broken("\(path) cannot be unpacked: \(error)")
        }
        return data
    }

    private static func decode<T: Decodable>(_ archive: Archive, _ path: String) throws(ImportError) -> T {
        let data = try extract(archive, path, max: maxPartBytes)
        do {
            let decoder = XMLDecoder()
            decoder.shouldProcessNamespaces = false
            return try decoder.decode(T.self, from: data)
        } catch {
            throw broken("\(path) is not a workbook part: \(error)")
        }
    }

    // MARK: - Workbook parts (XMLCoder)

    struct Workbook: Decodable {
        struct Sheet: Decodable {
            var name: String
            var relationId: String
            enum CodingKeys: String, CodingKey {
                case name
                case relationId = "r:id"
            }
        }
        struct Sheets: Decodable { var sheet: [Sheet] }
        struct Properties: Decodable {
            var date1904: Bool?
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                let raw = try container.decodeIfPresent(String.self, forKey: .date1904)
                date1904 = raw.map { $0 == "1" || $0 == "true" }
            }
            enum CodingKeys: String, CodingKey { case date1904 }
        }
        var sheets: Sheets
        var properties: Properties?
        enum CodingKeys: String, CodingKey {
            case sheets
            case properties = "workbookPr"
        }
    }

    struct Relationships: Decodable {
        struct Relationship: Decodable {
            var id: String
            var type: String
            var target: String
            enum CodingKeys: String, CodingKey {
                case id = "Id"
                case type = "Type"
                case target = "Target"
            }
        }
        var relationship: [Relationship]
        enum CodingKeys: String, CodingKey { case relationship = "Relationship" }
    }

    struct Stylesheet: Decodable {
        struct NumberFormat: Decodable {
            var id: Int
            var code: String
            enum CodingKeys: String, CodingKey {
                case id = "numFmtId"
                case code = "formatCode"
            }
        }
        struct NumberFormats: Decodable {
            var numFmt: [NumberFormat]?
        }
        struct Format: Decodable {
            var numFmtId: Int?
        }
        struct Formats: Decodable {
            var xf: [Format]?
        }
        var numFmts: NumberFormats?
        var cellXfs: Formats?

        /// Whether each cell style (`s`) shows its number as a date: a built-in date format, or a custom one with
        /// day, month or year codes outside quoted text and brackets.
        var dateStyles: [Bool] {
            let custom = Dictionary((numFmts?.numFmt ?? []).map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
            return (cellXfs?.xf ?? []).map { format in
                guard let id = format.numFmtId else { return false }
                if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) { return true }
                guard let code = custom[id] else { return false }
                var quoted = false
                var bracket = false
                for character in code.lowercased() {
                    switch character {
                    case "\"": quoted.toggle()
                    case "[": bracket = true
                    case "]": bracket = false
                    case "d", "m", "y": if !quoted && !bracket { return true }
                    default: continue
                    }
                }
                return false
            }
        }
    }
}

/// `xl/sharedStrings.xml`: each `<si>`'s text, its runs joined, phonetic guides (`<rPh>`) left out.
private final class SharedStringsParser: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false
    private var phonetic = 0

    static func parse(_ data: Data) throws(ImportError) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw ImportError(field: "file", code: "invalidXlsx", message: "the shared strings are not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        }
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }
}

/// A worksheet's `<sheetData>`, written as it is read: the first row with a value is the header, every later row a
/// JSON array line `[number, cell…]` in the rows file.
private final class SheetParser: NSObject, XMLParserDelegate {
    private let strings: [String]
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let rowsPath: String
    private var out: FileHandle?
    private var buffer = Data()
    private(set) var header: [String]?
    private var failure: ImportError?

    private var rowNumber = 0
    private var cells: [String] = []
    private var cellColumn = 0
    private var cellType = ""
    private var cellStyle = 0
    private var value = ""
    private var collecting = false
    private var phonetic = 0

    init(strings: [String], dateStyles: [Bool], date1904: Bool, rowsPath: String) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.rowsPath = rowsPath
    }

    func run(_ sheetPath: String) throws(ImportError) {
        guard FileManager.default.createFile(atPath: rowsPath, contents: nil), let out = FileHandle(forWritingAtPath: rowsPath) else {
            throw ImportError(field: "file", code: "unreadableFile", message: "the rows cannot be written to the scratch directory")
        }
        self.out = out
        defer { try? out.close() }
        guard let stream = InputStream(fileAtPath: sheetPath) else {
            throw ImportError(field: "file", code: "unreadableFile", message: "the unpacked sheet cannot be read")
        }
        let parser = XMLParser(stream: stream)
        parser.delegate = self
        let parsed = parser.parse()
        if let failure { throw failure }
        guard parsed else {
            throw ImportError(
                field: "file", code: "invalidXlsx",
                message: "the sheet is not well-formed XML (line \(parser.lineNumber)): \(parser.parserError.map { "\($0)" } ?? "")")
        }
        flush(force: true)
        if let failure { throw failure }
    }

    private func fail(_ error: ImportError, _ parser: XMLParser) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
        case "c":
            cellColumn = attributes["r"].flatMap(SpreadsheetColumn.index(ofReference:)) ?? cells.count
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = ""
            guard cellColumn < ImportReadOptions.maxColumns else {
                return fail(
                    ImportError(
                        field: "file", row: rowNumber, code: "tooManyColumns",
                        message: "row \(rowNumber) has a cell beyond column \(ImportReadOptions.maxColumns)"), parser)
            }
        case "v": collecting = true
        case "rPh": phonetic += 1
        case "t": collecting = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard collecting else { return }
        value += string
        if value.utf8.count > ImportReadOptions.maxCellBytes * 2 {
            fail(ImportError(field: "file", row: rowNumber, code: "tooLong", message: "a cell of row \(rowNumber) is too long"), parser)
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": collecting = false
        case "rPh": phonetic -= 1
        case "c":
            let text: String
            switch cellType {
            case "s":
                guard let index = Int(value), strings.indices.contains(index) else {
                    return fail(
                        ImportError(
                            field: "file", row: rowNumber, code: "invalidXlsx",
                            message: "row \(rowNumber) refers to shared string \(value), which the workbook lacks"), parser)
                }
                text = strings[index]
            case "b": text = value == "1" ? "true" : value == "0" ? "false" : value
            case "inlineStr", "str", "e": text = value
            default: text = number(value, dateStyle: dateStyles.indices.contains(cellStyle) && dateStyles[cellStyle])
            }
            if cells.count < cellColumn { cells += Array(repeating: "", count: cellColumn - cells.count) }
            if cells.count == cellColumn { cells.append(text) } else { cells[cellColumn] = text }
        case "row":
            guard cells.contains(where: { !$0.isEmpty }) else { return }
            if header == nil {
                header = cells
                return
            }
            var line: [Any] = [rowNumber]
            line += cells
            do {
                buffer.append(try JSONSerialization.data(withJSONObject: line))
                buffer.append(0x0A)
            } catch {
                return fail(ImportError(field: "file", row: rowNumber, code: "invalidXlsx", message: "row \(rowNumber) cannot be read"), parser)
            }
            flush(force: false)
        default: break
        }
    }

    private func flush(force: Bool) {
        guard force || buffer.count >= 1 << 20, !buffer.isEmpty else { return }
        do { try out?.write(contentsOf: buffer) } catch {
            failure = failure ?? ImportError(field: "file", code: "unreadableFile", message: "the rows cannot be written: \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// A number cell as the sheet shows it: a date-formatted serial as the date (the 1900 system counts the
    /// 29 February 1900 Lotus did; the 1904 system from 1 January 1904), an integral value without exponent.
    private func number(_ raw: String, dateStyle: Bool) -> String {
        guard let number = Double(raw) else { return raw }
        if dateStyle, number >= 0, number < 2_958_466 {
            var days = number.rounded(.down)
            let seconds = ((number - days) * 86_400).rounded()
            if date1904 {
                days -= 24_107
            } else {
                days -= days >= 61 ? 25_569 : 25_568
            }
            // The one ISO-8601 writer: `YYYY-MM-DDTHH:MM:SSZ` (whole seconds); a date alone when there is no time.
            let iso = Timestamp(microseconds: (Int64(days) * 86_400 + Int64(seconds)) * 1_000_000).iso8601
            return seconds == 0 ? String(iso.prefix(10)) : String(iso.dropLast())
        }
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return raw.contains("E") || raw.contains("e") ? String(number) : raw
    }
}
