import Foundation
import HashTreeCollections
import LeadDomain

/// Admins (`AdminState` by id) and the token index auth looks up: SHA-256 hex of a token → admin id.
///
/// `authenticate` refuses disabled admins, revoked tokens and expired tokens (`AdminState.activeToken`).
public struct AdminDirectory: Sendable, Equatable {
    public private(set) var admins: TreeDictionary<UUID, AdminState> = [:]
    private(set) var tokenOwners: TreeDictionary<String, UUID> = [:]

    public init() {}

    public subscript(id: UUID) -> AdminState? { admins[id] }

    public mutating func apply(_ event: DomainEvent) {
        let id: UUID
        switch event {
        case .adminCreated(let e): id = e.adminId
        case .roleChanged(let e): id = e.adminId
        case .permissionsChanged(let e): id = e.adminId
        case .tokenIssued(let e): id = e.adminId
        case .tokenRevoked(let e): id = e.adminId
        case .adminDisabled(let e): id = e.adminId
        default: return
        }
        restore(AdminState.evolve(admins[id], event))
    }

    mutating func restore(_ admin: AdminState?) {
        guard let admin else { return }
        admins[admin.id] = admin
        for token in admin.tokens where tokenOwners[token.sha256] == nil { tokenOwners[token.sha256] = admin.id }
    }

    /// The admin a token (given by its lowercase hex SHA-256) authenticates at `now`, if any.
    public func authenticate(tokenSHA256: String, now: Timestamp) -> AdminState? {
        guard let id = tokenOwners[tokenSHA256], let admin = admins[id],
            admin.activeToken(sha256: tokenSHA256, at: now) != nil
        else { return nil }
        return admin
    }

    /// Every admin, by name then id.
    public var sorted: [AdminState] {
        admins.values.sorted { ($0.name, LeadKey($0.id)) < ($1.name, LeadKey($1.id)) }
    }
}
