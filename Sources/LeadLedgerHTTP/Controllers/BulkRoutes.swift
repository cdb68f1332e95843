import Foundation
import Hummingbird
import HummingbirdCore
import LeadDomain
import LeadLedgerCore
import Synchronization

/// Bulk operations (ABillS "multi-user operations", NCRM mass actions) over explicit lead ids or a lead-list filter:
///
/// - `POST /v1/bulk-operations` `{"ids": [...]} | {"filter": "step=new&tag=vip"}` and `"operation"`: assign, mark
///   step, tag/untag, set fields, add a task, add watchers, pause/resume, delete/restore. The set is read at one
///   log position; each lead's commands are decided on its own state, so a locked, deleted or out-of-reach lead
///   is refused alone. Up to `inlineLimit` leads it runs before answering (200); larger sets answer 202 with the
///   job (`Location`), whose progress `GET /v1/bulk-operations/{id}` reports. An `Idempotency-Key` names the
///   operation: sending it again answers the same one (and finishes one a restart interrupted).
/// - `POST /v1/bulk-operations/{id}/revert`: undoes it on the leads it changed (what changed again since is left).
///
/// Reach: a manager without `leads.read.all` takes only the leads they reach; delete and restore need their
/// permissions. Every event carries the operation's id as correlation id; the job's own `bulk-<id>` stream
/// records it, so its progress and result are in the event feed.
struct BulkRoutes: APIRouteCollection {
    let commands: CommandResponder
    static let inlineLimit = 1_000
    private let jobs = BulkJobs()

    /// The lead-list parameters a filter may hold (`GET /v1/leads` without sort, order, limit, cursor, count).
    static let filterNames: Set<String> = [
        "step", "responsible", "tag", "source", "watcher", "customer", "createdBy", "updatedBy", "status", "paused",
        "deleted", "converted", "createdFrom", "createdTo", "updatedFrom", "updatedTo", "hasDeals", "dealStage",
        "hasTasks", "hasOverdueTasks", "q",
    ]

    func register(on routes: APIRoutes) {
        let ledger = commands.reads.ledger
        let reads = commands.reads
        let jobs = jobs

        routes.post("/v1/bulk-operations") { request, context in
            let principal = try context.principalOrThrow()
            let body = try await request.decode(as: BulkOperationRequest.self, context: context)
            let operation = try body.operation.operation()
            if let permission = operation.permission { _ = try context.require(permission) }
            try Self.checkAdmins(operation, ledger: ledger)
            let selection = try Self.selection(ids: body.ids, filter: body.filter, principal: principal, settings: reads.settings())
            let id: UUID
            if let key = try request.idempotencyKey()?.value {
                id = Ledger.correlationId(actor: principal.adminId, key: "bulk:" + key, request: context.requestFingerprint)
            } else {
                id = UUID.v7()
            }
            if let running = jobs.report(id) { return try Self.answer(running, status: .accepted) }
            let bulk = BulkRequest(id: id, operation: operation, selection: selection, actor: principal.adminId) { principal.canReach($0) }
            // Checked and selected before answering, so a bad filter or an empty set is the caller's error.
            switch try await Self.mapped({ try await ledger.startBulk(bulk) }) {
            case .finished(let report):
                return try Self.answer(report, status: .ok)
            case .ready(let prepared) where prepared.report.leads <= Self.inlineLimit:
                return try Self.answer(try await Self.mapped { try await ledger.continueBulk(prepared) }, status: .ok)
            case .ready(let prepared):
                return try Self.answer(jobs.start(prepared, ledger: ledger), status: .accepted)
            }
        }

        routes.get("/v1/bulk-operations") { request, context in
            let principal = try context.principalOrThrow()
            var reports = jobs.all()
            let known = Set(reports.map(\.id))
            reports += try ledger.bulkOperations(limit: 200).filter { !known.contains($0.id) }
            reports = reports.filter { Self.sees(principal, $0) }.sorted { ($0.startedAt, $0.id.uuidString) > ($1.startedAt, $1.id.uuidString) }
            return try JSONResponse.make(BulkListResource(items: reports.prefix(200).map(BulkResource.init)))
        }

        routes.get("/v1/bulk-operations/{id}") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.parameters.require("id", as: UUID.self)
            guard let report = try jobs.report(id) ?? ledger.bulkOperation(id), Self.sees(principal, report) else {
                throw APIError.notFound("No bulk operation \(id.lowercased).")
            }
            return try Self.answer(report, status: .ok)
        }

