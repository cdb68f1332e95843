import CSV
import EventLog
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import LeadDomain
import LeadLedgerCore
@testable import LeadLedgerExport
import LeadLedgerImport
import Testing
import ZIPFoundation

/// A fresh directory per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-export-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

let admin = UUID(uuidString: "00000000-0000-4000-8000-0000000000a0")!
let manager = UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")!
let start = Timestamp(microseconds: 1_793_523_600_000_000)

func openLedger(_ directory: URL) async throws -> Ledger {
    try await Ledger.open(
        LedgerConfiguration(
            dataDirectory: directory.path, clock: SteppingClock(start: start, step: 1_000_000)))
}

/// Three leads (one the manager's, with a deal), a custom number field, text that needs quoting and text a
/// spreadsheet would run as a formula.
func seededLedger(_ directory: URL) async throws -> (Ledger, [UUID]) {
    let ledger = try await openLedger(directory.appendingPathComponent("data"))
    try await ledger.execute(.settings(.defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int))), actor: admin)
    try await ledger.execute(
        .admin(manager, .create(adminId: manager, name: "Rūta", email: nil, role: "manager", permissions: [])), actor: admin)
    let ids = (1...3).map { UUID(uuidString: "00000000-0000-4000-8000-00000000000\($0)")! }
    let inputs = [
        LeadInput(
            fullName: "Ольга Смирнова", company: "ООО \"Ромашка\"; филиал", phones: ["+7 912 345-67-89"],
            emails: ["olga@example.ru"], customFields: ["budget": .int(12_500)], comment: "первая строка\r\nвторая, строка"),
        LeadInput(fullName: "=HYPERLINK(\"http://evil\")", phones: ["8 (913) 111-22-33", "+7 913 444-55-66"], responsible: manager),
        LeadInput(fullName: "Ivan <Petrov> & Co", emails: ["ivan@example.com"], comment: "tab\there"),
    ]
    for (id, input) in zip(ids, inputs) {
        try await ledger.execute(.lead(id, .create(leadId: id, input)), actor: admin)
    }
    let deal = UUID(uuidString: "00000000-0000-4000-8000-0000000000d1")!
    try await ledger.execute(
        .deal(deal, .create(dealId: deal, DealInput(name: "Licences", amount: "1200.50", currency: "EUR", leadId: ids[1]))),
        actor: admin)
    let other = UUID(uuidString: "00000000-0000-4000-8000-0000000000d2")!
    try await ledger.execute(
        .deal(other, .create(dealId: other, DealInput(name: "Support", amount: "300", currency: "EUR", leadId: ids[0]))),
        actor: admin)
    try await ledger.waitUntilApplied(ledger.log.head)
    return (ledger, ids)
}

/// The rows of a CSV file, read with CSV.swift.
func csvRows(_ url: URL, delimiter: UnicodeScalar = ",") throws -> [[String]] {
    let reader = try CSVReader(stream: InputStream(url: url)!, hasHeaderRow: false, delimiter: delimiter)
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    return rows
}

/// Imports `file` into a fresh ledger (with the `budget` field) with the suggested mapping, expecting every row to
/// create a lead, and answers the leads oldest first.
func importedBack(_ file: URL, _ read: ImportReadOptions) async throws -> [LeadState] {
    let other = TemporaryDirectory()
    let target = try await openLedger(other.url.appendingPathComponent("data"))
    try await target.execute(.settings(.defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int))), actor: admin)
    let importer = Importer(ledger: target, scratch: other.url.path)
    let report = try await importer.run(ImportRequest(file: try ImportFile(path: file.path), read: read), id: UUID(), actor: admin)
    #expect(report.created == 3 && report.failed == 0, "\(report.errors)")
    try await target.waitUntilApplied(target.log.head)
    let leads = try target.read { view in try view.leads(LeadQuery(sort: .created, order: .ascending), now: start).rows }
    try await target.close()
    return leads
}

