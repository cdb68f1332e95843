import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore
import LeadLedgerExport
import NIOPosix
import Synchronization

/// Exports (need `leads.export`; a manager exports only what they reach):
///
/// - `GET /v1/exports/leads`: the leads `GET /v1/leads` answers for the same filters, search, sort and order.
/// - `GET /v1/exports/customers`: the customer directory (`q`, `kind`, `company`, `deleted`).
/// - `GET /v1/exports/deals`: deals by `stage`, `outcome`, `responsible`, `lead`, `customer`, `deleted`.
///
/// `format` is `csv` (the default) or `xlsx`; `columns` names the columns in order (default: all); CSV takes a
/// `delimiter` (`,` `;` `tab`) and `bom`. The export is read in one read transaction, on a thread of the I/O pool,
/// into a file under `<data>/exports`, then sent (with its length) and removed: every row reflects the log
/// position in `X-Log-Position` (the row count in `X-Export-Rows`), and memory stays bounded at any size.
struct ExportRoutes: APIRouteCollection {
    let reads: LedgerReads
    /// Exports running at once; more are refused with 503 and Retry-After rather than queued.
    static let maxConcurrent = 2
    private let running = Running()

    func register(on routes: APIRoutes) {
        let reads = reads
        let running = running
        let exporter = Exporter(
            ledger: reads.ledger, scratch: URL(fileURLWithPath: reads.ledger.configuration.dataDirectory + "/exports"))
        exporter.removeStaleFiles()

        @Sendable func handle(_ request: Request, _ context: APIRequestContext, _ selection: () throws -> ExportRequest.Selection)
            async throws -> Response
        {
            let principal = try context.require(.leadsExport)
            let query = QueryReader(request.uri.queryParameters)
            let export = ExportRequest(
                selection: try selection(), format: try query.choice("format", of: ExportFormat.self) ?? .csv,
                columns: try Self.columns(query), delimiter: try Self.delimiter(query),
                byteOrderMark: try query.bool("bom") ?? false, visibleTo: principal.narrowedTo, now: reads.now)
            if export.format == .xlsx, query.text("delimiter") != nil || query.text("bom") != nil {
                throw APIError.invalid(field: "format", code: "csvOnly", message: "delimiter and bom apply to CSV only.")
            }
            try exporter.validate(export)
            guard running.enter() else {
                var error = APIError(
                    .unavailable, code: "busy", detail: "\(Self.maxConcurrent) exports are running; retry in a few seconds.")
                error.headers[.retryAfter] = "5"
                throw error
            }
            let result: ExportResult
            do {
                let request = export
                result = try await NIOThreadPool.singleton.runIfActive { try exporter.run(request) }
                running.leave()
            } catch {
                running.leave()
                throw error
            }
            let inner = try await FileIO().loadFile(path: result.file.path, context: context)
            let file = result.file
            let body = ResponseBody(contentLength: Int(result.bytes)) { writer in
                defer { try? FileManager.default.removeItem(at: file) }
                try await inner.write(writer)
            }
            var response = Response(status: .ok, body: body)
            response.headers[.contentType] = result.format.contentType
            response.headers[.contentDisposition] =
                "attachment; filename=\"\(result.table.rawValue)-\(result.position).\(result.format.fileExtension)\""
            response.headers[.logPosition] = String(result.position)
            response.headers[.exportRows] = String(result.rows)
            return response
        }

        routes.get("/v1/exports/leads") { request, context in
            try await handle(request, context) {
                var query = try LeadListRoutes.query(request.uri.queryParameters, settings: reads.settings())
                if QueryReader(request.uri.queryParameters).text("sort") == nil {
                    query.sort = .created  // a stable order: creation times do not change while the file is read
                    query.order = try QueryReader(request.uri.queryParameters).choice("order", of: PageOrder.self) ?? .ascending
                }
                return .leads(query)
            }
        }
        routes.get("/v1/exports/customers") { request, context in
            try await handle(request, context) {
                let reader = QueryReader(request.uri.queryParameters)
                var query = CustomerQuery()
                query.q = reader.text("q").flatMap { $0.isEmpty ? nil : $0 }
                query.kind = try reader.choice("kind", of: CustomerKind.self)
                query.company = try reader.uuid("company")
                query.deleted = try reader.bool("deleted") ?? false
                return .customers(query)
            }
        }
        routes.get("/v1/exports/deals") { request, context in
            try await handle(request, context) {
                let reader = QueryReader(request.uri.queryParameters)
                var filter = DealExportFilter()
                filter.stage = try reader.texts("stage").map { Set($0.values) }
                if let stages = filter.stage {
                    let known = Set(try reads.settings().dealStages.map(\.key))
                    for stage in stages.sorted() where !known.contains(stage) {
                        throw APIError.invalid(field: "stage", code: "unknownDealStage", message: "No deal stage \(stage).")
                    }
                }
                filter.outcome = try reader.list("outcome", of: DealStageKind.self).map(Set.init)
                filter.responsible = try reader.uuids("responsible").map { Set($0.values) }
                filter.lead = try reader.uuid("lead")
                filter.customer = try reader.uuid("customer")
                filter.deleted = try reader.bool("deleted") ?? false
                return .deals(filter)
            }
        }
    }

    static func columns(_ query: QueryReader) throws -> [String]? {
        guard let raw = query.text("columns") else { return nil }
        let names = raw.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !names.contains(where: \.isEmpty) else {
            throw APIError.badRequest(field: "columns", code: "emptyValue", message: "columns has an empty name.")
        }
        guard names.count <= maxExportColumns else {
            throw APIError.invalid(field: "columns", code: "tooManyValues", message: "At most \(maxExportColumns) columns.")
        }
        return names
    }

    static func delimiter(_ query: QueryReader) throws -> Character {
        switch query.text("delimiter") {
        case nil, ",": return ","
        case ";": return ";"
        case "tab", "\t": return "\t"
        default: throw APIError.invalid(field: "delimiter", code: "invalidValue", message: "delimiter is , ; or tab.")
        }
    }

    /// How many exports run now.
    final class Running: Sendable {
        private let count = Mutex(0)

        func enter() -> Bool {
            count.withLock { count in
                guard count < ExportRoutes.maxConcurrent else { return false }
                count += 1
                return true
            }
        }

        func leave() { count.withLock { $0 -= 1 } }
    }
}
