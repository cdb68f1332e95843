import Foundation

/// The rules of admin accounts: role values, permission names, token hashes and revocation are validated;
/// a disabled admin refuses everything but revoking tokens (and disabling again, a no-op).
public enum AdminDecider {
    /// Decides the events of `command` on the admin in `state` (`nil`: the admin does not exist).
    public static func decide(_ state: AdminState?, _ command: AdminCommand, context c: DecisionContext)
        throws(DomainError) -> Decision
    {
        var v = FieldValidator(limits: c.settings.fieldLimits)
        if case .create(let adminId, let name, let email, let role, let permissions) = command {
            if state != nil { throw DomainError(.alreadyExists, "An admin with id \(adminId) already exists") }
            let name = v.text(name, field: "name", limit: c.settings.fieldLimits.name, required: true) ?? ""
            let email = v.text(email, field: "email", limit: 254)
            if let email, !EmailAddress.isValid(email) { v.add("email", .invalidEmail, "email is not valid") }
            let role = parseRole(role, &v)
            let permissions = parsePermissions(permissions, &v)
            try v.check()
            return Decision(
                streamID: StreamID.admin(adminId),
                events: [
                    .adminCreated(
                        AdminCreated(
                            adminId: adminId, name: name, email: email, role: role ?? .manager,
                            permissions: permissions, at: c.now, by: c.actor))
                ])
        }
        guard let admin = state else { throw DomainError(.adminNotFound, "The admin does not exist") }
        let stream = StreamID.admin(admin.id)
        let id = admin.id
        switch command {
        case .create: return Decision()
        case .disable:
            guard !admin.disabled else { return Decision() }
            return Decision(
                streamID: stream, events: [.adminDisabled(AdminDisabled(adminId: id, at: c.now, by: c.actor))])
        case .revokeToken(let tokenId):
            guard let token = admin.tokens.first(where: { $0.id == tokenId }) else {
                throw .notFound(
                    .tokenNotFound, field: "tokenId", "The admin has no token \(tokenId.uuidString.lowercased())")
            }
            guard !token.revoked else { return Decision() }
            return Decision(
                streamID: stream,
                events: [.tokenRevoked(TokenRevoked(adminId: id, tokenId: tokenId, at: c.now, by: c.actor))])
        default: break
        }
        if admin.disabled { throw DomainError(.adminDisabled, "The admin is disabled") }
        switch command {
        case .changeRole(let text):
            let role = parseRole(text, &v)
            try v.check()
            guard let role, role != admin.role else { return Decision() }
            return Decision(
                streamID: stream,
                events: [.roleChanged(RoleChanged(adminId: id, from: admin.role, to: role, at: c.now, by: c.actor))])
        case .setPermissions(let names):
            let permissions = parsePermissions(names, &v)
            try v.check()
            guard permissions != admin.permissions else { return Decision() }
            return Decision(
                streamID: stream,
                events: [
                    .permissionsChanged(
                        PermissionsChanged(
                            adminId: id, from: admin.permissions, to: permissions, at: c.now, by: c.actor))
                ])
        case .issueToken(let tokenId, let label, let sha256, let expiresAt):
            if admin.tokens.contains(where: { $0.id == tokenId }) { return Decision() }
            let label = v.text(label, field: "label", limit: c.settings.fieldLimits.name, required: true) ?? ""
            if sha256.count != 64
                || !sha256.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
            {
                v.add("sha256", .invalidValue, "sha256 must be 64 lowercase hex digits")
            }
            if admin.tokens.contains(where: { $0.sha256 == sha256 }) {
                v.add("sha256", .duplicate, "a token with this hash already exists")
            }
            if let expiresAt, expiresAt <= c.now { v.add("expiresAt", .notInFuture, "expiresAt must be in the future") }
            try v.check()
            return Decision(
                streamID: stream,
                events: [
                    .tokenIssued(
                        TokenIssued(
                            adminId: id, tokenId: tokenId, label: label, sha256: sha256, expiresAt: expiresAt,
                            at: c.now,
                            by: c.actor))
                ])
        case .create, .disable, .revokeToken: return Decision()
        }
    }

    private static func parseRole(_ text: String, _ v: inout FieldValidator) -> AdminRole? {
        guard let role = AdminRole(rawValue: text) else {
            v.add("role", .invalidRole, "role must be admin or manager")
            return nil
        }
        return role
    }

    /// Valid permissions, deduplicated and sorted.
    private static func parsePermissions(_ names: [String], _ v: inout FieldValidator) -> [Permission] {
        var result: Set<Permission> = []
        for (index, name) in names.enumerated() {
            if let permission = Permission(rawValue: name) {
                result.insert(permission)
            } else {
                v.add("permissions[\(index)]", .unknownPermission, "\(name) is not a permission")
            }
        }
        return result.sorted()
    }
}
