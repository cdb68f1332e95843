import Foundation

/// An admin account: the fold of its stream `admin-<id>`.
public struct AdminState: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    public var email: String?
    public var role: AdminRole
    /// Granted permissions, sorted (an `admin` has every permission regardless).
    public var permissions: [Permission]
    /// Disabled admins cannot authenticate.
    public var disabled: Bool
    /// Issued tokens (hashes only), oldest first, revoked ones included.
    public var tokens: [APIToken]
    public var createdBy: UUID
    public var createdAt: Timestamp
    public var updatedBy: UUID
    public var updatedAt: Timestamp
    public var version: UInt64

    /// The state right after an `AdminCreated`.
    public init(created e: AdminCreated) {
        id = e.adminId
        name = e.name
        email = e.email
        role = e.role
        permissions = e.permissions
        disabled = false
        tokens = []
        createdBy = e.by
        createdAt = e.at
        updatedBy = e.by
        updatedAt = e.at
        version = 1
    }

    /// Whether the admin may do what `permission` guards: never when disabled, always for the `admin` role.
    public func has(_ permission: Permission) -> Bool {
        !disabled && (role == .admin || permissions.contains(permission))
    }

    /// The live (not revoked, not expired at `now`) token with this SHA-256 hex hash.
    public func activeToken(sha256: String, at now: Timestamp) -> APIToken? {
        guard !disabled else { return nil }
        return tokens.first { $0.sha256 == sha256 && !$0.revoked && ($0.expiresAt.map { now < $0 } ?? true) }
    }

    /// Folds one event into an admin's state. Pure; other events leave the state unchanged.
    public static func evolve(_ state: AdminState?, _ event: DomainEvent) -> AdminState? {
        if case .adminCreated(let e) = event { return AdminState(created: e) }
        guard var admin = state, event.kind.streamKind == .admin, event.streamID == StreamID.admin(admin.id)
        else { return state }
        switch event {
        case .roleChanged(let e): admin.role = e.to
        case .permissionsChanged(let e): admin.permissions = e.to
        case .tokenIssued(let e):
            admin.tokens.append(
                APIToken(id: e.tokenId, label: e.label, sha256: e.sha256, issuedAt: e.at, expiresAt: e.expiresAt))
        case .tokenRevoked(let e):
            if let index = admin.tokens.firstIndex(where: { $0.id == e.tokenId }) { admin.tokens[index].revoked = true }
        case .adminDisabled: admin.disabled = true
        default: break
        }
        admin.version += 1
        admin.updatedAt = event.at
        admin.updatedBy = event.by
        return admin
    }

    /// Folds a whole stream (oldest first).
    public static func replay(_ events: some Sequence<DomainEvent>) -> AdminState? { events.reduce(nil, evolve) }
}

/// An API token as stored: never the token itself, only its SHA-256.
public struct APIToken: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var label: String
    /// Lowercase hex SHA-256 of the token.
    public var sha256: String
    public var issuedAt: Timestamp
    public var expiresAt: Timestamp?
    public var revoked: Bool

    public init(
        id: UUID, label: String, sha256: String, issuedAt: Timestamp, expiresAt: Timestamp?, revoked: Bool = false
    ) {
        self.id = id
        self.label = label
        self.sha256 = sha256
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revoked = revoked
    }
}
