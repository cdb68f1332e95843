import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore
import LeadLedgerImport
import Testing

/// A fresh data directory per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-import-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to a file in the directory and returns the import file.
    func file(_ name: String, _ bytes: [UInt8]) throws -> ImportFile {
        let path = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try ImportFile(path: path)
    }

    func file(_ name: String, _ text: String) throws -> ImportFile { try file(name, Array(text.utf8)) }
}

let admin = UUID(uuidString: "00000000-0000-4000-8000-0000000000a0")!

func openLedger(_ directory: String) async throws -> Ledger {
    try await Ledger.open(
        LedgerConfiguration(
            dataDirectory: directory + "/data",
            clock: SteppingClock(start: Timestamp(microseconds: 1_793_523_600_000_000), step: 1_000_000)))
}

/// A ledger with a number field `budget`, a date field `signed` and an id field `crm-id`.
func ledgerWithFields(_ directory: String) async throws -> Ledger {
    let ledger = try await openLedger(directory)
    for definition in [
        CustomFieldDefinition(key: "budget", name: "Бюджет", type: .int),
        CustomFieldDefinition(key: "signed", name: "Signed", type: .date),
        CustomFieldDefinition(key: "crm-id", name: "CRM id", type: .string),
    ] {
        try await ledger.execute(.settings(.defineCustomField(definition)), actor: admin)
    }
    return ledger
}

/// Every live lead, by name.
func leadsByName(_ ledger: Ledger) throws -> [String: LeadState] {
    var leads: [String: LeadState] = [:]
    try ledger.log.forEach { recorded in
        if case .lead(let id)? = StreamID.parse(recorded.streamId), let lead = try ledger.lead(id)?.state, lead.isLive {
            leads[lead.fullName] = lead
        }
        return true
    }
    return leads
}

@Suite("Importing leads from files")
struct ImportTests {
    @Test("a CSV with a BOM, ; detected, quoted delimiters, quotes and line breaks becomes leads, one correlation id on all")
    func csvCreates() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let csv =
            "\u{FEFF}ФИО;Телефон;E-mail;Компания;Бюджет;Комментарий\r\n"
            + "Ольга Смирнова;+7 912 345-67-89;olga@example.ru;\"ООО \"\"Ромашка\"\"; филиал\";12 500;\"первая строка\r\nвторая строка\"\r\n"
            + "\r\n"
            + "Ivan Petrov;8 (913) 111-22-33, +7 913 444-55-66;ivan@example.com;;;\r\n"
        let file = try dir.file("leads.csv", csv)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let request = ImportRequest(file: file, fileName: "leads.csv", read: ImportReadOptions(format: .csv))
        let id = importer.importId(for: request, actor: admin)
        let report = try await importer.run(request, id: id, actor: admin)

        #expect(report.state == .completed)
        #expect(report.errors == [])
        #expect((report.rows, report.created, report.failed) == (2, 2, 0))
        #expect(report.mapping.columns["Бюджет"] == .customField("budget"))
        let leads = try leadsByName(ledger)
        let olga = try #require(leads["Ольга Смирнова"])
        #expect(olga.company == "ООО \"Ромашка\"; филиал")
        #expect(olga.customFields["budget"] == .int(12_500))
        #expect(olga.comment == "первая строка\r\nвторая строка")
        #expect(olga.emails == ["olga@example.ru"])
        let ivan = try #require(leads["Ivan Petrov"])
        #expect(ivan.phones.map(\.typed) == ["8 (913) 111-22-33", "+7 913 444-55-66"])

