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
        try write(header.map { .text($0) }, style: 1)
    }

    mutating func write(row: [ExportCell]) throws { try write(row, style: 0) }

    private mutating func write(_ cells: [ExportCell], style: Int) throws {
        guard rows < Self.maxRows else {
            throw ExportError(
                field: "format", code: "tooManyRows",
                message: "An .xlsx sheet holds at most \(Self.maxRows - 1) rows under its header; export CSV or narrow the filter.")
        }
        rows += 1
        var xml = "<row r=\"\(rows)\">"
        for (index, cell) in cells.enumerated() {
            let reference = SpreadsheetColumn.name(index) + String(rows)
            let styled = style == 0 ? "" : " s=\"\(style)\""
            switch cell {
            case .empty: continue
            case .text(let text):
                xml += "<c r=\"\(reference)\"\(styled) t=\"inlineStr\"><is><t xml:space=\"preserve\">"
                Self.escape(text, into: &xml)
                xml += "</t></is></c>"
            case .number(let number): xml += "<c r=\"\(reference)\"\(styled)><v>\(number)</v></c>"
            case .flag(let flag): xml += "<c r=\"\(reference)\"\(styled) t=\"b\"><v>\(flag ? 1 : 0)</v></c>"
            }
        }
        xml += "</row>"
        try sheet.append(xml)
    }

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

    /// XML 1.0 text: `&`, `<`, `>` and carriage returns escaped, and the characters XML cannot hold at all (controls other than tab,
    /// line feed and carriage return, U+FFFE, U+FFFF) dropped.
    static func escape(_ text: String, into xml: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": xml += "&amp;"
            case "<": xml += "&lt;"
            case ">": xml += "&gt;"
            case "\r": xml += "&#13;"  // a literal one would be read back as part of a line break (XML 1.0 §2.11)
            case "\t", "\n": xml.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: xml.unicodeScalars.append(scalar)
            }
        }
    }

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
