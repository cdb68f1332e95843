import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// Deals: `POST /v1/deals`, `GET|PATCH|DELETE /v1/deals/{id}`, `/stage`, `/win`, `/lose`, `/reopen`,
/// `/restore`, the deal's tasks (`TaskRoutes`), and a lead's and a customer's deals (`GET /v1/leads/{id}/deals`, `/v1/customers/{id}/deals`). A manager without `leads.read.all` reaches the
/// deals they are responsible for and those of the leads they reach.
struct DealRoutes: APIRouteCollection {
    let commands: CommandResponder

    static func notFound(_ id: UUID) -> DomainError { DomainError(.dealNotFound, "No deal \(id.lowercased).") }

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads
        routes.post("/v1/deals") { request, context in
            let body = try await request.decode(as: CreateDealRequest.self, context: context)
            let principal = try context.principalOrThrow()
            let id = try request.idempotencyKey()?.newResourceId(actor: principal.adminId) ?? UUID.v7()
            let close = try ISOTime.parse(body.expectedCloseAt, field: "expectedCloseAt", dateOnly: .endOfDay)
            return try await commands.deal(request, context, id: id, status: .created) { _ in
                .create(
                    dealId: id,
                    DealInput(
                        name: body.name, amount: body.amount, currency: body.currency, stage: body.stage,
                        probability: body.probability, expectedCloseAt: close, responsible: body.responsible,
                        leadId: body.leadId, customerId: body.customerId))
            }
        }
        routes.get("/v1/deals/{id}") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            guard let found = try reads.deal(id), try commands.canReach(found.state, principal) else { throw Self.notFound(id) }
            let settings = try reads.settings()
            return try await request.conditionalGET(etag: .streamVersion(found.state.version), context: context) {
                try JSONResponse.make(DealResource(found.state, settings: settings), logPosition: found.position)
            }
        }
        routes.patch("/v1/deals/{id}") { request, context in
            let body = try await request.decode(as: DealPatchRequest.self, context: context)
            var close: Timestamp??
            if let text = body.expectedCloseAt {
                close = .some(try text.map { try ISOTime.parse($0, field: "expectedCloseAt", dateOnly: .endOfDay) })
            }
            let patch = DealPatch(
                name: body.name, amount: body.amount, currency: body.currency, probability: body.probability,
                expectedCloseAt: close, responsible: body.responsible, leadId: body.leadId, customerId: body.customerId)
            return try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in .update(patch) }
        }
        routes.delete("/v1/deals/{id}") { request, context in
            let reason = request.uri.queryParameters["reason"].map(String.init)
            return try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in .delete(reason: reason) }
        }
        routes.post("/v1/deals/{id}/restore") { request, context in
            try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in .restore }
        }
        routes.post("/v1/deals/{id}/stage") { request, context in
            let body = try await request.decode(as: DealStageRequest.self, context: context)
            return try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in .moveStage(body.stage) }
        }
        routes.post("/v1/deals/{id}/win") { request, context in
            let body = try await request.decode(as: DealOutcomeRequest.self, context: context)
            return try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in .win(stage: body.stage) }
        }
        routes.post("/v1/deals/{id}/lose") { request, context in
            let body = try await request.decode(as: DealOutcomeRequest.self, context: context)
            return try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in
                .lose(stage: body.stage, reason: body.reason)
            }
        }
        routes.post("/v1/deals/{id}/reopen") { request, context in
            let body = try await request.decode(as: DealOutcomeRequest.self, context: context)
            return try await commands.deal(request, context, id: context.uuidParameter("id")) { _ in .reopen(stage: body.stage) }
        }
        TaskRoutes.register(on: routes, base: "/v1/deals/{id}") { request, context, status, makeCommand in
            try await commands.deal(request, context, id: context.uuidParameter("id"), status: status) {
                .task(try makeCommand($0))
            }
        }
        routes.get("/v1/customers/{id}/deals") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            let (exists, deals, position) = try reads.deals(ofCustomer: id)
            guard exists else { throw CustomerRoutes.notFound(id) }
            let settings = try reads.settings()
            let visible = try deals.filter { try commands.canReach($0, principal) }
            // A customer out of reach does not exist for the caller, unless one of its deals is theirs.
            if visible.isEmpty, try !reads.canReach(customer: id, principal) { throw CustomerRoutes.notFound(id) }
            return try JSONResponse.make(
                DealListResource(items: visible.map { DealResource($0, settings: settings) }), logPosition: position)
        }
        routes.get("/v1/leads/{id}/deals") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            guard let lead = try reads.lead(id), principal.canReach(lead.state) else { throw LeadRoutes.notFound(id) }
            let (deals, position) = try reads.deals(ofLead: id)
            let settings = try reads.settings()
            return try JSONResponse.make(
                DealListResource(items: deals.map { DealResource($0, settings: settings) }), logPosition: position)
        }
    }
}
