import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore
import LeadLedgerImport
import Synchronization

/// Imports of leads from files:
///
/// - `POST /v1/import-previews` (the file as the body): its columns with sample values and a suggested mapping.
/// - `POST /v1/imports` (the file as the body; format, mode, key, mapping and dryRun in the query): checks the
///   request and the file's header, answers `202` with the job, and runs it in the background. With an
///   Idempotency-Key the same file and request run once: a repeat answers the job (`200` once completed), and a
///   repeat after an interruption resumes it.
/// - `GET /v1/imports`, `GET /v1/imports/{id}`: the jobs, with progress while running (a manager sees their own).
/// - `POST /v1/imports/{id}/revert`: undoes a completed import (needs `leads.delete`).
///
/// The body is streamed to a file under `<data>/uploads` (its size bounded by the upload limit) and removed when
/// the job ends; the file is read row by row.
struct ImportRoutes: APIRouteCollection {
    let commands: CommandResponder
    let jobs: ImportJobs

    init(commands: CommandResponder) {
        self.commands = commands
        jobs = ImportJobs()
    }

    func register(on routes: APIRoutes) {
        let ledger = commands.reads.ledger
        let jobs = jobs
        let uploads = ledger.configuration.dataDirectory + "/uploads"

        routes.post("/v1/import-previews") { request, context in
            _ = try context.principalOrThrow()
            let options = try Self.readOptions(request)
            let file = try await Self.store(request.body, in: uploads)
            defer { try? FileManager.default.removeItem(atPath: file.path) }
            let preview = try Importer(ledger: ledger, scratch: uploads).preview(file, read: options)
            return try JSONResponse.make(ImportPreviewResource(preview))
        }

        routes.post("/v1/imports") { request, context in
            let principal = try context.principalOrThrow()
            let query = QueryReader(request.uri.queryParameters)
            let options = try Self.readOptions(request)
            // A saved mapping gives the columns, and the mode and key unless the request names them.
            let saved = try query.text("mappingName").map { name in
                guard query.text("mapping") == nil else {
                    throw APIError.invalid(field: "mappingName", code: "conflict", message: "send mapping or mappingName, not both")
                }
                guard let saved = try ledger.currentSettings().importMappings.first(where: { $0.name == name }) else {
                    throw APIError.invalid(field: "mappingName", code: "unknownMapping", message: "no import mapping \(name) is saved")
                }
                return saved
            }
            let mode = try query.choice("mode", of: ImportMode.self) ?? saved?.mode ?? .create
            let key = try (query.text("key") ?? saved?.key).map { text in
                guard let key = ImportKey(rawValue: text) else {
                    throw APIError.invalid(field: "key", code: "invalidValue", message: "key must be email, phone or customFields.<key>")
                }
                return key
            }
            let mapping = try query.text("mapping").map { text in
                // Bounded in characters so that a URL with every parameter at its maximum stays under 8 KiB.
                guard text.count <= 450 else {
                    throw APIError.invalid(field: "mapping", code: "tooLong", message: "mapping must be at most 450 characters")
                }
                do {
                    return ImportMapping(columns: try JSONDecoder().decode([String: ImportTarget].self, from: Data(text.utf8)))
                } catch {
                    throw APIError.invalid(
                        field: "mapping", code: "invalidValue",
                        message: "mapping must be a JSON object of column → field path (fullName, phones, customFields.<key>…)")
                }
            }
            let chosenMapping = mapping ?? saved?.mapping
            let dryRun = try query.bool("dryRun") ?? false
            let fileName = try query.text("fileName").map { name in
                guard name.count <= 100 else {
                    throw APIError.invalid(field: "fileName", code: "tooLong", message: "fileName must be at most 100 characters")
                }
                return name
            }
            let idempotencyKey = try request.idempotencyKey()?.value
            let file = try await Self.store(request.body, in: uploads)
            let importer = Importer(ledger: ledger, scratch: uploads)
            let importRequest = ImportRequest(
                file: file, fileName: fileName, read: options, mode: mode, key: key, mapping: chosenMapping, dryRun: dryRun,
                idempotencyKey: idempotencyKey)
            let id = importer.importId(for: importRequest, actor: principal.adminId)
            if let running = jobs.report(id) {
                try? FileManager.default.removeItem(atPath: file.path)
                return try Self.answer(running, status: .accepted)
            }
            if !dryRun, let job = try ledger.importJob(id), job.completed != nil {
                try? FileManager.default.removeItem(atPath: file.path)
                return try Self.answer(ImportReport(job), status: .ok)
            }
            let mappingChecked: ImportMapping
            do {
                mappingChecked = try importer.validate(importRequest)
            } catch {
                try? FileManager.default.removeItem(atPath: file.path)
                throw error
            }
            let report = jobs.start(
                id: id, request: importRequest, mapping: mappingChecked, importer: importer, principal: principal)
            return try Self.answer(report, status: .accepted)
        }

        routes.get("/v1/imports") { request, context in
            let principal = try context.principalOrThrow()
            var reports = jobs.all()
            let known = Set(reports.map(\.id))
            reports += try ledger.importJobs(limit: 200).filter { !known.contains($0.id) }.map(ImportReport.init)
            reports = reports.filter { Self.sees(principal, $0) }.sorted { ($0.startedAt, $0.id.uuidString) > ($1.startedAt, $1.id.uuidString) }
            return try JSONResponse.make(ImportListResource(items: Array(reports.prefix(200))))
        }

        routes.get("/v1/imports/{id}") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.parameters.require("id", as: UUID.self)
            let report = try jobs.report(id) ?? ledger.importJob(id).map(ImportReport.init)
            guard let report, Self.sees(principal, report) else { throw APIError.notFound("No import \(id.lowercased).") }
            return try Self.answer(report, status: .ok)
        }

