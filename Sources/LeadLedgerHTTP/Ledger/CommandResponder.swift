import EventLog
import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// Runs commands for the routes: reads `If-Match` and `Idempotency-Key`, checks the permission and the
/// caller's reach, executes through the ledger as the token's admin, and answers with the new state, its
/// `ETag` (stream version) and `X-Log-Position`.
struct CommandResponder: Sendable {
    let ledger: Ledger
    let metrics: LedgerMetrics
    var reads: LedgerReads { LedgerReads(ledger: ledger) }

    /// What a command handler gets to build its command with.
    struct Input {
        var principal: Principal
        var key: IdempotencyKey?
        /// What the key stands for (``RequestFingerprintMiddleware``).
        var fingerprint: String?

        /// The id of the resource the command creates: derived from the idempotency key when there is one, so
        /// a retry names the same resource.
        /// Without a key, a time-ordered id: new streams (`lead-<id>`) then sort after the existing ones in the log's
        /// stream indexes, so each commit dirties their rightmost pages instead of random ones.
        func newId() -> UUID { key?.newResourceId(actor: principal.adminId) ?? UUID.v7() }
    }

    /// Executes through the ledger as the caller and counts the outcome.
    func execute(
        _ command: LedgerCommand, kind: String, _ input: Input, expectedVersion: UInt64?
    ) async throws -> CommandResult {
        let result = try await ledger.execute(
            command, actor: input.principal.adminId, expectedVersion: expectedVersion, idempotencyKey: input.key?.value,
            requestFingerprint: input.fingerprint)
        metrics.commandExecuted(kind: kind, events: result.events.count, replayed: result.replayed)
        return result
    }

    func input(_ request: Request, _ context: APIRequestContext) throws -> (Input, expectedVersion: UInt64?) {
        let principal = try context.principalOrThrow()
        let key = try request.idempotencyKey()
        let expected = try request.expectedStreamVersion()
        return (Input(principal: principal, key: key, fingerprint: context.requestFingerprint), expected)
    }

    /// Executes a lead command on lead `id` (for a create, `id` is the new lead's id).
    func lead(
        _ request: Request, _ context: APIRequestContext, id: UUID, status: HTTPResponse.Status = .ok,
        _ makeCommand: (Input) throws -> LeadCommand
    ) async throws -> Response {
        let (input, expected) = try input(request, context)
        let command = try makeCommand(input)
        let principal = input.principal
        if let permission = command.requiredPermission, !principal.has(permission) {
            throw APIError.forbidden(missing: permission)
        }
        if case .create = command {
        } else if principal.seesOnlyOwnLeads {
            // Outside their reach, a lead does not exist for a manager: 404, never 403, so ids do not leak.
            guard let current = try reads.lead(id), principal.canReach(current.state) else {
                throw LeadRoutes.notFound(id)
            }
            // So is every other lead the command reads (a copy's source, a merge's sources).
            for related in command.relatedLeadIds where related != id {
                guard let lead = try reads.lead(related), principal.canReach(lead.state) else {
                    throw LeadRoutes.notFound(related)
                }
            }
            // And so is a customer they neither registered nor reach through a lead.
            for customerId in command.relatedCustomerIds where try !canReach(customer: customerId, principal) {
                throw CustomerRoutes.notFound(customerId)
            }
        }
        let result = try await execute(.lead(id, command), kind: "lead", input, expectedVersion: expected)
        guard let lead = result.state.lead else { throw LeadRoutes.notFound(id) }
        var response = JSONResponse.make(
            LeadResource(lead, now: reads.now), status: status, etag: .streamVersion(result.streamVersion),
            logPosition: result.position)
        if status == .created { response.headers[.location] = "/v1/leads/\(id.lowercased)" }
        return response
    }

    /// Whether the caller reaches a deal: with `leads.read.all` every deal; otherwise the deals they are
    /// responsible for and those of the leads they reach.
    func canReach(_ deal: DealState, _ principal: Principal) throws -> Bool {
        guard principal.seesOnlyOwnLeads else { return true }
        return try reads.ledger.read { try $0.reaches(deal: deal, admin: principal.adminId) }
    }

