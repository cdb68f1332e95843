import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore

/// An import to run: the file on disk, how to read it, what to do with its rows.
public struct ImportRequest: Sendable {
    public var file: ImportFile
    public var fileName: String?
    public var read: ImportReadOptions
    public var mode: ImportMode
    public var key: ImportKey?
    /// nil: the mapping suggested from the file's columns.
    public var mapping: ImportMapping?
    public var dryRun: Bool
    /// Names the import: the same key and file give the same import, which runs once (a second run answers
    /// the first one's report, or resumes it where it stopped).
    public var idempotencyKey: String?

    public init(
        file: ImportFile, fileName: String? = nil, read: ImportReadOptions, mode: ImportMode = .create,
        key: ImportKey? = nil, mapping: ImportMapping? = nil, dryRun: Bool = false, idempotencyKey: String? = nil
    ) {
        self.file = file
        self.fileName = fileName
        self.read = read
        self.mode = mode
        self.key = key
        self.mapping = mapping
        self.dryRun = dryRun
        self.idempotencyKey = idempotencyKey
    }
}

/// Where an import is, and its report so far: counts of rows by outcome and the first errors.
public struct ImportReport: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case running, completed, failed, reverted
    }

    public var id: UUID
    public var state: State
    public var dryRun: Bool
    public var format: ImportFormat
    public var fileName: String?
    /// The .xlsx sheet read (nil: the first, or not a workbook).
    public var sheet: String?
    public var fileBytes: Int64
    public var mode: ImportMode
    public var key: String?
    public var mapping: ImportMapping
    public var rows = 0
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    public var skipped = 0
    public var failed = 0
    /// The first `Importer.maxErrors` errors, in row order.
    public var errors: [ImportRowError] = []
    /// Bytes of the file read so far (of `fileBytes`); for a Windows-1251 CSV, of its UTF-8 copy.
    public var bytesRead: Int64 = 0
    /// Why the import stopped (state `failed`).
    public var failure: ImportError?
    public var revert: ImportReverted?
    public var startedAt: Timestamp
    public var completedAt: Timestamp?
    /// The log position of its last event so far (wait for it to read what it did).
    public var position: UInt64?
    public var author: UUID

    /// The report an import's stream records.
    public init(_ job: ImportJobRecord) {
        id = job.id
        dryRun = false
        format = job.started.format
        fileName = job.started.fileName
        sheet = job.started.sheet
        fileBytes = job.started.fileBytes
        mode = job.started.mode
        key = job.started.key
        mapping = ImportMapping(stored: job.started.mapping)
        startedAt = job.started.at
        author = job.started.by
        position = job.completedPosition ?? job.startedPosition
        state = job.reverted != nil ? .reverted : job.completed != nil ? .completed : .running
        if let done = job.completed {
            rows = Int(done.rows)
            created = Int(done.created)
            updated = Int(done.updated)
            unchanged = Int(done.unchanged)
            skipped = Int(done.skipped)
            failed = Int(done.failed)
            errors = done.errors
            completedAt = done.at
        }
        revert = job.reverted
    }

    /// The first report of a new run.
    public init(id: UUID, request: ImportRequest, mapping: ImportMapping, actor: UUID, at: Timestamp) {
        self.id = id
        state = .running
        dryRun = request.dryRun
        format = request.read.format
        fileName = request.fileName
        sheet = request.read.sheet
        fileBytes = request.file.bytes
        mode = request.mode
        key = request.key?.rawValue
        self.mapping = mapping
        startedAt = at
        author = actor
    }

    mutating func record(_ error: ImportRowError) {
        if errors.count < Importer.maxErrors { errors.append(error) }
    }
}

/// A look at a file before importing it: its columns with a few values each, and a suggested mapping.
public struct ImportPreview: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var name: String
        public var samples: [String]
        public var suggested: ImportTarget?
    }

    public var format: ImportFormat
    public var encoding: ImportEncoding?
    public var delimiter: String?
    public var columns: [Column]
    public var suggested: ImportMapping
}

