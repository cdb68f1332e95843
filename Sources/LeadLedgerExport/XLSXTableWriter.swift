import Foundation
import LeadDomain
import ZIPFoundation

/// Office Open XML (.xlsx) with one sheet: the sheet's XML is written row by row to a scratch file, then
/// ZIPFoundation deflates it, with the few fixed parts a workbook needs, into the package (a ZIP needs the
/// size of an entry before its bytes, which a stream of rows does not know). Text cells are inline strings
/// (no shared-string table to hold in memory); numbers and flags are numeric and boolean cells. The header row
/// is bold and frozen.
struct XLSXTableWriter: TableWriter {
    /// A sheet's row limit (Excel's): 1,048,576 rows, the header included.
    static let maxRows = 1_048_576

    private let url: URL
    private let sheetURL: URL
    private var sheet: BufferedFile
    private var rows = 0
    /// `A`, `B`, … for the columns of this sheet, as bytes (a row writes one reference per cell).
    private var columnNames: [[UInt8]] = []
    private var xml: [UInt8] = []

    init(url: URL) throws {
        self.url = url
        sheetURL = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".sheet.xml")
        sheet = try BufferedFile(creating: sheetURL)
        try sheet.append(
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
                + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                + #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
                + "<sheetData>")
    }

    mutating func write(header: [String]) throws {
        columnNames = header.indices.map { Array(SpreadsheetColumn.name($0).utf8) }
        try write(header.map { .text($0) }, bold: true)
    }

    mutating func write(row: [ExportCell]) throws { try write(row, bold: false) }

    /// The row's XML straight into bytes: cells are written a million times over, so no string is built per cell.
    private mutating func write(_ cells: [ExportCell], bold: Bool) throws {
        guard rows < Self.maxRows else {
            throw ExportError(
                field: "format", code: "tooManyRows",
                message: "An .xlsx sheet holds at most \(Self.maxRows - 1) rows under its header; export CSV or narrow the filter.")
        }
        rows += 1
        let number = Array(String(rows).utf8)
        xml.removeAll(keepingCapacity: true)
        xml += Self.rowOpen
        xml += number
        xml += Self.tagEnd
        for (index, cell) in cells.enumerated() {
            if case .empty = cell { continue }
            while columnNames.count <= index { columnNames.append(Array(SpreadsheetColumn.name(columnNames.count).utf8)) }
            xml += Self.cellOpen
            xml += columnNames[index]
            xml += number
            xml.append(UInt8(ascii: "\""))
            if bold { xml += Self.boldStyle }
            switch cell {
            case .empty: break
            case .text(let text):
                xml += Self.inlineOpen
                Self.escape(text, into: &xml)
                xml += Self.inlineClose
            case .number(let value):
                xml += Self.valueOpen
                xml += Array(value.utf8)
                xml += Self.valueClose
            case .flag(let flag):
                xml += Self.booleanOpen
                xml.append(flag ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                xml += Self.valueClose
            }
        }
        xml += Self.rowClose
        try sheet.append(xml)
    }

    private static let rowOpen = Array(#"<row r=""#.utf8)
    private static let tagEnd = Array(#"">"#.utf8)
    private static let cellOpen = Array(#"<c r=""#.utf8)
    private static let boldStyle = Array(#" s="1""#.utf8)
    private static let inlineOpen = Array(#" t="inlineStr"><is><t xml:space="preserve">"#.utf8)
    private static let inlineClose = Array("</t></is></c>".utf8)
    private static let valueOpen = Array("><v>".utf8)
    private static let booleanOpen = Array(#" t="b"><v>"#.utf8)
    private static let valueClose = Array("</v></c>".utf8)
    private static let rowClose = Array("</row>".utf8)

    mutating func finish() throws {
        try sheet.append("</sheetData></worksheet>")
        try sheet.close()
        defer { try? FileManager.default.removeItem(at: sheetURL) }
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, content) in Self.fixedParts {
            let data = Data(content.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetURL, compressionMethod: .deflate)
    }

    /// XML 1.0 text: `&`, `<`, `>` and carriage returns escaped (a literal carriage return would be read back as
    /// part of a line break, XML 1.0 §2.11), and the characters XML cannot hold at all (controls other than tab
    /// and line feed, U+FFFE, U+FFFF) dropped. Works on the UTF-8 bytes: every byte of a multi-byte character is
    /// 0x80 or above, so none is taken for one of these.
    static func escape(_ text: String, into xml: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): xml += Self.amp
                case UInt8(ascii: "<"): xml += Self.lt
                case UInt8(ascii: ">"): xml += Self.gt
                case 0x0D: xml += Self.cr
                case 0x09, 0x0A: xml.append(byte)
                case 0x00..<0x20: break
                case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF):
                    index += 2  // U+FFFE or U+FFFF
                default: xml.append(byte)
                }
                index += 1
            }
        }
    }

    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let cr = Array("&#13;".utf8)

    private static let fixedParts: [(String, String)] = [
        (
            "[Content_Types].xml",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
                + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                + #"<Default Extension="xml" ContentType="application/xml"/>"#
                + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                + "</Types>"
        ),
        (
            "_rels/.rels",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
                + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
                + "</Relationships>"
        ),
        (
            "xl/workbook.xml",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
                + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                + #"<sheets><sheet name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
        (
            "xl/_rels/workbook.xml.rels",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
                + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
                + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
                + "</Relationships>"
        ),
        (
            "xl/styles.xml",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
                + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
                + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
                + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
                + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
                + #"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>"#
                + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
                + "</styleSheet>"
        ),
    ]
}