        // Every lead event carries the import's id; the import's stream records the start and the counts.
        var correlations = Set<UUID>()
        try ledger.log.forEach { recorded in
            if recorded.streamId.hasPrefix("lead-") { correlations.insert(recorded.metadata.correlationId!) }
            return true
        }
        #expect(correlations == [id])
        let job = try #require(try ledger.importJob(id))
        #expect(job.started.fileSha256 == file.sha256)
        #expect(job.completed?.created == 2)
    }

    @Test("a Windows-1251 file is recognised and read; encoding=utf-8 on it is a located error that appends nothing")
    func windows1251() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await openLedger(dir.path)
        // "ФИО;Телефон\r\nПётр Иванов;+7 912 000-00-01\r\n" in code page 1251.
        var bytes: [UInt8] = [0xD4, 0xC8, 0xCE, 0x3B, 0xD2, 0xE5, 0xEB, 0xE5, 0xF4, 0xEE, 0xED, 0x0D, 0x0A]
        bytes += [0xCF, 0xB8, 0xF2, 0xF0, 0x20, 0xC8, 0xE2, 0xE0, 0xED, 0xEE, 0xE2, 0x3B]
        bytes += Array("+7 912 000-00-01\r\n".utf8)
        let file = try dir.file("cp1251.csv", bytes)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let report = try await importer.run(ImportRequest(file: file, read: ImportReadOptions(format: .csv)), id: UUID(), actor: admin)
        #expect(report.created == 1)
        #expect(try leadsByName(ledger)["Пётр Иванов"]?.phones.first?.digits == "79120000001")

        let head = ledger.log.head
        await #expect {
            _ = try await importer.run(
                ImportRequest(file: file, read: ImportReadOptions(format: .csv, encoding: .utf8)), id: UUID(), actor: admin)
        } throws: { error in
            (error as? ImportError)?.code == "invalidEncoding" && (error as? ImportError)?.row == 1
        }
        // The header could not be read: not even ImportStarted was appended.
        #expect(ledger.log.head == head)
    }

    @Test("bad cells are reported by row, column and code; the other rows go in; a dry run appends nothing")
    func validation() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let csv = """
            name,email,budget,signed,step
            Good One,good@example.com,100,2026-01-31,Qualified
            Bad Budget,bb@example.com,сто,2026-01-31,new
            Bad Date,bd@example.com,5,31.01.2026,new
            Bad Step,bs@example.com,5,,nowhere
            Bad Email,not-an-email,5,,
            Ragged,r@example.com,5
            ,noname@example.com,,,

            """
        let file = try dir.file("bad.csv", csv)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let mapping = ImportMapping(columns: [
            "name": .fullName, "email": .emails, "budget": .customField("budget"), "signed": .customField("signed"),
            "step": .step,
        ])
        let head = ledger.log.head
        let dry = try await importer.run(
            ImportRequest(file: file, read: ImportReadOptions(format: .csv), mapping: mapping, dryRun: true), id: UUID(),
            actor: admin)
        #expect(ledger.log.head == head)
        #expect((dry.rows, dry.created, dry.failed) == (7, 1, 6))

        let report = try await importer.run(
            ImportRequest(file: file, read: ImportReadOptions(format: .csv), mapping: mapping), id: UUID(), actor: admin)
        #expect((report.rows, report.created, report.failed) == (7, 1, 6))
        #expect(report.errors.map(\.row) == dry.errors.map(\.row))
        let byRow = Dictionary(grouping: report.errors, by: \.row)
        #expect(byRow[3]?.first?.column == "budget")
        #expect(byRow[3]?.first?.code == "invalidValue")
        #expect(byRow[4]?.first?.column == "signed")
        #expect(byRow[4]?.first?.code == "invalidDate")
        #expect(byRow[5]?.first?.column == "step")
        #expect(byRow[5]?.first?.code == "unknownStep")
        #expect(byRow[6]?.first?.column == "email")
        #expect(byRow[7]?.first?.code == "raggedRow")
        #expect(byRow[8]?.first?.column == "name")
        let good = try #require(try leadsByName(ledger)["Good One"])
        #expect(good.step == "qualified")
        #expect(good.customFields["signed"] == .date("2026-01-31"))
    }

    @Test("duplicates inside the file and of existing leads are reported, not doubled")
    func duplicates() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await openLedger(dir.path)
        let existing = UUID()
        try await ledger.execute(
            .lead(existing, .create(leadId: existing, LeadInput(fullName: "Existing", phones: ["+7 912 345-67-89"]))),
            actor: admin)
        let csv = """
            name;phone;email
            First;+7 913 000-00-01;a@example.com
            Same Mail;+7 913 000-00-02;A@Example.com
            Same Phone;8 913 000-00-01;
            Known;8 (912) 345-67-89;k@example.com

            """
        let importer = Importer(ledger: ledger, scratch: dir.path)
        try await ledger.execute(.settings(.setPhoneCountry("RU")), actor: admin)
        let report = try await importer.run(
            ImportRequest(file: try dir.file("d.csv", csv), read: ImportReadOptions(format: .csv)), id: UUID(), actor: admin)
        #expect((report.created, report.failed) == (1, 3))
        #expect(report.errors.map(\.code) == ["duplicateInFile", "duplicateInFile", "duplicateOfExisting"])
        #expect(report.errors[0].message.contains("row 2"))
        #expect(report.errors[2].message.contains(existing.uuidString.lowercased()))
        #expect(try leadsByName(ledger).keys.sorted() == ["Existing", "First"])
    }

    @Test("upsert by an external id updates what changed, creates the rest; the same key and file run once")
    func upsertIdempotent() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let id1 = UUID()
        try await ledger.execute(
            .lead(
                id1,
                .create(
                    leadId: id1,
                    LeadInput(fullName: "Old Name", emails: ["old@example.com"], tags: ["vip"], customFields: ["crm-id": .string("C-1")]))),
            actor: admin)
        let id2 = UUID()
        try await ledger.execute(
            .lead(id2, .create(leadId: id2, LeadInput(fullName: "Same", customFields: ["crm-id": .string("C-2")]))), actor: admin)
        let csv = """
            crm,name,email,tags,step
            C-1,New Name,new@example.com,"vip, wholesale",contacted
            C-2,Same,,,
            C-3,Brand New,b@example.com,,

            """
        let file = try dir.file("u.csv", csv)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let request = ImportRequest(
            file: file, read: ImportReadOptions(format: .csv), mode: .upsert, key: .customField("crm-id"),
            mapping: ImportMapping(columns: [
                "crm": .customField("crm-id"), "name": .fullName, "email": .emails, "tags": .tags, "step": .step,
            ]),
            idempotencyKey: "nightly-2026-12-04")
        let id = importer.importId(for: request, actor: admin)
        let report = try await importer.run(request, id: id, actor: admin)
        #expect((report.created, report.updated, report.unchanged, report.failed) == (1, 1, 1, 0))
        let updated = try #require(try ledger.lead(id1)?.state)
        #expect(updated.fullName == "New Name")
        #expect(updated.emails == ["old@example.com", "new@example.com"])
        #expect(updated.tags == ["vip", "wholesale"])
        #expect(updated.step == "contacted")

        let head = ledger.log.head
        #expect(importer.importId(for: request, actor: admin) == id)
        let again = try await importer.run(request, id: id, actor: admin)
        #expect(ledger.log.head == head)
        #expect((again.created, again.updated, again.unchanged) == (1, 1, 1))

        // update mode with a key no lead has
        var update = request
        update.mode = .update
        update.idempotencyKey = nil
        let strict = try await importer.run(update, id: UUID(), actor: admin)
        #expect(strict.failed == 0)  // C-3 exists now
        #expect(strict.unchanged == 3)
    }

    @Test("a revert deletes the created leads and sets updated fields back, leaving fields changed since")
    func revert() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let lead = UUID()
        try await ledger.execute(
            .lead(
                lead,
                .create(leadId: lead, LeadInput(fullName: "Anna", company: "Old Co", emails: ["anna@example.com"], step: "new"))),
            actor: admin)
        let csv = """
            email,company,comment,step,name
            anna@example.com,New Co,imported,qualified,Anna
            fresh@example.com,,,,Fresh

            """
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let request = ImportRequest(
            file: try dir.file("r.csv", csv), read: ImportReadOptions(format: .csv), mode: .upsert, key: .email)
        let id = importer.importId(for: request, actor: admin)
        let report = try await importer.run(request, id: id, actor: admin)
        #expect((report.created, report.updated) == (1, 1))
        // Someone edits the comment after the import: the revert leaves it.
        try await ledger.execute(.lead(lead, .update(LeadPatch(comment: "edited by hand"))), actor: admin)

        let reverted = try await importer.revert(id, actor: admin)
        #expect((reverted.deleted, reverted.reverted, reverted.conflicts) == (1, 1, 1))
        let anna = try #require(try ledger.lead(lead)?.state)
        #expect(anna.company == "Old Co")
        #expect(anna.step == "new")
        #expect(anna.comment == "edited by hand")
        #expect(try leadsByName(ledger).keys.sorted() == ["Anna"])
        let head = ledger.log.head
        #expect(try await importer.revert(id, actor: admin) == reverted)
        #expect(ledger.log.head == head)
        #expect(try ledger.importJob(id)?.reverted == reverted)
    }

    @Test("JSON arrays and NDJSON: nested objects are dotted columns, arrays are several values")
    func json() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await openLedger(dir.path)
        let array = #"""
            [ {"fullName": "Jonas Kazlauskas", "phones": ["+370 612 34567", "8 612 76543"], "address": {"city": "Vilnius"}},
              {"fullName": "Quote \"],[\" Name", "emails": "q@example.lt", "priority": "high"},
              ["not", "an", "object"] ]
            """#
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let mapping = ImportMapping(columns: [
            "fullName": .fullName, "phones": .phones, "emails": .emails, "address.city": .address(.city), "priority": .priority,
        ])
        let report = try await importer.run(
            ImportRequest(file: try dir.file("a.json", array), read: ImportReadOptions(format: .json), mapping: mapping),
            id: UUID(), actor: admin)
        #expect((report.rows, report.created, report.failed) == (3, 2, 1))
        #expect(report.errors.first?.row == 3)
        #expect(report.errors.first?.code == "notAnObject")
        let leads = try leadsByName(ledger)
        #expect(leads["Jonas Kazlauskas"]?.phones.count == 2)
        #expect(leads["Jonas Kazlauskas"]?.address?.city == "Vilnius")
        #expect(leads["Quote \"],[\" Name"]?.priority == .high)

        let lines = "{\"fullName\": \"Line One\"}\n\n{\"fullName\": \"Line Two\", \"emails\": [\"two@example.com\"]}\nnot json\n"
        let ndjson = try await importer.run(
            ImportRequest(file: try dir.file("l.ndjson", lines), read: ImportReadOptions(format: .ndjson)), id: UUID(),
            actor: admin)
        #expect((ndjson.created, ndjson.failed) == (2, 1))
        #expect(ndjson.errors.first?.row == 4)
        #expect(ndjson.errors.first?.code == "invalidJSON")
    }

    @Test("a mapping naming missing columns or unknown fields, or an update without a key, is refused before any row")
    func badRequests() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await openLedger(dir.path)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let file = try dir.file("x.csv", "a;b\n1;2\n")
        let head = ledger.log.head
        await #expect {
            _ = try await importer.run(
                ImportRequest(
                    file: file, read: ImportReadOptions(format: .csv),
                    mapping: ImportMapping(columns: ["a": .fullName, "zzz": .company, "b": .customField("nope")])),
                id: UUID(), actor: admin)
        } throws: { error in
            let fields = Set((error as? ImportError)?.details.compactMap(\.field) ?? [])
            return fields == ["mapping.columns.zzz", "mapping.columns.b"]
        }
        await #expect {
            _ = try await importer.run(
                ImportRequest(file: file, read: ImportReadOptions(format: .csv), mode: .update, mapping: ImportMapping(columns: ["a": .fullName])),
                id: UUID(), actor: admin)
        } throws: { error in (error as? ImportError)?.field == "key" }
        await #expect {
            _ = try await importer.run(ImportRequest(file: file, read: ImportReadOptions(format: .csv)), id: UUID(), actor: admin)
        } throws: { error in (error as? ImportError)?.field == "mapping" }
        #expect(ledger.log.head == head)
    }

    @Test("a preview answers each column's samples and the suggested mapping")
    func preview() async throws {
        let dir = TemporaryDirectory()
        let ledger = try await ledgerWithFields(dir.path)
        let importer = Importer(ledger: ledger, scratch: dir.path)
        let file = try dir.file("p.csv", "Имя,Телефон,Бюджет,Прочее\nОльга,+7 912 1,10,\nИван,,20,x\n")
        let preview = try importer.preview(file, read: ImportReadOptions(format: .csv))
        #expect(preview.delimiter == ",")
        #expect(preview.encoding == .utf8)
        #expect(preview.columns.map(\.name) == ["Имя", "Телефон", "Бюджет", "Прочее"])
        #expect(preview.columns[0].samples == ["Ольга", "Иван"])
        #expect(preview.columns[1].samples == ["+7 912 1"])
        #expect(preview.suggested.columns == ["Имя": .fullName, "Телефон": .phones, "Бюджет": .customField("budget")])
    }
}