/// Runs imports of leads from files on a ledger: reads the file row by row, turns each row into commands
/// (a new lead, or the changes that bring the lead its key finds up to the row), decides them with the real
/// deciders and appends them in large atomic batches, every event carrying the import's id as correlation id.
///
/// A row that cannot be read or whose commands are refused is reported (row, column, field, code, message)
/// and appends nothing; the others go in. Duplicates are reported, never doubled: a row whose key (create
/// mode: any e-mail or phone) an earlier row of the file had, and in create mode a row whose e-mail or phone is
/// a live lead's. Memory holds one batch of rows and a hash per key seen, not the file.
public struct Importer: Sendable {
    public let ledger: Ledger
    /// Where transcoded copies of files are written (next to the uploads).
    public var scratch: String
    /// Rows decided and appended together (their events are one atomic append, or a few when they are many).
    public var rowsPerBatch = 2_000

    public static let maxErrors = 1_000

    public init(ledger: Ledger, scratch: String = NSTemporaryDirectory()) {
        self.ledger = ledger
        self.scratch = scratch
    }

    // MARK: - Preview

    /// The file's columns, up to `samples` non-empty values of each from its first rows, and the mapping
    /// suggested from their names.
    public func preview(_ file: ImportFile, read: ImportReadOptions, samples: Int = 5) throws(ImportError) -> ImportPreview {
        let source = try read.open(file, columns: nil, scratch: scratch)
        var values = Array(repeating: [String](), count: source.columns.count)
        var rows = 0
        while rows < 200, values.contains(where: { $0.count < samples }), let row = try source.next() {
            rows += 1
            guard row.problem == nil else { continue }
            for (index, value) in row.values.enumerated() where index < values.count {
                let text = value.trimmedWhitespace
                if !text.isEmpty, values[index].count < samples { values[index].append(String(text.prefix(200))) }
            }
        }
        let settings = try settings()
        let suggested = ImportMapping.suggested(for: source.columns, settings: settings)
        let isCSV = read.format == .csv
        return ImportPreview(
            format: read.format, encoding: isCSV ? read.encoding ?? file.detectEncoding() : nil,
            delimiter: isCSV ? String(read.delimiter ?? file.detectDelimiter()) : nil,
            columns: source.columns.enumerated().map { index, name in
                ImportPreview.Column(name: name, samples: values[index], suggested: suggested.columns[name])
            },
            suggested: suggested)
    }

    private func settings() throws(ImportError) -> SettingsState {
        do { return try ledger.currentSettings() } catch {
            throw ImportError(code: "unavailable", message: "the settings cannot be read: \(error)")
        }
    }

    // MARK: - Running

    /// The id of the import a request names: derived from the actor, idempotency key and the request (file
    /// digest, mode, key, mapping) when it has a key, otherwise new.
    public func importId(for request: ImportRequest, actor: UUID) -> UUID {
        guard let idempotencyKey = request.idempotencyKey, !request.dryRun else { return UUID.v7() }
        let mapping = (request.mapping?.stored ?? []).map { "\($0.column)=\($0.field)" }.joined(separator: "\u{1F}")
        let fingerprint = ([
            request.file.sha256, request.read.format.rawValue, request.mode.rawValue, request.key?.rawValue ?? "", mapping,
        ] + (request.read.sheet.map { ["sheet=" + $0] } ?? [])).joined(separator: "\u{1E}")
        return Ledger.correlationId(actor: actor, key: "import:" + idempotencyKey, request: fingerprint)
    }

    /// Checks the request without reading past the header: the mode's key, the mapping against the settings and
    /// the file's columns. Throws every problem at once.
    public func validate(_ request: ImportRequest) throws(ImportError) -> ImportMapping {
        let source = try request.read.open(request.file, columns: request.mapping.map { Array($0.columns.keys) }, scratch: scratch)
        return try validate(request, columns: source.columns)
    }

