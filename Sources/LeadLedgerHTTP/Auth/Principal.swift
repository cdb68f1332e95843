#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The authenticated caller of a request: an admin acting through one access token.
public struct Principal: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        /// May do everything; permission checks always pass.
        case admin
        /// May do what its `permissions` list.
        case manager
    }

    public var adminId: UUID
    public var name: String
    public var role: Role
    public var permissions: Set<String>
    /// The access token used, so the log can tell two tokens of one admin apart.
    public var tokenId: UUID

    public init(adminId: UUID, name: String, role: Role, permissions: Set<String> = [], tokenId: UUID) {
        self.adminId = adminId
        self.name = name
        self.role = role
        self.permissions = permissions
        self.tokenId = tokenId
    }

    /// The one place that decides whether a principal holds a permission.
    public func has(permission: String) -> Bool {
        role == .admin || permissions.contains(permission)
    }

    /// How the principal appears as an event's actor and in logs, e.g. `admin:6f1c…`.
    public var actor: String { "admin:\(adminId.uuidString.lowercased())" }
}