        routes.post("/v1/bulk-operations/{id}/revert") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.parameters.require("id", as: UUID.self)
            guard let report = try ledger.bulkOperation(id), Self.sees(principal, report) else {
                throw APIError.notFound("No bulk operation \(id.lowercased).")
            }
            // Undoing a delete restores, undoing a restore deletes: the permission of what the revert does.
            if let permission = report.operation.revertPermission { _ = try context.require(permission) }
            guard jobs.report(id) == nil else {
                throw APIError(.conflict, code: "running", detail: "The bulk operation is still running.")
            }
            let reverted = try await Self.mapped { try await ledger.revertBulk(id, actor: principal.adminId) }
            return try Self.answer(reverted, status: .ok)
        }
    }

    /// `BulkError` as a 422 naming its field (`notFound` as a 404).
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as BulkError {
            if error.code == "notFound" { throw APIError.notFound(error.message) }
            if error.code == "notCompleted" { throw APIError(.conflict, code: error.code, detail: error.message) }
            throw APIError.invalid(field: error.field, code: error.code, message: error.message)
        }
    }

    static func sees(_ principal: Principal, _ report: BulkReport) -> Bool {
        !principal.seesOnlyOwnLeads || report.author == principal.adminId
    }

    static func answer(_ report: BulkReport, status: HTTPResponse.Status) throws -> Response {
        var response = try JSONResponse.make(BulkResource(report), status: status, logPosition: report.position)
        response.headers[.location] = "/v1/bulk-operations/" + report.id.lowercased
        return response
    }

    /// The admins the operation names must exist and be enabled: otherwise every lead would refuse it.
    static func checkAdmins(_ operation: BulkOperation, ledger: Ledger) throws {
        var named: [(String, UUID)] = []
        if let admin = operation.responsible { named.append(("operation.responsible", admin)) }
        if let admin = operation.taskResponsible { named.append(("operation.task.responsible", admin)) }
        for (index, admin) in (operation.watchers ?? []).enumerated() { named.append(("operation.watchers[\(index)]", admin)) }
        for (field, id) in named {
            guard let admin = try ledger.read({ try $0.admin(id) }), !admin.disabled else {
                throw APIError.invalid(field: field, code: "unknownAdmin", message: "No enabled admin \(id.lowercased).")
            }
        }
    }

    /// Exactly one of `ids` (at most `Ledger.maxBulkIds`) and `filter` (the lead list's parameters as a query string).
    static func selection(ids: [UUID]?, filter: String?, principal: Principal, settings: @autoclosure () throws -> SettingsState)
        throws -> BulkSelection
    {
        switch (ids, filter) {
        case (let ids?, nil):
            guard !ids.isEmpty else { throw APIError.invalid(field: "ids", code: "emptySelection", message: "Give at least one lead id.") }
            guard ids.count <= Ledger.maxBulkIds else {
                throw APIError.invalid(
                    field: "ids", code: "tooMany", message: "At most \(Ledger.maxBulkIds) ids; select larger sets with a filter.")
            }
            return .ids(ids)
        case (nil, let filter?):
            guard filter.utf8.count <= 4_096 else {
                throw APIError.invalid(field: "filter", code: "tooLong", message: "filter must be at most 4096 bytes")
            }
            let parameters = URI("/?" + filter).queryParameters
            for (name, _) in parameters where !filterNames.contains(String(name)) && !name.hasPrefix("cf.") {
                throw APIError.badRequest(field: "filter", code: "unknownParameter", message: "filter: \(name) is not a lead list filter")
            }
            var query = try LeadListRoutes.query(parameters, settings: settings())
            query.visibleTo = principal.narrowedTo
            return .query(query, text: filter)
        default:
            throw APIError.invalid(field: "ids", code: "invalidValue", message: "Send exactly one of ids and filter.")
        }
    }
}

