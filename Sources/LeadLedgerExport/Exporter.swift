import Foundation
import LeadDomain
import LeadLedgerCore

/// Which deals an export takes (every field optional; all given ones must hold).
public struct DealExportFilter: Sendable, Hashable {
    public var stage: Set<String>?
    public var outcome: Set<DealStageKind>?
    public var responsible: Set<UUID>?
    public var lead: UUID?
    public var customer: UUID?
    /// Deleted deals instead of the others.
    public var deleted = false

    public init() {}

    func accepts(_ deal: DealState) -> Bool {
        deal.deleted == deleted && stage.map { $0.contains(deal.stage) } ?? true
            && outcome.map { $0.contains(deal.outcome) } ?? true
            && responsible.map { $0.contains(deal.responsible) } ?? true && lead.map { $0 == deal.leadId } ?? true
            && customer.map { $0 == deal.customerId } ?? true
    }
}

/// What to export and how.
public struct ExportRequest: Sendable {
    public enum Selection: Sendable {
        /// A `GET /v1/leads` query (its sort and order; its cursor, limit and count are ignored).
        case leads(LeadQuery)
        case customers(CustomerQuery)
        case deals(DealExportFilter)
    }

    public var selection: Selection
    public var format: ExportFormat
    /// Column names, in order; nil: every column of the table.
    public var columns: [String]?
    /// CSV only: `,` (RFC 4180, the default), `;` or a tab.
    public var delimiter: Character
    /// CSV only: start with a UTF-8 byte order mark, which Excel needs to read UTF-8.
    public var byteOrderMark: Bool
    /// A manager who may not read all leads: only what they reach (their leads, those leads' deals and
    /// customers, deals they are responsible for) is exported.
    public var visibleTo: UUID?
    /// The time a lead's pause is read at (a lead paused until later is listed as paused).
    public var now: Timestamp

    public init(
        selection: Selection, format: ExportFormat = .csv, columns: [String]? = nil, delimiter: Character = ",",
        byteOrderMark: Bool = false, visibleTo: UUID? = nil, now: Timestamp
    ) {
        self.now = now
        self.selection = selection
        self.format = format
        self.columns = columns
        self.delimiter = delimiter
        self.byteOrderMark = byteOrderMark
        self.visibleTo = visibleTo
    }

    public var table: ExportTable {
        switch selection {
        case .leads: .leads
        case .customers: .customers
        case .deals: .deals
        }
    }
}

/// A finished export: a file in the scratch directory (the caller sends it and removes it), its row count
/// (the header not counted) and the log position every row reflects.
public struct ExportResult: Sendable {
    public var file: URL
    public var rows: Int
    public var bytes: Int64
    public var position: UInt64
    public var format: ExportFormat
    public var table: ExportTable
}

/// Writes exports of the projection store to files. An export is read in one read transaction, so every row
/// reflects one log position (what `ExportResult.position` names) however long it takes and whatever is written
/// meanwhile; it is written to a file as it is read, so memory stays bounded at any size. Runs synchronously:
/// call it off the cooperative pool.
public struct Exporter: Sendable {
    public let ledger: Ledger
    /// Where export files are written (created when missing).
    public let scratch: URL
    /// Leads (or customers) read from the store per page of the walk.
    static let pageSize = 200

    public init(ledger: Ledger, scratch: URL) {
        self.ledger = ledger
        self.scratch = scratch
    }

    /// Checks the columns and options without reading any row.
    public func validate(_ request: ExportRequest) throws(ExportError) {
        if request.format == .csv, ![",", ";", "\t"].contains(request.delimiter) {
            throw ExportError(field: "delimiter", code: "invalidValue", message: "The delimiter is one of , ; or a tab.")
        }
        switch request.selection {
        case .leads:
            let settings: SettingsState
            do { settings = try ledger.currentSettings() } catch {
                throw ExportError(field: "settings", code: "unavailable", message: "The settings cannot be read: \(error)")
            }
            _ = try ExportColumns.choose(request.columns, from: ExportColumns.leads(settings: settings))
        case .customers: _ = try ExportColumns.choose(request.columns, from: ExportColumns.customers())
        case .deals: _ = try ExportColumns.choose(request.columns, from: ExportColumns.deals())
        }
    }

    public func run(_ request: ExportRequest) throws -> ExportResult {
        try validate(request)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let file = scratch.appendingPathComponent("export-\(UUID().uuidString.lowercased()).\(request.format.fileExtension)")
        do {
            var writer: any TableWriter =
                switch request.format {
                case .csv: try CSVTableWriter(url: file, delimiter: request.delimiter, byteOrderMark: request.byteOrderMark)
                case .xlsx: try XLSXTableWriter(url: file)
                }
            let settings = try ledger.currentSettings()
            let (rows, position) = try ledger.read { view in
                (try Self.write(request, settings: settings, view: view, to: &writer), view.position)
            }
            try writer.finish()
            let bytes = (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
            return ExportResult(file: file, rows: rows, bytes: bytes, position: position, format: request.format, table: request.table)
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }

    private static func write(
        _ request: ExportRequest, settings: SettingsState, view: borrowing ProjectionView, to writer: inout any TableWriter
    ) throws -> Int {
        var rows = 0
        switch request.selection {
        case .leads(var query):
            let columns = try ExportColumns.choose(request.columns, from: ExportColumns.leads(settings: settings))
            try writer.write(header: columns.map(\.name))
            query.visibleTo = request.visibleTo
            query.limit = pageSize
            query.includeTotal = false
            query.after = nil
            let now = request.now
            while true {
                let page = try view.leads(query, now: now)
                for record in page.records {
                    try writer.write(row: columns.map { $0.value(of: record.state) })
                    rows += 1
                }
                guard let next = page.next else { break }
                query.after = next
            }
        case .customers(var query):
            let columns = try ExportColumns.choose(request.columns, from: ExportColumns.customers())
            try writer.write(header: columns.map(\.name))
            query.visibleTo = request.visibleTo
            query.limit = pageSize
            query.after = nil
            while true {
                let page = try view.customers(query)
                for customer in page.items {
                    try writer.write(row: columns.map { $0.value(of: customer) })
                    rows += 1
                }
                guard let next = page.next else { break }
                query.after = next
            }
        case .deals(let filter):
            let columns = try ExportColumns.choose(request.columns, from: ExportColumns.deals())
            try writer.write(header: columns.map(\.name))
            try view.forEachDeal { deal in
                guard filter.accepts(deal) else { return true }
                if let viewer = request.visibleTo, try !view.reaches(deal: deal, admin: viewer) { return true }
                try writer.write(row: columns.map { $0.value(of: deal) })
                rows += 1
                return true
            }
        }
        return rows
    }
}

extension Exporter {
    /// Removes export files older than an hour: what a response that was never sent (the client gone before its
    /// body was written) left behind.
    public func removeStaleFiles(olderThan age: TimeInterval = 3600) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: scratch.path) else { return }
        for name in names where name.hasPrefix("export-") {
            let path = scratch.appendingPathComponent(name).path
            if let modified = try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date,
                Date().timeIntervalSince(modified) > age
            {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}