    private func validate(_ request: ImportRequest, columns: [String]) throws(ImportError) -> ImportMapping {
        let settings = try settings()
        let mapping = request.mapping ?? ImportMapping.suggested(for: columns, settings: settings)
        var problems: [ImportRowError] = []
        func problem(_ field: String, _ code: String, _ message: String) {
            problems.append(ImportRowError(row: 1, column: nil, field: field, code: code, message: message))
        }
        if request.mapping == nil, mapping.columns.isEmpty {
            problem("mapping", "required", "no column name matches a lead field: send a mapping")
        }
        for error in mapping.problems(settings: settings) { problem("mapping." + error.field, error.code.rawValue, error.message) }
        for column in mapping.columns.keys.sorted() where !columns.contains(column) {
            problem("mapping.columns." + column, "unknownColumn", "the file has no column \(column)")
        }
        switch (request.mode, request.key) {
        case (.create, _): break
        case (_, nil): problem("key", "required", "\(request.mode.rawValue) needs a key: email, phone or customFields.<key>")
        case (_, let key?):
            if let field = key.target.customFieldKey, !settings.customFields.contains(where: { $0.key == field && !$0.retired }) {
                problem("key", "unknownCustomField", "no active custom field \(field) is defined")
            } else if !mapping.columns.values.contains(key.target) {
                problem("key", "unmappedKey", "no column is mapped to \(key.target), the key")
            }
        }
        if let first = problems.first {
            throw ImportError(field: first.field, code: first.code, message: first.message, details: problems)
        }
        return mapping
    }

    /// Runs an import to its end (or, for a request an earlier run completed, answers that run's report).
    ///
    /// - Parameters:
    ///   - canUpdate: whether the actor may change a lead their key found (a manager: the leads they reach);
    ///     a row whose key finds a lead they may not change is refused without naming the lead.
    ///   - progress: called after every batch with the report so far.
    public func run(
        _ request: ImportRequest, id: UUID, actor: UUID, canUpdate: @Sendable (LeadState) -> Bool = { _ in true },
        progress: (ImportReport) -> Void = { _ in }
    ) async throws -> ImportReport {
        if !request.dryRun, let job = try ledger.importJob(id), job.completed != nil { return ImportReport(job) }
        let source = try request.read.open(
            request.file, columns: request.mapping.map { Array($0.columns.keys).sorted() }, scratch: scratch)
        let mapping = try validate(request, columns: source.columns)
        let settings = try settings()
        let plan = ImportRecord.Plan(header: source.columns, mapping: mapping, settings: settings)
        let now = ledger.configuration.clock.now()
        var report = ImportReport(id: id, request: request, mapping: mapping, actor: actor, at: now)

        var resuming = false
        var version: UInt64 = 0
        if !request.dryRun {
            if let job = try ledger.importJob(id) {
                resuming = true  // an earlier run stopped part way: its rows are found and skipped
                version = job.version
                report.startedAt = job.started.at
            } else {
                let started = ImportStarted(
                    importId: id, format: request.read.format, fileName: request.fileName, sheet: request.read.sheet,
                    fileSha256: request.file.sha256,
                    fileBytes: request.file.bytes, mode: request.mode, key: request.key?.rawValue, mapping: mapping.stored,
                    at: now, by: actor)
                let result = try await ledger.appendJobEvent(
                    .importStarted(started), actor: actor, eventId: Ledger.derivedId(actor: actor, key: "import:\(id):started"),
                    expectedVersion: 0)
                version = result.streamVersion
                report.position = result.lastPosition
            }
        }
        // Key lookups read the projections: let them reflect everything committed before the import.
        try await ledger.waitUntilApplied(ledger.log.head)

        var seen = SeenKeys()
        var rows: [ImportRow] = []
        rows.reserveCapacity(rowsPerBatch)
        while true {
            rows.removeAll(keepingCapacity: true)
            while rows.count < rowsPerBatch, let row = try source.next() { rows.append(row) }
            if rows.isEmpty { break }
            try await runBatch(
                rows, request: request, id: id, actor: actor, plan: plan, settings: settings, seen: &seen,
                resuming: resuming, canUpdate: canUpdate, report: &report)
            report.bytesRead = min(source.bytesRead, report.fileBytes)
            progress(report)
        }

        if !request.dryRun {
            let completed = ImportCompleted(
                importId: id, rows: Int64(report.rows), created: Int64(report.created), updated: Int64(report.updated),
                unchanged: Int64(report.unchanged), skipped: Int64(report.skipped), failed: Int64(report.failed),
                errors: report.errors, at: ledger.configuration.clock.now(), by: actor)
            let result = try await ledger.appendJobEvent(
                .importCompleted(completed), actor: actor, eventId: Ledger.derivedId(actor: actor, key: "import:\(id):completed"),
                expectedVersion: version)
            report.position = result.lastPosition
            report.completedAt = completed.at
        } else {
            report.completedAt = ledger.configuration.clock.now()
        }
        report.state = .completed
        report.bytesRead = report.fileBytes
        progress(report)
        return report
    }