/// Bulk operations running in this process, with their progress; finished ones are read from their streams.
final class BulkJobs: Sendable {
    private let running = Mutex<[UUID: BulkReport]>([:])

    func report(_ id: UUID) -> BulkReport? { running.withLock { $0[id] } }
    func all() -> [BulkReport] { running.withLock { Array($0.values) } }

    /// Goes through the started operation's leads in the background and answers its first report.
    func start(_ prepared: PreparedBulk, ledger: Ledger) -> BulkReport {
        let id = prepared.request.id
        running.withLock { $0[id] = prepared.report }
        Task {
            do {
                _ = try await ledger.continueBulk(prepared) { report in self.running.withLock { $0[id] = report } }
            } catch {
                ledger.configuration.logger.error("bulk operation failed", metadata: ["id": "\(id)", "error": "\(error)"])
            }
            // Its stream has the outcome (or, after a failure, the part that ran: send it again to finish it).
            _ = self.running.withLock { $0.removeValue(forKey: id) }
        }
        return prepared.report
    }
}

/// `POST /v1/bulk-operations`.
struct BulkOperationRequest: Decodable, Sendable {
    var ids: [UUID]?
    var filter: String?
    var operation: BulkOperationBody
}

/// The operation as the API takes it: times in ISO 8601, fields as an object, the task as one.
struct BulkOperationBody: Decodable, Sendable {
    var kind: BulkOperationKind
    var responsible: UUID?
    var step: String?
    var tags: [String]?
    var fields: [String: String]?
    var task: BulkTaskBody?
    var watchers: [UUID]?
    var until: String?
    var withDeals: Bool?
    var reason: String?

    struct BulkTaskBody: Decodable, Sendable {
        var taskType: String
        var description: String
        var due: String?
        var responsible: UUID?
    }

    func operation() throws -> BulkOperation {
        BulkOperation(
            kind: kind, responsible: responsible, step: step, tags: tags,
            fields: fields.map { $0.sorted { $0.key < $1.key }.map { BulkFieldValue(field: $0.key, value: $0.value) } },
            taskType: task?.taskType, taskDescription: task?.description,
            taskDue: try task?.due.map { try ISOTime.parse($0, field: "operation.task.due", dateOnly: .endOfDay) },
            taskResponsible: task?.responsible, watchers: watchers,
            until: try until.map { try ISOTime.parse($0, field: "operation.until", dateOnly: .startOfDay) }, withDeals: withDeals,
            reason: reason)
    }
}

struct BulkResource: Encodable, Sendable {
    struct Refusal: Encodable, Sendable {
        var leadId: String
        var code: String
        var message: String
    }

    struct Revert: Encodable, Sendable {
        var reverted: Int64
        var conflicts: Int64
        var at: String
        var by: String
    }

    var id: String
    var state: String
    var kind: String
    var filter: String?
    var leads: Int
    var done: Int
    var applied: Int
    var unchanged: Int
    var refused: Int
    var refusals: [Refusal]
    var revert: Revert?
    var startedAt: String
    var completedAt: String?
    var author: String

    init(_ report: BulkReport) {
        id = report.id.lowercased
        state = report.state.rawValue
        kind = report.operation.kind.rawValue
        filter = report.filter
        leads = report.leads
        done = report.done
        applied = report.applied
        unchanged = report.unchanged
        refused = report.refused
        refusals = report.refusals.map { Refusal(leadId: $0.leadId.lowercased, code: $0.code, message: $0.message) }
        revert = report.revert.map { Revert(reverted: $0.reverted, conflicts: $0.conflicts, at: ISOTime.string($0.at), by: $0.by.lowercased) }
        startedAt = ISOTime.string(report.startedAt)
        completedAt = ISOTime.string(report.completedAt)
        author = report.author.lowercased
    }
}

struct BulkListResource: Encodable, Sendable {
    var items: [BulkResource]
}
