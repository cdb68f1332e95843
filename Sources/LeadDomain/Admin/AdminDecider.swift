import Foundation

/// The rules of admin accounts: role values, permission names, token hashes and revocation are validated;
/// a disabled admin refuses everything but revoking tokens (and disabling again, a no-op). Nobody disables
/// themselves, and no command leaves the ledger without an enabled admin who can manage admins.
public enum AdminDecider {
    /// Decides the events of `command` on the admin in `state` (`nil`: the admin does not exist).
    ///
    /// - Parameter related: for `disable`, `changeRole` and `setPermissions`, every admin
    ///   (`AdminCommand.needsAllAdmins`), to keep one who can manage admins.
    public static func decide(
        _ state: AdminState?, _ command: AdminCommand, context c: DecisionContext, related: RelatedStates = .none
    ) throws(DomainError) -> Decision {
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
            if admin.id == c.actor { throw DomainError(.invalidAdminChange, "An admin cannot disable themselves") }
            var after = admin
            after.disabled = true
            try keepsAnAdminManager(after, related)
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
            var after = admin
            after.role = role
            try keepsAnAdminManager(after, related)
            return Decision(
                streamID: stream,
                events: [.roleChanged(RoleChanged(adminId: id, from: admin.role, to: role, at: c.now, by: c.actor))])
        case .setPermissions(let names):
            let permissions = parsePermissions(names, &v)
            try v.check()
            guard permissions != admin.permissions else { return Decision() }
            var after = admin
            after.permissions = permissions
            try keepsAnAdminManager(after, related)
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
    /// Refuses a change that would leave no enabled admin able to manage admins (when the admins were looked up).
    private static func keepsAnAdminManager(_ changed: AdminState, _ related: RelatedStates) throws(DomainError) {
        guard let admins = related.admins, !changed.has(.adminsManage) else { return }
        let others = admins.values.contains { $0.id != changed.id && $0.has(.adminsManage) }
        if !others {
            throw DomainError(
                .invalidAdminChange, "This is the last enabled admin who can manage admins; give another one that first")
        }
    }

    private static func parsePermissions(_ names: [String], _ v: inout FieldValidator) -> [Permission] {
        var result: Set<Permission> = []
        guard v.fits(names.count, field: "permissions", limit: CountLimits.settingsList) else { return [] }
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
