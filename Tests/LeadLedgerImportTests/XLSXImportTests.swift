import Foundation
import LeadDomain
import LeadLedgerCore
import LeadLedgerImport
import Testing

/// The workbook LibreOffice Calc wrote (see Fixtures/README.md).
let libreOfficeWorkbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/leads-libreoffice.xlsx").path

@Suite("Importing leads from .xlsx workbooks")
struct XLSXImportTests {
    @Test("a LibreOffice workbook's named sheet becomes leads: shared and rich strings, a formula's value, a date, a skipped row")
    func libreOfficeSheet() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let file = try ImportFile(path: libreOfficeWorkbook)
        let importer = Importer(ledger: ledger, scratch: dir.path)

        let preview = try importer.preview(file, read: ImportReadOptions(format: .xlsx, sheet: "Лиды"))
        #expect(preview.columns.map(\.name) == ["ФИО", "Телефон", "E-mail", "Бюджет", "Signed", "Комментарий"])
        #expect(preview.columns[4].samples.first == "2026-11-23")
        #expect(preview.suggested.columns["Бюджет"] == .customField("budget"))

        let request = ImportRequest(file: file, fileName: "leads.xlsx", read: ImportReadOptions(format: .xlsx, sheet: "Лиды"))
        let id = UUID()
        let report = try await importer.run(request, id: id, actor: admin)
        #expect(report.rows == 3 && report.created == 2 && report.failed == 1)
        #expect(try ledger.importJob(id)?.started.sheet == "Лиды", "the job records the sheet it read")
        // Rows as the spreadsheet numbers them: row 4 is empty, so the bad budget is on row 5.
        #expect(report.errors.map(\.row) == [5])
        #expect(report.errors.first?.column == "Бюджет")

        let leads = try leadsByName(ledger)
        let olga = try #require(leads["Ольга Смирнова"])
        #expect(olga.phones.map(\.typed) == ["+7 912 345-67-89"])
        #expect(olga.customFields["budget"] == .int(12_500))
        #expect(olga.customFields["signed"] == .date("2026-11-23"))
        #expect(olga.comment == "первая строка\nвторая; жирная & <тег>")
        let ivan = try #require(leads["Ivan Petrov"])
        #expect(ivan.phones.first?.digits == "79134445566", "a phone typed as a number keeps every digit")
        #expect(ivan.customFields["budget"] == .int(25_000), "a formula gives its cached value")
    }

    @Test("the first sheet by default; an unknown sheet, a broken or truncated package, a CSV called xlsx: located errors, nothing appended")
    func badWorkbooks() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let good = try ImportFile(path: libreOfficeWorkbook)
        let first = try importer.preview(good, read: ImportReadOptions(format: .xlsx))
        #expect(first.columns.map(\.name) == ["This sheet is not the leads"])

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: libreOfficeWorkbook)))
        let cases: [(ImportFile, String?, String, String)] = [
            (good, "Sheet9", "sheet", "unknownSheet"),
            (try dir.file("truncated.xlsx", Array(bytes.prefix(bytes.count / 2))), nil, "file", "invalidXlsx"),
            (try dir.file("leads.csv.xlsx", "name;email\r\nOlga;olga@example.ru\r\n"), nil, "file", "invalidXlsx"),
        ]
        let head = ledger.log.head
        for (file, sheet, field, code) in cases {
            await #expect {
                _ = try await importer.run(ImportRequest(file: file, read: ImportReadOptions(format: .xlsx, sheet: sheet)), id: UUID(), actor: admin)
            } throws: { error in
                let error = error as? ImportError
                return error?.field == field && error?.code == code
            }
        }
        #expect(ledger.log.head == head)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("xlsx-") }
        #expect(leftovers.isEmpty, "scratch files removed: \(leftovers)")
    }
}