        routes.post("/v1/imports/{id}/revert") { request, context in
            let principal = try context.require(.leadsDelete)
            let id = try context.parameters.require("id", as: UUID.self)
            guard let job = try ledger.importJob(id), Self.sees(principal, ImportReport(job)) else {
                throw APIError.notFound("No import \(id.lowercased).")
            }
            guard jobs.report(id) == nil else {
                throw APIError(.conflict, code: "notCompleted", detail: "The import is still running.")
            }
            _ = try await Importer(ledger: ledger, scratch: uploads).revert(id, actor: principal.adminId)
            guard let reverted = try ledger.importJob(id) else { throw APIError.notFound() }
            return try Self.answer(ImportReport(reverted), status: .ok)
        }
    }

    /// A manager sees the imports they ran; an admin with `leads.read.all` sees every import.
    static func sees(_ principal: Principal, _ report: ImportReport) -> Bool {
        !principal.seesOnlyOwnLeads || report.author == principal.adminId
    }

    static func answer(_ report: ImportReport, status: HTTPResponse.Status) throws -> Response {
        var response = try JSONResponse.make(report, status: status, logPosition: report.position)
        response.headers[.location] = "/v1/imports/" + report.id.lowercased
        return response
    }

    static func readOptions(_ request: Request) throws -> ImportReadOptions {
        let query = QueryReader(request.uri.queryParameters)
        let format = try query.choice("format", of: ImportFormat.self) ?? Self.format(of: request.headers[.contentType])
        guard let format else {
            throw APIError.invalid(
                field: "format", code: "required",
                message: "format must be csv, json, ndjson or xlsx (or send Content-Type text/csv, application/json, application/x-ndjson or the .xlsx type)")
        }
        var delimiter: UnicodeScalar?
        if let text = query.text("delimiter") {
            let scalars = text == "tab" ? ["\t"] : Array(text.unicodeScalars)
            guard scalars.count == 1, let scalar = scalars.first, scalar != "\"", scalar != "\n", scalar != "\r" else {
                throw APIError.invalid(field: "delimiter", code: "invalidValue", message: "delimiter must be one character (or tab)")
            }
            delimiter = scalar
        }
        var encoding: ImportEncoding?
        if let text = query.text("encoding") {
            guard let value = ImportEncoding(name: text) else {
                throw APIError.invalid(field: "encoding", code: "invalidValue", message: "encoding must be utf-8 or windows-1251")
            }
            encoding = value
        }
        let sheet = try query.text("sheet").map { name in
            guard name.count <= ImportReadOptions.maxSheetName else {
                throw APIError.invalid(
                    field: "sheet", code: "tooLong", message: "sheet must be at most \(ImportReadOptions.maxSheetName) characters")
            }
            return name
        }
        if sheet != nil, format != .xlsx {
            throw APIError.invalid(field: "sheet", code: "xlsxOnly", message: "sheet applies to .xlsx files only")
        }
        return ImportReadOptions(format: format, delimiter: delimiter, encoding: encoding, sheet: sheet)
    }

    private static func format(of contentType: String?) -> ImportFormat? {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        switch type {
        case "text/csv": return .csv
        case "application/json": return .json
        case "application/x-ndjson", "application/ndjson": return .ndjson
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": return .xlsx
        default: return nil
        }
    }

    /// Writes the request body to a new file, piece by piece as it arrives (the body limit stops it at the
    /// upload limit), and hashes it.
    static func store(_ body: RequestBody, in directory: String) async throws -> ImportFile {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/upload-\(UUID().uuidString.lowercased())"
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw APIError(.internalError, code: "internalError", detail: "the upload cannot be stored")
        }
        do {
            var total = 0
            for try await buffer in body {
                total += buffer.readableBytes
                try handle.write(contentsOf: buffer.readableBytesView)
            }
            try handle.close()
            guard total > 0 else {
                throw APIError.invalid(field: "file", code: "required", message: "send the file as the request body")
            }
            return try ImportFile(path: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}

/// The imports running in this process (and dry runs, which the log does not keep), with their progress; a job
/// leaves once it ended and its record is in the log, dry runs after an hour.
final class ImportJobs: Sendable {
    private let running = Mutex<[UUID: (report: ImportReport, ended: Date?)]>([:])

    func report(_ id: UUID) -> ImportReport? {
        running.withLock { jobs in
            guard let job = jobs[id] else { return nil }
            return job.ended == nil || job.report.dryRun ? job.report : nil
        }
    }

    func all() -> [ImportReport] {
        running.withLock { jobs in jobs.values.filter { $0.ended == nil || $0.report.dryRun }.map(\.report) }
    }

    /// Starts the import in the background and answers its first report.
    func start(
        id: UUID, request: ImportRequest, mapping: ImportMapping, importer: Importer, principal: Principal
    ) -> ImportReport {
        var initial = ImportReport(
            id: id, request: request, mapping: mapping, actor: principal.adminId, at: importer.ledger.configuration.clock.now())
        initial.state = .running
        let first = initial
        running.withLock { jobs in
            jobs = jobs.filter { $0.value.ended.map { Date().timeIntervalSince($0) < 3600 } ?? true }
            jobs[id] = (first, nil)
        }
        Task {
            let outcome: ImportReport
            do {
                outcome = try await importer.run(request, id: id, actor: principal.adminId, canUpdate: { principal.canReach($0) }) {
                    report in self.running.withLock { $0[id] = (report, nil) }
                }
            } catch {
                var failed = self.report(id) ?? first
                failed.state = .failed
                failed.failure =
                    (error as? ImportError)
                    ?? ImportError(code: "failed", message: "the import stopped: \(error); run it again with the same key to resume")
                outcome = failed
            }
            self.running.withLock { $0[id] = (outcome, Date()) }
            try? FileManager.default.removeItem(atPath: request.file.path)
        }
        return first
    }
}

/// `{items: [ImportJob]}`.
struct ImportListResource: Encodable, Sendable {
    var items: [ImportReport]
}

/// The JSON form of a preview.
struct ImportPreviewResource: Encodable, Sendable {
    struct Column: Encodable, Sendable {
        var name: String
        var samples: [String]
        var suggested: String?
    }

    var format: String
    var encoding: String?
    var delimiter: String?
    var columns: [Column]
    var suggestedMapping: [String: String]

    init(_ preview: ImportPreview) {
        format = preview.format.rawValue
        encoding = preview.encoding?.rawValue
        delimiter = preview.delimiter
        columns = preview.columns.map { Column(name: $0.name, samples: $0.samples, suggested: $0.suggested?.rawValue) }
        suggestedMapping = preview.suggested.columns.mapValues(\.rawValue)
    }
}