    /// What a row of the batch turned into before deciding.
    private enum Planned {
        case failed([ImportRowError])
        case item(Int, created: Bool)
    }

    private func runBatch(
        _ rows: [ImportRow], request: ImportRequest, id: UUID, actor: UUID, plan: ImportRecord.Plan,
        settings: SettingsState, seen: inout SeenKeys, resuming: Bool, canUpdate: @Sendable (LeadState) -> Bool,
        report: inout ImportReport
    ) async throws {
        var planned: [(row: Int, Planned)] = []
        var items: [LeadBatchItem] = []
        let mode = request.mode
        let key = request.key
        try ledger.read { view in
            for row in rows {
                func fail(_ code: String, _ message: String, column: String? = nil, field: String? = nil) {
                    planned.append((row.number, .failed([ImportRowError(row: row.number, column: column, field: field, code: code, message: message)])))
                }
                if let problem = row.problem {
                    planned.append((row.number, .failed([problem])))
                    continue
                }
                let (record, errors) = plan.record(row.values, row: row.number)
                if !errors.isEmpty {
                    planned.append((row.number, .failed(errors)))
                    continue
                }
                // Rows number their events (and created leads) so that ids sort by row: see `Ledger.sequentialId`.
                let eventKey = "import:\(id)"
                let sequence = UInt32(truncatingIfNeeded: row.number)
                // Keys this row is known by: its key (update, upsert) or every e-mail and phone (create).
                let keys = Self.keys(of: record, key: mode == .create ? nil : key, settings: settings)
                if mode != .create, keys.isEmpty {
                    let column = key.flatMap { plan.column(forField: $0.target.rawValue) }
                    fail("missingKey", "the row has no \(key?.rawValue ?? "key")", column: column, field: key?.target.rawValue)
                    continue
                }
                if let earlier = seen.earlierRow(for: keys, row: row.number) {
                    fail("duplicateInFile", "row \(earlier) of the file has the same \(mode == .create ? "e-mail or phone" : key?.rawValue ?? "key")")
                    continue
                }
                var existing = Set<UUID>()
                for k in keys {
                    switch k {
                    case .email(let email): existing.formUnion(try view.leadIds(withEmail: email))
                    case .phone(let digits): existing.formUnion(try view.leads(withPhone: digits).map(\.id))
                    case .customField(let field, let value): existing.formUnion(try view.leadIds(withCustomField: field, equalTo: value))
                    }
                }
                if mode == .create {
                    // The import's own earlier rows are in the store too: those were already checked in the file.
                    if !existing.isEmpty, !resuming || existing.contains(where: { $0 != Self.leadId(actor, id, row.number) }) {
                        let other = existing.sorted { $0.uuidString < $1.uuidString }.first!
                        let named = try view.lead(other).map(canUpdate) ?? false
                        fail(
                            "duplicateOfExisting",
                            named ? "lead \(other.uuidString.lowercased()) already has this e-mail or phone"
                                : "a lead of another manager already has this e-mail or phone")
                        continue
                    }
                } else if existing.count > 1 {
                    fail("ambiguousKey", "\(existing.count) leads have this \(key!.rawValue); the row updates one", field: key?.target.rawValue)
                    continue
                } else if let leadId = existing.first {
                    guard let lead = try view.lead(leadId), canUpdate(lead) else {
                        fail("notPermitted", "the lead with this \(key!.rawValue) is another manager's")
                        continue
                    }
                    planned.append((row.number, .item(items.count, created: false)))
                    items.append(LeadBatchItem(leadId: leadId, eventKey: eventKey, sequence: sequence) { state in
                        guard let state, state.isLive else { return [] }
                        return record.commands(updating: state)
                    })
                    continue
                } else if mode == .update {
                    fail("notFound", "no lead has this \(key!.rawValue)", field: key?.target.rawValue)
                    continue
                }
                let leadId = Self.leadId(actor, id, row.number)
                planned.append((row.number, .item(items.count, created: true)))
                let input = record.leadInput
                items.append(LeadBatchItem(leadId: leadId, eventKey: eventKey, sequence: sequence) { _ in [.create(leadId: leadId, input)] })
            }
        }
        var outcomes: [LeadBatchOutcome] = []
        outcomes.reserveCapacity(items.count)
        while outcomes.count < items.count {
            let (done, position) = try await ledger.executeBatch(
                items[outcomes.count...], actor: actor, correlationId: id, dryRun: request.dryRun, checkStored: resuming)
            outcomes += done
            if let position { report.position = position }
        }
        for (row, plannedRow) in planned {
            report.rows += 1
            switch plannedRow {
            case .failed(let errors):
                report.failed += 1
                errors.forEach { report.record($0) }
            case .item(let index, let created):
                switch outcomes[index] {
                case .applied: if created { report.created += 1 } else { report.updated += 1 }
                case .unchanged: report.unchanged += 1
                case .alreadyStored: report.skipped += 1
                case .rejected(let error):
                    report.failed += 1
                    if error.fieldErrors.isEmpty {
                        report.record(ImportRowError(row: row, column: nil, field: nil, code: error.code.rawValue, message: error.message))
                    }
                    for fieldError in error.fieldErrors {
                        report.record(
                            ImportRowError(
                                row: row, column: plan.column(forField: fieldError.field), field: fieldError.field,
                                code: fieldError.code.rawValue, message: fieldError.message))
                    }
                }
            }
        }
    }

