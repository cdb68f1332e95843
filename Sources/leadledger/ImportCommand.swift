import ArgumentParser
import Foundation
import LeadDomain
import LeadLedgerCore
import LeadLedgerImport

/// `leadledger import FILE`: imports leads from a CSV, JSON, NDJSON or .xlsx file into a data directory (stop the server
/// on it first: the log has one writer), with a progress bar, and prints the report as JSON.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import leads from a CSV, JSON, NDJSON or .xlsx file (stop the server on this data directory first)."
    )

    @Argument(help: "The file to import.")
    var file: String

    @OptionGroup var data: DataOptions

    @Option(help: "csv, json, ndjson or xlsx (default: from the file's extension).")
    var format: String?

    @Option(help: "A mapping file: {\"columns\": {\"<column>\": \"<field>\"}} (default: suggested from the column names).")
    var mapping: String?

    @Option(help: "A mapping saved in the settings (PUT /v1/settings/import-mappings/{name}); its mode and key apply unless given.")
    var savedMapping: String?

    @Option(help: "create, update or upsert (default: create, or the saved mapping's).")
    var mode: String?

    @Option(help: "What finds the lead a row updates: email, phone or customFields.<key>.")
    var key: String?

    @Option(help: "The CSV delimiter (default: detected; ; when the header has none).")
    var delimiter: String?

    @Option(help: "utf-8 or windows-1251 (default: detected).")
    var encoding: String?

    @Option(help: "The .xlsx sheet to read, by name (default: the first).")
    var sheet: String?

    @Option(help: "Names the import: the same key and file import once, and an interrupted run resumes.")
    var idempotencyKey: String?

    @Flag(help: "Check every row and report what would be created or updated; append nothing.")
    var dryRun = false

    @Option(help: "The admin the import acts as (default: the first enabled admin with the role admin).")
    var admin: String?

    func run() async throws {
        let formatName = format ?? URL(fileURLWithPath: file).pathExtension.lowercased()
        guard let format = ImportFormat(rawValue: formatName) else {
            throw ValidationError("--format must be csv, json, ndjson or xlsx")
        }
        if mapping != nil, savedMapping != nil { throw ValidationError("give --mapping or --saved-mapping, not both") }
        let chosenMode = try mode.map { text in
            guard let mode = ImportMode(rawValue: text) else { throw ValidationError("--mode must be create, update or upsert") }
            return mode
        }
        let chosenKey = try key.map { text in
            guard let key = ImportKey(rawValue: text) else { throw ValidationError("--key must be email, phone or customFields.<key>") }
            return key
        }
        var delimiterScalar: UnicodeScalar?
        if let delimiter {
            guard delimiter.unicodeScalars.count == 1, let scalar = delimiter.unicodeScalars.first else {
                throw ValidationError("--delimiter must be one character")
            }
            delimiterScalar = scalar
        }
        let encoding = try encoding.map { name in
            guard let encoding = ImportEncoding(name: name) else { throw ValidationError("--encoding must be utf-8 or windows-1251") }
            return encoding
        }
        var mappingValue = try mapping.map { path in
            try JSONDecoder().decode(ImportMapping.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let importFile = try ImportFile(path: file)

        let ledger = try await Ledger.open(data.configuration)
        do {
            var mode = chosenMode ?? .create
            var key = chosenKey
            if let savedMapping {
                guard let saved = try ledger.currentSettings().importMappings.first(where: { $0.name == savedMapping }) else {
                    throw CLIError("no import mapping \(savedMapping) is saved")
                }
                mappingValue = saved.mapping
                mode = chosenMode ?? saved.mode ?? .create
                key = chosenKey ?? saved.key.flatMap(ImportKey.init(rawValue:))
            }
            let actor = try chooseAdmin(ledger)
            let importer = Importer(ledger: ledger, scratch: NSTemporaryDirectory())
            let request = ImportRequest(
                file: importFile, fileName: URL(fileURLWithPath: file).lastPathComponent,
                read: ImportReadOptions(format: format, delimiter: delimiterScalar, encoding: encoding, sheet: sheet), mode: mode, key: key,
                mapping: mappingValue, dryRun: dryRun, idempotencyKey: idempotencyKey)
            let progress = ProgressReporter(label: dryRun ? "checking" : "importing", unit: "B")
            let report = try await importer.run(request, id: importer.importId(for: request, actor: actor), actor: actor) { _ in true } progress: {
                progress.report(done: UInt64($0.bytesRead), total: UInt64($0.fileBytes))
            }
            progress.finish()
            print(String(decoding: try report.jsonBytes(), as: UTF8.self))
            try await ledger.close()
        } catch let error as ImportError {
            try await ledger.close()
            throw CLIError(error.description)
        } catch {
            try await ledger.close()
            throw error
        }
    }

    private func chooseAdmin(_ ledger: Ledger) throws -> UUID {
        let admins = try ledger.read { try $0.admins() }
        if let admin {
            guard let id = UUID(uuidString: admin), admins.contains(where: { $0.id == id && !$0.disabled }) else {
                throw CLIError("--admin: no enabled admin \(admin)")
            }
            return id
        }
        guard let first = admins.first(where: { !$0.disabled && $0.role == .admin }) else {
            throw CLIError("no enabled admin with the role admin: start the server once (it creates one) or pass --admin")
        }
        return first.id
    }
}
