#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif
public import LeadDomain

/// The authenticated caller of a request: an admin acting through one access token.
///
/// Permission checks go through `AdminState.has(_:)`, the one place that rule lives; reach (which leads a
/// manager may see) through ``canReach(_:)``.
public struct Principal: Sendable, Hashable {
    /// The admin as the admin projection had it when the token was checked.
    public var admin: AdminState
    /// The access token used, so logs can tell two tokens of one admin apart.
    public var tokenId: UUID

    public init(admin: AdminState, tokenId: UUID) {
        self.admin = admin
        self.tokenId = tokenId
    }

    public var adminId: UUID { admin.id }
    public var name: String { admin.name }
    public var role: AdminRole { admin.role }

    /// Whether the caller holds `permission` (an `admin` holds every one; a disabled admin none).
    public func has(_ permission: Permission) -> Bool { admin.has(permission) }

    /// Whether the caller may see and edit this lead: with `leads.read.all` every lead, otherwise only the
    /// leads they are responsible for or watch.
    public func canReach(_ lead: LeadState) -> Bool {
        has(.leadsReadAll) || lead.isOwnedOrWatched(by: admin.id)
    }

    /// Whether lists must be narrowed to the caller's own leads.
    public var seesOnlyOwnLeads: Bool { !has(.leadsReadAll) }

    /// The admin whose own leads a projection query must be narrowed to (its `visibleTo`), `nil` for a caller
    /// who sees every lead.
    public var narrowedTo: UUID? { seesOnlyOwnLeads ? adminId : nil }

    /// How the principal appears in logs, e.g. `admin:6f1c…`; events record `adminId` itself.
    public var actor: String { "admin:\(adminId.uuidString.lowercased())" }
}