@Suite("Exporting leads, customers and deals")
struct ExportTests {
    @Test("a lead export is RFC 4180 CSV that imports back: quotes, delimiters, line breaks, several values, custom fields")
    func csvRoundTrip() async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await seededLedger(dir.url)
        let exporter = Exporter(ledger: ledger, scratch: dir.url.appendingPathComponent("scratch"))
        let result = try exporter.run(
            ExportRequest(
                selection: .leads(LeadQuery(sort: .created, order: .ascending)), columns: ["fullName", "company", "phones", "emails", "comment", "customFields.budget"],
                now: start))
        defer { try? FileManager.default.removeItem(at: result.file) }
        #expect(result.rows == 3)
        #expect(result.position == ledger.log.head)

        let rows = try csvRows(result.file)
        #expect(rows.count == 4)
        #expect(rows[0] == ["fullName", "company", "phones", "emails", "comment", "customFields.budget"])
        #expect(rows[1] == ["Ольга Смирнова", "ООО \"Ромашка\"; филиал", "+7 912 345-67-89", "olga@example.ru", "первая строка\r\nвторая, строка", "12500"])
        // A cell a spreadsheet would run as a formula is defused; phone numbers stay as typed.
        #expect(rows[2] == ["'=HYPERLINK(\"http://evil\")", "", "8 (913) 111-22-33, +7 913 444-55-66", "", "", ""])
        let bytes = try Data(contentsOf: result.file)
        #expect(bytes.starts(with: Array("fullName,".utf8)), "no byte order mark unless asked for")
        #expect(String(decoding: bytes, as: UTF8.self).contains("\r\n\"Ольга Смирнова\"") == false)

