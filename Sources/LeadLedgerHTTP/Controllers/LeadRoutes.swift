import EventLog
import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// The lead commands (`POST /v1/leads`, `PATCH /v1/leads/{id}`, `/step`, `/notes`, …) and the single-lead
/// queries (`GET /v1/leads/{id}` with `asOf`, `/history`).
struct LeadRoutes: APIRouteCollection {
    let commands: CommandResponder
    var reads: LedgerReads { commands.reads }

    static func notFound(_ id: UUID) -> DomainError {
        DomainError(.leadNotFound, "No lead \(id.lowercased).")
    }

    func register(on routes: APIRoutes) {
        let commands = commands
        routes.post("/v1/leads") { request, context in
            let body = try await request.decode(as: CreateLeadRequest.self, context: context)
            let principal = try context.principalOrThrow()
            let id = try request.idempotencyKey()?.newResourceId(actor: principal.adminId) ?? UUID.v7()
            return try await commands.lead(request, context, id: id, status: .created) { input in
                var lead = body.input
                // A manager's new lead is theirs unless they name someone, so they can see what they created.
                if lead.responsible == nil, input.principal.seesOnlyOwnLeads { lead.responsible = input.principal.adminId }
                return .create(leadId: id, lead)
            }
        }
        routes.patch("/v1/leads/{id}") { request, context in
            let patch = try await request.decode(as: LeadPatch.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .update(patch) }
        }
        routes.delete("/v1/leads/{id}") { request, context in
            let reader = QueryReader(request.uri.queryParameters)
            let reason = reader.text("reason")
            let withDeals = try reader.bool("withDeals") ?? false
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in
                .delete(reason: reason, withDeals: withDeals)
            }
        }
        routes.post("/v1/leads/{id}/restore") { request, context in
            let withDeals = try QueryReader(request.uri.queryParameters).bool("withDeals") ?? false
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .restore(withDeals: withDeals) }
        }
        routes.post("/v1/leads/{id}/step") { request, context in
            let body = try await request.decode(as: MarkStepRequest.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .markStep(body.step) }
        }
        routes.post("/v1/leads/{id}/notes") { request, context in
            let body = try await request.decode(as: AddNoteRequest.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id"), status: .created) { input in
                .addEntry(EntryInput(entryId: input.newId(), text: body.text, step: body.step, format: body.format ?? .plain))
            }
        }
        routes.post("/v1/leads/{id}/actions") { request, context in
            let body = try await request.decode(as: LogActionRequest.self, context: context)
            let plannedAt = try ISOTime.parse(body.plannedAt, field: "plannedAt", dateOnly: .startOfDay)
            return try await commands.lead(request, context, id: context.uuidParameter("id"), status: .created) { input in
                .addEntry(
                    EntryInput(
                        entryId: input.newId(), text: body.text, actionType: body.actionType, admin: body.admin,
                        plannedAt: plannedAt, step: body.step))
            }
        }
        routes.post("/v1/leads/{id}/actions/{actionId}/pin") { request, context in
            let actionId = try context.uuidParameter("actionId")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .pinAction(actionId) }
        }
        routes.delete("/v1/leads/{id}/actions/{actionId}/pin") { request, context in
            let actionId = try context.uuidParameter("actionId")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .unpinAction(actionId) }
        }
        routes.post("/v1/leads/{id}/actions/{actionId}/complete") { request, context in
            let actionId = try context.uuidParameter("actionId")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .completeAction(actionId) }
        }
        TaskRoutes.register(on: routes, base: "/v1/leads/{id}") { request, context, status, makeCommand in
            try await commands.lead(request, context, id: context.uuidParameter("id"), status: status) {
                .task(try makeCommand($0))
            }
        }
        routes.put("/v1/leads/{id}/watchers/{adminId}") { request, context in
            let adminId = try context.uuidParameter("adminId")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .addWatcher(adminId) }
        }
        routes.delete("/v1/leads/{id}/watchers/{adminId}") { request, context in
            let adminId = try context.uuidParameter("adminId")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .removeWatcher(adminId) }
        }
        routes.put("/v1/leads/{id}/tags/{tag}") { request, context in
            let tag = try context.textParameter("tag")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .tag(tag) }
        }
        routes.delete("/v1/leads/{id}/tags/{tag}") { request, context in
            let tag = try context.textParameter("tag")
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .untag(tag) }
        }
        routes.post("/v1/leads/{id}/assign") { request, context in
            let body = try await request.decode(as: AssignRequest.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .assign(body.responsible) }
        }
        routes.post("/v1/leads/{id}/pause") { request, context in
            let body = try await request.decode(as: PauseRequest.self, context: context)
            let until = try ISOTime.parse(body.until, field: "until", dateOnly: .startOfDay)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .pause(until: until) }
        }
        routes.post("/v1/leads/{id}/resume") { request, context in
            try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .resume }
        }
        routes.post("/v1/leads/{id}/merge") { request, context in
            let body = try await request.decode(as: MergeRequest.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .merge(sources: body.sourceIds) }
        }
        routes.post("/v1/leads/{id}/copy-from") { request, context in
            let body = try await request.decode(as: CopyFromRequest.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in
                .copyData(from: body.sourceId, fields: body.fields)
            }
        }
        routes.post("/v1/leads/{id}/convert") { request, context in
            try await commands.lead(request, context, id: context.uuidParameter("id")) { input in
                .convert(customerId: input.newId())
            }
        }
        routes.post("/v1/leads/{id}/link-customer") { request, context in
            let body = try await request.decode(as: LinkCustomerRequest.self, context: context)
            return try await commands.lead(request, context, id: context.uuidParameter("id")) { _ in .linkCustomer(body.customerId) }
        }

        // MARK: queries of one lead

        let reads = reads
        routes.get("/v1/leads/{id}") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            let asOf = try Self.asOf(request)
            // Reach is decided on the lead as it is now, whatever moment is asked for.
            let current = try reads.lead(id)
            guard let current, principal.canReach(current.state) else { throw Self.notFound(id) }
            let found = try asOf.map { try reads.lead(id, asOf: $0) } ?? current
            guard let found else { throw Self.notFound(id) }
            let position = found.position
            return try await request.conditionalGET(etag: .streamVersion(found.streamVersion), context: context) {
                var response = JSONResponse.make(LeadResource(found.state, now: reads.now))
                response.headers[.logPosition] = String(position)
                return response
            }
        }
        routes.get("/v1/leads/{id}/history") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            let asOf = try Self.asOf(request)
            guard let current = try reads.lead(id), principal.canReach(current.state) else { throw Self.notFound(id) }
            let entries = try reads.history(of: id, asOf: asOf)
            let position = entries.last?.position ?? 0
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                var response = try JSONResponse.make(PageResource(items: entries.map(HistoryResource.init), nextCursor: nil))
                response.headers[.logPosition] = String(reads.appliedPosition)
                return response
            }
        }
    }

    /// The `asOf` query parameter: a log position or an ISO-8601 time; a 400 naming it otherwise.
    static func asOf(_ request: Request) throws -> AsOf? {
        guard let raw = request.uri.queryParameters["asOf"] else { return nil }
        guard let asOf = AsOf(parsing: String(raw)) else {
            if Timestamp.hasYearOutsideAcceptedRange(String(raw)) {
                throw APIError.badRequest(
                    field: "asOf", code: "outOfRange", message: "asOf must lie between 0001-01-01 and 9999-12-31.")
            }
            throw APIError.badRequest(field: "asOf", code: "invalidAsOf", message: "asOf must be a log position or an ISO-8601 time.")
        }
        return asOf
    }
}
