import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// Views over the projections: the kanban board, an admin's watched leads and actions for today, duplicate
/// groups, and a customer's leads. Every view answers with `X-Log-Position` and a `"p<position>"` ETag.
struct ViewRoutes: APIRouteCollection {
    let reads: LedgerReads

    func register(on routes: APIRoutes) {
        let reads = reads
        routes.get("/v1/kanban") { request, context in
            let principal = try context.principalOrThrow()
            let parameters = request.uri.queryParameters
            let list = try LeadListRoutes.query(parameters, settings: reads.settings())
            let reader = QueryReader(parameters)
            let pageSize = try PageLimit.parse(query: reader.text("limit") ?? "20").value
            var query = KanbanQuery(filter: list.filter, q: list.q, sort: list.sort, order: list.order, pageSize: pageSize)
            if let step = reader.text("step") {
                // With `step`, one column (the "load more" of that column), continued from `cursor`.
                query.steps = [step]
                query.filter.step = nil
                let scope = "kanban:\(step):\(list.sort.rawValue)-\(list.order.rawValue)"
                if let cursor = try PageCursor<LeadCursor>.decode(query: reader.text("cursor"), scope: scope) {
                    query.cursors[step] = cursor.key
                }
            } else if reader.text("cursor") != nil {
                throw APIError.badRequest(field: "cursor", code: "cursorNeedsStep", message: "cursor pages one column: give its step.")
            }
            query.visibleTo = principal.narrowedTo
            let now = reads.now
            let (board, position) = try reads.ledger.read { (try $0.kanban(query, now: now), $0.position) }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                let columns = board.columns.map { column in
                    let scope = "kanban:\(column.step.key):\(list.sort.rawValue)-\(list.order.rawValue)"
                    return KanbanResource.Column(
                        step: column.step.key, name: column.step.name, colour: column.step.colour, count: column.count,
                        items: column.page.records.map { LeadSummaryResource($0, now: now) },
                        nextCursor: column.page.next.map { PageCursor(scope: scope, key: $0, id: $0.key.id.uuid).encoded() })
                }
                return JSONResponse.make(KanbanResource(columns: columns), logPosition: position)
            }
        }
        routes.get("/v1/admins/{id}/watched") { request, context in
            let adminId = try Self.selfOrReader(context)
            let parameters = request.uri.queryParameters
            var query = try LeadListRoutes.query(parameters, settings: reads.settings())
            let scope = "watched:" + LeadListRoutes.cursorScope(query)
            query.after = try PageCursor<LeadCursor>.decode(query: QueryReader(parameters).text("cursor"), scope: scope)?.key
            let now = reads.now
            let (page, position) = try reads.ledger.read { (try $0.watchedLeads(by: adminId, query, now: now), $0.position) }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                let resource = PageResource(
                    items: page.records.map { LeadSummaryResource($0, now: now) },
                    nextCursor: page.next.map { PageCursor(scope: scope, key: $0, id: $0.key.id.uuid).encoded() },
                    total: page.total)
                return JSONResponse.make(resource, logPosition: position)
            }
        }
        routes.get("/v1/admins/{id}/actions/today") { request, context in
            let adminId = try Self.selfOrReader(context)
            let reader = QueryReader(request.uri.queryParameters)
            let offset = try Self.utcOffset(reader)
            let now = try reader.time("now", dateOnly: .startOfDay) ?? reads.now
            let visibleTo = try context.principalOrThrow().narrowedTo
            let (today, position) = try reads.ledger.read {
                (try $0.actionsForToday(admin: adminId, now: now, utcOffsetSeconds: offset, visibleTo: visibleTo), $0.position)
            }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                try JSONResponse.make(TodayActionsResource(today), logPosition: position)
            }
        }
        routes.get("/v1/tasks") { request, context in
            let principal = try context.principalOrThrow()
            let reader = QueryReader(request.uri.queryParameters)
            let now = try reader.time("now", dateOnly: .startOfDay) ?? reads.now
            var query = try Self.taskQuery(reader, principal: principal, now: now)
            let scope = "tasks:\(query.owner?.lowercased ?? "all"):\(query.closed ? "closed" : "open")"
            query.after = try PageCursor<TaskCursor>.decode(query: reader.text("cursor"), scope: scope)?.key
            let (page, position) = try reads.ledger.read { (try $0.tasks(query, now: now), $0.position) }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                let resource = PageResource(
                    items: page.items.map(TaskItemResource.init),
                    nextCursor: page.next.map { PageCursor(scope: scope, key: $0, id: $0.taskId).encoded() })
                return try JSONResponse.make(resource, logPosition: position)
            }
        }
        routes.get("/v1/duplicates") { request, context in
            try context.require(.leadsReadAll)
            let reader = QueryReader(request.uri.queryParameters)
            let limit = try PageLimit.parse(query: reader.text("limit")).value
            let after = try PageCursor<DuplicateGroupCursor>.decode(query: reader.text("cursor"), scope: "duplicates")?.key
            let (page, position) = try reads.ledger.read { (try $0.duplicateGroups(after: after, limit: limit), $0.position) }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                let resource = PageResource(
                    items: page.groups.map {
                        DuplicateGroupResource(kind: $0.key.kind.rawValue, value: $0.key.value, leadIds: $0.leadIds.lowercased)
                    },
                    nextCursor: page.next.map { PageCursor(scope: "duplicates", key: $0, id: $0.key.value).encoded() },
                    total: page.total)
                return try JSONResponse.make(resource, logPosition: position)
            }
        }
        routes.get("/v1/customers/{id}/leads") { request, context in
            try await Self.customerLeads(request, context, reads) { try $0.linkedLeads(ofCustomer: $1) }
        }
        routes.get("/v1/customers/{id}/matching-leads") { request, context in
            try await Self.customerLeads(request, context, reads) { try $0.leadsMatchingByEmail(customer: $1) }
        }
    }

    /// The `{id}` admin when it is the caller, or when the caller may read every lead.
    static func selfOrReader(_ context: APIRequestContext) throws -> UUID {
        let principal = try context.principalOrThrow()
        let id = try context.uuidParameter("id")
        guard id == principal.adminId || principal.has(.leadsReadAll) else {
            throw APIError.forbidden(missing: .leadsReadAll)
        }
        return id
    }

    /// The query of `GET /v1/tasks`: `owner` (or `mine=true`), `status` (open, closed), `due` (overdue, today —
    /// in `utcOffset`), `dueFrom`/`dueTo`, `taskType` (several), `limit`. A manager sees tasks on leads they reach.
    static func taskQuery(_ reader: QueryReader, principal: Principal, now: Timestamp) throws -> TaskQuery {
        var query = TaskQuery(visibleTo: principal.narrowedTo)
        query.owner = try reader.uuid("owner")
        if try reader.bool("mine") == true {
            if let owner = query.owner, owner != principal.adminId {
                throw APIError.invalid(field: "mine", code: "conflictingFilters", message: "mine=true names the caller; owner names someone else.")
            }
            query.owner = principal.adminId
        }
        switch try reader.choice("status", of: TaskStatusFilter.self) ?? .open {
        case .open: query.closed = false
        case .closed: query.closed = true
        }
        query.dueFrom = try reader.time("dueFrom", dateOnly: .startOfDay)
        query.dueTo = try reader.time("dueTo", dateOnly: .endOfDay)
        if let due = try reader.choice("due", of: TaskDueFilter.self) {
            guard query.dueFrom == nil, query.dueTo == nil else {
                throw APIError.invalid(field: "due", code: "conflictingFilters", message: "due=\(due.rawValue) sets the range; leave out dueFrom and dueTo.")
            }
            switch due {
            case .overdue:
                query.closed = false
                query.dueTo = now
            case .today:
                let day = LocalDay(of: now, utcOffsetSeconds: try utcOffset(reader))
                query.dueFrom = day.start
                query.dueTo = day.end
            }
        }
        if let from = query.dueFrom, let to = query.dueTo, from > to {
            throw APIError.invalid(field: "dueTo", code: "invalidRange", message: "dueTo is before dueFrom.")
        }
        query.taskType = try reader.texts("taskType")
        query.on = switch try reader.choice("on", of: TaskOnFilter.self) {
        case .lead: .lead
        case .deal: .deal
        case nil: nil
        }
        query.limit = try PageLimit.parse(query: reader.text("limit")).value
        return query
    }

    enum TaskStatusFilter: String, CaseIterable { case open, closed }
    enum TaskDueFilter: String, CaseIterable { case overdue, today }
    enum TaskOnFilter: String, CaseIterable { case lead, deal }

    /// `utcOffset` in minutes east of UTC (-840…840), for where "today" is.
    static func utcOffset(_ reader: QueryReader) throws -> Int64 {
        guard let raw = reader.text("utcOffset") else { return 0 }
        guard let minutes = Int64(raw) else {
            throw APIError.badRequest(field: "utcOffset", code: "notAnInteger", message: "utcOffset must be minutes.")
        }
        guard (-840...840).contains(minutes) else {
            throw APIError.invalid(field: "utcOffset", code: "outOfRange", message: "utcOffset must be within ±840 minutes.")
        }
        return minutes * 60
    }

    static func customerLeads(
        _ request: Request, _ context: APIRequestContext, _ reads: LedgerReads,
        _ select: @escaping @Sendable (borrowing ProjectionView, UUID) throws -> [LeadRecord]
    ) async throws -> Response {
        let principal = try context.principalOrThrow()
        let id = try context.uuidParameter("id")
        let now = reads.now
        let (customer, records, position) = try reads.ledger.read { view in
            (try view.customer(id), try select(view, id), view.position)
        }
        // A customer out of the caller's reach does not exist for them (404), as in `GET /v1/customers/{id}`.
        guard customer != nil, try reads.canReach(customer: id, principal) else { throw CustomerRoutes.notFound(id) }
        let visible = records.filter { principal.canReach($0.state) }
        return try await request.conditionalGET(etag: .logPosition(position), context: context) {
            JSONResponse.make(
                PageResource(items: visible.map { LeadSummaryResource($0, now: now) }, nextCursor: nil), logPosition: position)
        }
    }
}