        // The file imports into a fresh ledger with the suggested mapping, giving the same leads.
        let imported = try await importedBack(result.file, ImportReadOptions(format: .csv, delimiter: ","))
        #expect(imported.map(\.fullName) == ["Ольга Смирнова", "'=HYPERLINK(\"http://evil\")", "Ivan <Petrov> & Co"])
        #expect(imported[0].company == "ООО \"Ромашка\"; филиал")
        #expect(imported[0].comment == "первая строка\r\nвторая, строка")
        #expect(imported[0].customFields["budget"] == .int(12_500))
        #expect(imported[1].phones.map(\.typed) == ["8 (913) 111-22-33", "+7 913 444-55-66"])
    }

    @Test("filters, a manager's reach, a semicolon and a byte order mark shape the export")
    func filtersAndReach() async throws {
        let dir = TemporaryDirectory()
        let (ledger, ids) = try await seededLedger(dir.url)
        let exporter = Exporter(ledger: ledger, scratch: dir.url.appendingPathComponent("scratch"))

        var withDeals = LeadQuery()
        withDeals.filter.hasDeals = true
        withDeals.sort = .created
        withDeals.order = .ascending
        let filtered = try exporter.run(
            ExportRequest(selection: .leads(withDeals), columns: ["id", "fullName"], delimiter: ";", byteOrderMark: true, now: start))
        let bytes = try Data(contentsOf: filtered.file)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(try csvRows(filtered.file, delimiter: ";").dropFirst().map { $0[0].replacingOccurrences(of: "\u{FEFF}", with: "") }
            == [ids[0].uuidString.lowercased(), ids[1].uuidString.lowercased()])

        // The manager reaches only the lead they are responsible for, and only its deal.
        let mine = try exporter.run(ExportRequest(selection: .leads(LeadQuery()), columns: ["id"], visibleTo: manager, now: start))
        #expect(try csvRows(mine.file) == [["id"], [ids[1].uuidString.lowercased()]])
        let deals = try exporter.run(
            ExportRequest(selection: .deals(DealExportFilter()), columns: ["name", "amount", "lead"], visibleTo: manager, now: start))
        let dealRows = try csvRows(deals.file)
        #expect(dealRows == [["name", "amount", "lead"], ["Licences", "1200.5", ids[1].uuidString.lowercased()]])
        let allDeals = try exporter.run(ExportRequest(selection: .deals(DealExportFilter()), columns: ["name"], now: start))
        #expect(Set(try csvRows(allDeals.file).dropFirst().map { $0[0] }) == ["Licences", "Support"])
        for result in [filtered, mine, deals, allDeals] { try? FileManager.default.removeItem(at: result.file) }
    }

    @Test("unknown or repeated columns and a bad delimiter are refused naming the parameter, writing no file")
    func badOptions() async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await seededLedger(dir.url)
        let scratch = dir.url.appendingPathComponent("scratch")
        let exporter = Exporter(ledger: ledger, scratch: scratch)
        for (request, field, code) in [
            (ExportRequest(selection: .leads(LeadQuery()), columns: ["fullName", "salary"], now: start), "columns", "unknownColumn"),
            (ExportRequest(selection: .leads(LeadQuery()), columns: ["fullName", "fullName"], now: start), "columns", "duplicateColumn"),
            (ExportRequest(selection: .deals(DealExportFilter()), columns: ["fullName"], now: start), "columns", "unknownColumn"),
            (ExportRequest(selection: .customers(CustomerQuery()), delimiter: "|", now: start), "delimiter", "invalidValue"),
        ] {
            #expect {
                _ = try exporter.run(request)
            } throws: { error in
                guard let error = error as? ExportError else { return false }
                return error.field == field && error.code == code
            }
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.path))?.isEmpty ?? true)
    }

    @Test("an .xlsx export is a workbook other readers open: inline strings escaped, numbers numeric, a bold frozen header")
    func xlsx() async throws {
        let dir = TemporaryDirectory()
        let (ledger, _) = try await seededLedger(dir.url)
        let exporter = Exporter(ledger: ledger, scratch: dir.url.appendingPathComponent("scratch"))
        let result = try exporter.run(
            ExportRequest(
                selection: .leads(LeadQuery(sort: .created, order: .ascending)), format: .xlsx, columns: ["fullName", "comment", "customFields.budget", "deleted"],
                now: start))
        defer { try? FileManager.default.removeItem(at: result.file) }
        #expect(result.rows == 3)

        let archive = try Archive(url: result.file, accessMode: .read)
        #expect(Set(archive.map(\.path)) == [
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        ])
        var sheet = Data()
        _ = try archive.extract(archive["xl/worksheets/sheet1.xml"]!) { sheet.append($0) }
        let xml = String(decoding: sheet, as: UTF8.self)
        #expect(xml.contains(#"<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">fullName</t></is></c>"#))
        #expect(xml.contains(#"<c r="C2"><v>12500</v></c>"#))
        #expect(xml.contains(#"<c r="D2" t="b"><v>0</v></c>"#))
        #expect(xml.contains("Ivan &lt;Petrov&gt; &amp; Co"))
        #expect(xml.contains("<t xml:space=\"preserve\">tab\there</t>"))
        // A control character XML cannot carry is dropped (the domain refuses them in text; this is the last guard).
        var escaped: [UInt8] = []
        XLSXTableWriter.escape("a\u{07}b\u{FFFE}<c>\r\n&é\u{FFFF}ж", into: &escaped)
        #expect(String(decoding: escaped, as: UTF8.self) == "ab&lt;c&gt;&#13;\n&amp;éж")
        // A formula-like text is an inline string, never run.
        #expect(xml.contains("=HYPERLINK(\"http://evil\")</t>"))
        // The sheet parses as XML.
        let parser = XMLParser(data: sheet)
        #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")

        // openpyxl, an independent reader, sees the same cells (the test set-up installs it).
        let script = """
            import json, sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            print(json.dumps([[c.value for c in row] for row in ws.iter_rows()], ensure_ascii=False))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, result.file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openpyxl could not read the workbook")
        let rows = try JSONSerialization.jsonObject(with: data) as? [[Any]] ?? []
        #expect(rows.count == 4)
        #expect(rows.first?.compactMap { $0 as? String } == ["fullName", "comment", "customFields.budget", "deleted"])
        #expect(rows.dropFirst().first?.first as? String == "Ольга Смирнова")
        #expect((rows.dropFirst().first?[2] as? NSNumber)?.intValue == 12_500)
        #expect(rows.last?.first as? String == "Ivan <Petrov> & Co")

        // And the importer reads it back.
        let imported = try await importedBack(result.file, ImportReadOptions(format: .xlsx))
        #expect(imported.map(\.fullName) == ["Ольга Смирнова", "=HYPERLINK(\"http://evil\")", "Ivan <Petrov> & Co"])
        #expect(imported[0].comment == "первая строка\r\nвторая, строка" && imported[0].customFields["budget"] == .int(12_500))
    }
}
