import EventLog
import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// Admin accounts under `/v1/admins` (`admins.manage`; an admin may also read itself).
struct AdminRoutes: APIRouteCollection {
    let commands: CommandResponder

    static func notFound(_ id: UUID) -> DomainError {
        DomainError(.adminNotFound, "No admin \(id.lowercased).")
    }

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads
        routes.post("/v1/admins") { request, context in
            _ = try context.require(AdminCommand.permission)  // before the body is read
            let body = try await request.decode(as: CreateAdminRequest.self, context: context)
            let principal = try context.principalOrThrow()
            let id = try request.idempotencyKey()?.newResourceId(actor: principal.adminId) ?? UUID.v7()
            return try await commands.admin(request, context, id: id, status: .created) { _ in
                .create(adminId: id, name: body.name, email: body.email, role: body.role, permissions: body.permissions ?? [])
            }
        }
        routes.get("/v1/admins/{id}") { request, context in
            let principal = try context.principalOrThrow()
            let id = try context.uuidParameter("id")
            guard id == principal.adminId || principal.has(.adminsManage) else {
                throw APIError.forbidden(missing: .adminsManage)
            }
            guard let admin = try reads.admin(id) else { throw Self.notFound(id) }
            return try await request.conditionalGET(etag: .streamVersion(admin.version), context: context) {
                try JSONResponse.make(AdminResource(admin), logPosition: reads.appliedPosition)
            }
        }
        routes.put("/v1/admins/{id}/role") { request, context in
            _ = try context.require(AdminCommand.permission)  // before the body is read
            let id = try context.uuidParameter("id")
            let body = try await request.decode(as: RoleRequest.self, context: context)
            return try await commands.admin(request, context, id: id) { _ in .changeRole(body.role) }
        }
        routes.put("/v1/admins/{id}/permissions") { request, context in
            _ = try context.require(AdminCommand.permission)  // before the body is read
            let id = try context.uuidParameter("id")
            let body = try await request.decode(as: PermissionsRequest.self, context: context)
            return try await commands.admin(request, context, id: id) { _ in .setPermissions(body.permissions) }
        }
        routes.post("/v1/admins/{id}/disable") { request, context in
            _ = try context.require(AdminCommand.permission)  // before the body is read
            let id = try context.uuidParameter("id")
            return try await commands.admin(request, context, id: id) { _ in .disable }
        }
        routes.delete("/v1/admins/{id}/tokens/{tokenId}") { request, context in
            _ = try context.require(AdminCommand.permission)  // before the body is read
            let id = try context.uuidParameter("id")
            let tokenId = try context.uuidParameter("tokenId")
            return try await commands.admin(request, context, id: id) { _ in .revokeToken(tokenId) }
        }
        routes.post("/v1/admins/{id}/tokens") { request, context in
            _ = try context.require(AdminCommand.permission)  // before the body is read
            let id = try context.uuidParameter("id")
            let body = try await request.decode(as: IssueTokenRequest.self, context: context)
            let expiresAt = try ISOTime.parse(body.expiresAt, field: "expiresAt", dateOnly: .endOfDay)
            let principal = try context.require(.adminsManage)
            // The token is generated here and shown once; only its hash is recorded. Idempotency keys do not
            // apply: a retry could not show the same token again, so each request issues a new one.
            let token = APITokenHash.generate()
            let tokenId = UUID.random()
            let result = try await commands.ledger.execute(
                .admin(
                    id,
                    .issueToken(
                        tokenId: tokenId, label: body.label, sha256: APITokenHash.sha256Hex(token), expiresAt: expiresAt)),
                actor: principal.adminId, expectedVersion: try request.expectedStreamVersion())
            guard let admin = result.state.admin else { throw Self.notFound(id) }
            var response = try JSONResponse.make(
                IssuedTokenResource(tokenId: tokenId.lowercased, token: token, admin: AdminResource(admin)),
                status: .created, etag: .streamVersion(result.streamVersion), logPosition: result.position)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