    /// Executes a deal command on deal `id` (for a create, `id` is the new deal's id). A manager acts only on
    /// the deals they reach, and names only leads they reach and customers linked to those: anything else is
    /// 404, as if it did not exist.
    func deal(
        _ request: Request, _ context: APIRequestContext, id: UUID, status: HTTPResponse.Status = .ok,
        _ makeCommand: (Input) throws -> DealCommand
    ) async throws -> Response {
        let (input, expected) = try input(request, context)
        let command = try makeCommand(input)
        let principal = input.principal
        if principal.seesOnlyOwnLeads {
            if case .create = command {
            } else {
                guard let current = try reads.deal(id), try canReach(current.state, principal) else {
                    throw DealRoutes.notFound(id)
                }
            }
            for leadId in command.relatedLeadIds {
                guard let lead = try reads.lead(leadId), principal.canReach(lead.state) else { throw LeadRoutes.notFound(leadId) }
            }
            // A manager knows the customers of the leads they reach and those they registered, no others.
            for customerId in command.relatedCustomerIds where try !canReach(customer: customerId, principal) {
                throw CustomerRoutes.notFound(customerId)
            }
        }
        let result = try await execute(.deal(id, command), kind: "deal", input, expectedVersion: expected)
        guard let deal = result.state.deal else { throw DealRoutes.notFound(id) }
        var response = try JSONResponse.make(
            DealResource(deal, settings: try reads.settings()), status: status, etag: .streamVersion(result.streamVersion),
            logPosition: result.position)
        if status == .created { response.headers[.location] = "/v1/deals/\(id.lowercased)" }
        return response
    }

    /// Whether the caller reaches a customer: with `leads.read.all` every one; otherwise those linked to a lead
    /// they reach and those they registered. An unknown customer is not reached.
    func canReach(customer id: UUID, _ principal: Principal) throws -> Bool { try reads.canReach(customer: id, principal) }

    /// Executes a customer command on customer `id` (for a register, `id` is the new customer's id). Deleting
    /// needs `leads.delete`, restoring `leads.restore`; a manager acts on the customers they reach and names only
    /// companies they reach (anything else is 404).
    func customer(
        _ request: Request, _ context: APIRequestContext, id: UUID, status: HTTPResponse.Status = .ok,
        _ makeCommand: (Input) throws -> CustomerCommand
    ) async throws -> Response {
        let (input, expected) = try input(request, context)
        let command = try makeCommand(input)
        let principal = input.principal
        switch command {
        case .delete: if !principal.has(.leadsDelete) { throw APIError.forbidden(missing: .leadsDelete) }
        case .restore: if !principal.has(.leadsRestore) { throw APIError.forbidden(missing: .leadsRestore) }
        default: break
        }
        if principal.seesOnlyOwnLeads {
            if case .register = command {
            } else if try !canReach(customer: id, principal) {
                throw CustomerRoutes.notFound(id)
            }
            for related in command.relatedCustomerIds where try !canReach(customer: related, principal) {
                throw CustomerRoutes.notFound(related)
            }
        }
        let result = try await execute(.customer(id, command), kind: "customer", input, expectedVersion: expected)
        guard let customer = result.state.customer else { throw CustomerRoutes.notFound(id) }
        var response = try JSONResponse.make(
            CustomerResource(customer), status: status, etag: .streamVersion(result.streamVersion), logPosition: result.position)
        if status == .created { response.headers[.location] = "/v1/customers/\(id.lowercased)" }
        return response
    }

    /// Executes a settings command (needs `settings.manage`) and answers with the settings.
    func settings(
        _ request: Request, _ context: APIRequestContext, _ makeCommand: (Input) throws -> SettingsCommand
    ) async throws -> Response {
        let (input, expected) = try input(request, context)
        let command = try makeCommand(input)
        guard input.principal.has(command.requiredPermission) else {
            throw APIError.forbidden(missing: command.requiredPermission)
        }
        let result = try await execute(.settings(command), kind: "settings", input, expectedVersion: expected)
        let settings = result.state.settings ?? .defaults
        return try JSONResponse.make(
            SettingsResource(settings), etag: .streamVersion(result.streamVersion), logPosition: result.position)
    }

    /// Executes an admin command (needs `admins.manage`) on admin `id` and answers with the admin.
    func admin(
        _ request: Request, _ context: APIRequestContext, id: UUID, status: HTTPResponse.Status = .ok,
        _ makeCommand: (Input) throws -> AdminCommand
    ) async throws -> Response {
        let (input, expected) = try input(request, context)
        let command = try makeCommand(input)
        guard input.principal.has(command.requiredPermission) else {
            throw APIError.forbidden(missing: command.requiredPermission)
        }
        let result = try await execute(.admin(id, command), kind: "admin", input, expectedVersion: expected)
        guard let admin = result.state.admin else { throw AdminRoutes.notFound(id) }
        var response = try JSONResponse.make(
            AdminResource(admin), status: status, etag: .streamVersion(result.streamVersion),
            logPosition: result.position)
        if status == .created { response.headers[.location] = "/v1/admins/\(id.lowercased)" }
        return response
    }
}
