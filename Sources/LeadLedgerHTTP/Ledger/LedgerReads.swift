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
    func admin(_ id: UUID) -> AdminState? { ledger.read { $0.admin(id) } }

    /// The admin holding a live token with this hash (not revoked, not expired, admin not disabled), and the token.
    func admin(forTokenHash hash: String) -> (admin: AdminState, token: APIToken)? {
        let now = now
        guard let admin = ledger.read({ $0.authenticate(tokenSHA256: hash, now: now) }),
            let token = admin.activeToken(sha256: hash, at: now)
        else { return nil }
        return (admin, token)
    }

    /// A lead as it is now (read from its stream, so it reflects every acknowledged command).
    func lead(_ id: UUID) throws -> LeadAsOf? { try ledger.lead(id) }

    func lead(_ id: UUID, asOf: AsOf) throws -> LeadAsOf? { try ledger.lead(id, asOf: asOf) }

    func history(of id: UUID, asOf: AsOf?) throws -> [HistoryEntry] { try ledger.history(of: id, asOf: asOf) }

    func settings() throws -> SettingsState { try ledger.currentSettings() }
}
