import Foundation
import LeadDomain

/// The JSON form of an admin. Token hashes are never shown.
struct AdminResource: Encodable, Sendable {
    struct TokenResource: Encodable, Sendable {
        var id: String
        var label: String
        var issuedAt: String
        var expiresAt: String?
        var revoked: Bool
    }

    var id: String
    var name: String
    var email: String?
    var role: String
    var permissions: [String]
    var disabled: Bool
    var tokens: [TokenResource]
    var createdAt: String
    var updatedAt: String
    var version: UInt64

    init(_ admin: AdminState) {
        id = admin.id.lowercased
        name = admin.name
        email = admin.email
        role = admin.role.rawValue
        permissions = admin.permissions.map(\.rawValue)
        disabled = admin.disabled
        tokens = admin.tokens.map {
            TokenResource(
                id: $0.id.lowercased, label: $0.label, issuedAt: ISOTime.string($0.issuedAt),
                expiresAt: ISOTime.string($0.expiresAt), revoked: $0.revoked)
        }
        createdAt = ISOTime.string(admin.createdAt)
        updatedAt = ISOTime.string(admin.updatedAt)
        version = admin.version
    }
}

/// The answer to issuing a token: the only time the token itself is shown.
struct IssuedTokenResource: Encodable, Sendable {
    var tokenId: String
    var token: String
    var admin: AdminResource
}

struct CreateAdminRequest: Decodable, Sendable {
    var name: String
    var email: String?
    var role: String
    var permissions: [String]?
}

struct RoleRequest: Decodable, Sendable {
    var role: String
}

struct PermissionsRequest: Decodable, Sendable {
    var permissions: [String]
}

struct IssueTokenRequest: Decodable, Sendable {
    var label: String
    /// ISO-8601 date-time; the token never expires when absent.
    var expiresAt: String?
}