    private static func leadId(_ actor: UUID, _ id: UUID, _ row: Int) -> UUID {
        Ledger.sequentialId(actor: actor, key: "import:\(id):lead", sequence: UInt32(truncatingIfNeeded: row))
    }

    enum RowKey: Hashable {
        case email(String)
        case phone(String)
        case customField(String, CustomFieldValue)
    }

    private static func keys(of record: ImportRecord, key: ImportKey?, settings: SettingsState) -> [RowKey] {
        var keys: [RowKey] = []
        if key == nil || key == .email {
            for email in record.emails {
                let normalized = EmailAddress.normalize(email)
                if !normalized.isEmpty { keys.append(.email(normalized)) }
            }
        }
        if key == nil || key == .phone {
            for phone in record.phones {
                let number = PhoneNumber(typed: phone)
                if number.isValid { keys.append(.phone(settings.internationalDigits(number))) }
            }
        }
        if case .customField(let field)? = key, let value = record.customFields[field] {
            keys.append(.customField(field, value))
        }
        return keys
    }

    /// The keys rows of the file had so far, as 64-bit hashes with the row that had each: bounded memory for
    /// 10^6 rows (a collision, about 10^-7 at that size, reports a false duplicate, never a missed one).
    struct SeenKeys {
        private var rows: [Int: Int32] = [:]

        mutating func earlierRow(for keys: [RowKey], row: Int) -> Int? {
            for key in keys {
                if let earlier = rows[key.hashValue], Int(earlier) != row { return Int(earlier) }
            }
            for key in keys { rows[key.hashValue] = Int32(clamping: row) }
            return nil
        }
    }
}
