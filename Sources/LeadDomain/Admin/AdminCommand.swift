import Foundation

/// Everything one can do to an admin account. Decided by `AdminDecider.decide(_:_:context:)`; every admin
/// command needs `Permission.adminsManage`. Roles and permissions arrive as strings and are validated.
public enum AdminCommand: Sendable, Hashable {
    case create(adminId: UUID, name: String, email: String?, role: String, permissions: [String])
    case changeRole(String)
    /// Replace the permission set.
    case setPermissions([String])
    /// Record a token the caller generated and hashed (lowercase hex SHA-256); the token itself is never stored.
    case issueToken(tokenId: UUID, label: String, sha256: String, expiresAt: Timestamp?)
    case revokeToken(UUID)
    case disable

    /// The permission every admin command needs.
    public var requiredPermission: Permission { Self.permission }

    /// The permission every admin command needs (checked before its body is read, too).
    public static let permission = Permission.adminsManage

    /// Whether `decide` needs every admin in `RelatedStates.admins`: the commands that can take away the
    /// last enabled admin who manages admins.
    public var needsAllAdmins: Bool {
        switch self {
        case .disable, .changeRole, .setPermissions: true
        default: false
        }
    }
}
