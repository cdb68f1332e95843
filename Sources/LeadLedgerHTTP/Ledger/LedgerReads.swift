import Foundation
import LeadDomain
import LeadLedgerCore

/// Every read the HTTP layer makes of the ledger, in one place, so the routes do not depend on how the core
/// and its projections spell them.
struct LedgerReads: Sendable {
    let ledger: Ledger

    /// The core's clock: the same "now" commands are decided with (pauses, token expiry).
    var now: Timestamp { ledger.configuration.clock.now() }

    /// The log position the live projections reflect.
    var appliedPosition: UInt64 { ledger.appliedPosition }

    /// The head of the log (what has been committed).
    var logHead: UInt64 { ledger.log.head }

    /// An admin's current state (from the admin projection, which has applied every acknowledged command).
    func admin(_ id: UUID) throws -> AdminState? { try ledger.read { try $0.admin(id) } }

    /// The admin holding a live token with this hash (not revoked, not expired, admin not disabled), and the token.
    func admin(forTokenHash hash: String) throws -> (admin: AdminState, token: APIToken)? {
        let now = now
        guard let admin = try ledger.read({ try $0.authenticate(tokenSHA256: hash, now: now) }),
            let token = admin.activeToken(sha256: hash, at: now)
        else { return nil }
        return (admin, token)
    }

    /// Whether `principal`'s token is still live (not revoked, not expired, its admin enabled) and its admin
    /// still holds `permission`: what a long-lived response (the event stream) re-checks as it goes.
    func isStillAuthorized(_ principal: Principal, for permission: Permission) -> Bool {
        let now = now
        guard let admin = try? admin(principal.adminId), admin.has(permission),
            let token = admin.tokens.first(where: { $0.id == principal.tokenId }), !token.revoked
        else { return false }
        return token.expiresAt.map { now < $0 } ?? true
    }

    /// A lead, its stream version and the log position the answer reflects.
    struct LeadRead: Sendable {
        var state: LeadState
        var streamVersion: UInt64
        var position: UInt64
    }

    /// A lead as it is now, from the lead directory (which has applied every acknowledged command).
    func lead(_ id: UUID) throws -> LeadRead? {
        try ledger.read { view in
            try view.lead(id).map { LeadRead(state: $0, streamVersion: $0.version, position: view.position) }
        }
    }

    /// A lead as it was at a time or position, replayed from its stream.
    func lead(_ id: UUID, asOf: AsOf) throws -> LeadRead? {
        try ledger.lead(id, asOf: asOf).map { LeadRead(state: $0.state, streamVersion: $0.streamVersion, position: $0.position) }
    }

    func history(of id: UUID, asOf: AsOf?) throws -> [HistoryEntry] { try ledger.history(of: id, asOf: asOf) }

    func settings() throws -> SettingsState { try ledger.currentSettings() }

    /// Whether the caller reaches a customer: with `leads.read.all` every one; otherwise those linked to a lead
    /// they reach and those they registered. An unknown customer is not reached.
    func canReach(customer id: UUID, _ principal: Principal) throws -> Bool {
        try ledger.read { view in
            guard let customer = try view.customer(id) else { return false }
            return try !principal.seesOnlyOwnLeads || view.reaches(customer: customer, admin: principal.adminId)
        }
    }

    /// A deal as it is now, with the position of the store that answered.
    func deal(_ id: UUID) throws -> (state: DealState, position: UInt64)? {
        try ledger.read { view in try view.deal(id).map { ($0, view.position) } }
    }

    /// A customer (nil when it does not exist) and its deals that are not deleted.
    func deals(ofCustomer id: UUID) throws -> (exists: Bool, deals: [DealState], position: UInt64) {
        try ledger.read { view in (try view.customer(id) != nil, try view.deals(ofCustomer: id), view.position) }
    }

    /// A lead's deals that are not deleted.
    func deals(ofLead id: UUID) throws -> (deals: [DealState], position: UInt64) {
        try ledger.read { view in (try view.deals(ofLead: id), view.position) }
    }
}
