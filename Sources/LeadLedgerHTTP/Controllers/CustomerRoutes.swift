import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// The customer directory: `POST|GET /v1/customers`, `GET|PATCH|DELETE /v1/customers/{id}`, `/restore`,
/// `/company`, and the e-mail check of selected leads (`POST /v1/customer-matches`). A manager without
/// `leads.read.all` reaches the customers linked to the leads they reach and those they registered.
struct CustomerRoutes: APIRouteCollection {
    let commands: CommandResponder

    static func notFound(_ id: UUID) -> DomainError { DomainError(.customerNotFound, "No customer \(id.lowercased).") }

    /// Most lead ids one e-mail check takes.
    static let maxEmailCheckLeads = 500

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads
        routes.post("/v1/customers") { request, context in
            let body = try await request.decode(as: CreateCustomerRequest.self, context: context)
            let principal = try context.principalOrThrow()
            let id = try request.idempotencyKey()?.newResourceId(actor: principal.adminId) ?? UUID.v7()
            return try await commands.customer(request, context, id: id, status: .created) { _ in
                .register(
                    CustomerInput(
                        customerId: id, kind: body.kind ?? .person, fullName: body.fullName, company: body.company,
                        companyId: body.companyId, phones: body.phones ?? [], emails: body.emails ?? [], address: body.address))
            }
        }
        routes.get("/v1/customers") { request, context in
            let principal = try context.principalOrThrow()
            let reader = QueryReader(request.uri.queryParameters)
            var query = CustomerQuery(visibleTo: principal.narrowedTo)
            query.q = reader.text("q").flatMap { $0.isEmpty ? nil : $0 }
            query.kind = try reader.choice("kind", of: CustomerKind.self)
            query.company = try reader.uuid("company")
            query.deleted = try reader.bool("deleted") ?? false
            query.limit = try PageLimit.parse(query: reader.text("limit")).value
            let scope = "customers:\(query.deleted ? "deleted" : "live")"
            query.after = try PageCursor<CustomerCursor>.decode(query: reader.text("cursor"), scope: scope)?.key
            let (page, position) = try reads.ledger.read { view in (try view.customers(query), view.position) }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                let resource = PageResource(
                    items: page.items.map(CustomerResource.init),
                    nextCursor: page.next.map { PageCursor(scope: scope, key: $0, id: $0.id).encoded() })
                return try JSONResponse.make(resource, logPosition: position)
            }
        }
        routes.get("/v1/customers/{id}") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            let found = try reads.ledger.read { view in try view.customer(id).map { ($0, view.position) } }
            guard let (customer, position) = found, try commands.canReach(customer: id, principal) else { throw Self.notFound(id) }
            return try await request.conditionalGET(etag: .streamVersion(customer.version), context: context) {
                try JSONResponse.make(CustomerResource(customer), logPosition: position)
            }
        }
        routes.patch("/v1/customers/{id}") { request, context in
            let body = try await request.decode(as: CustomerPatchRequest.self, context: context)
            // `address: null` clears it: an empty address is the domain's "clear".
            let address = body.address.map { $0 ?? Address() }
            return try await commands.customer(request, context, id: context.uuidParameter("id")) { _ in
                .update(fullName: body.fullName, company: body.company, phones: body.phones, emails: body.emails, address: address)
            }
        }
        routes.put("/v1/customers/{id}/company") { request, context in
            let body = try await request.decode(as: CustomerCompanyRequest.self, context: context)
            return try await commands.customer(request, context, id: context.uuidParameter("id")) { _ in .setCompany(body.companyId) }
        }
        routes.delete("/v1/customers/{id}") { request, context in
            let reason = request.uri.queryParameters["reason"].map(String.init)
            return try await commands.customer(request, context, id: context.uuidParameter("id")) { _ in .delete(reason: reason) }
        }
        routes.post("/v1/customers/{id}/restore") { request, context in
            try await commands.customer(request, context, id: context.uuidParameter("id")) { _ in .restore }
        }
        routes.post("/v1/customer-matches") { request, context in
            let principal = try context.principalOrThrow()
            let body = try await request.decode(as: EmailCheckRequest.self, context: context)
            guard !body.leadIds.isEmpty else {
                throw APIError.invalid(field: "leadIds", code: "required", message: "leadIds must name at least one lead.")
            }
            guard body.leadIds.count <= Self.maxEmailCheckLeads else {
                throw APIError.invalid(
                    field: "leadIds", code: "tooMany", message: "leadIds takes at most \(Self.maxEmailCheckLeads) leads.")
            }
            let (matches, position) = try reads.ledger.read { view in
                (try view.emailCheck(leads: body.leadIds, visibleTo: principal.narrowedTo), view.position)
            }
            let resource = EmailCheckResource(
                items: matches.map { .init(leadId: $0.leadId.lowercased, customerIds: $0.customers.map(\.lowercased)) })
            return try JSONResponse.make(resource, logPosition: position)
        }
    }
}
