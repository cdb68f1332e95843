import Foundation
import Testing

@testable import LeadDomain

@Suite("Admins and tokens")
struct AdminTests {
    private let adminId = Fixture.id(500)
    private let hash = String(repeating: "0f", count: 32)

    private func decide(_ state: AdminState?, _ command: AdminCommand) throws(DomainError) -> Decision {
        try AdminDecider.decide(state, command, context: Fixture.context(actor: Fixture.admin))
    }

    private func created() throws -> AdminState {
        let decision = try decide(
            nil,
            .create(
                adminId: adminId, name: "Rūta", email: "ruta@rasa.lt", role: "manager",
                permissions: ["reports.read", "leads.read.all", "reports.read"]))
        return try #require(AdminState.replay(decision.events))
    }

    @Test("an admin is created with a role and a sorted, deduplicated permission set")
    func create() throws {
        let admin = try created()
        #expect(admin.role == .manager)
        #expect(admin.permissions == [.leadsReadAll, .reportsRead])
        #expect(admin.has(.reportsRead) && !admin.has(.leadsDelete))
    }

    @Test("role values and permission names are validated, every bad one listed")
    func validation() {
        let error = Fixture.error { () throws(DomainError) in
            try decide(
                nil,
                .create(
                    adminId: adminId, name: "", email: "nope", role: "owner",
                    permissions: ["leads.read.all", "god.mode"]))
        }
        #expect(
            error?.fieldCodes == [
                "name": "required", "email": "invalidEmail", "role": "invalidRole",
                "permissions[1]": "unknownPermission",
            ])
    }

    @Test("tokens store only their SHA-256; revoking an unknown token is an error, revoking twice a no-op")
    func tokens() throws {
        var admin = try created()
        let tokenId = Fixture.id(501)
        admin = try decide(admin, .issueToken(tokenId: tokenId, label: "phone app", sha256: hash, expiresAt: nil))
            .events
            .reduce(admin) { AdminState.evolve($0, $1)! }
        #expect(admin.tokens.map(\.sha256) == [hash])
        #expect(admin.activeToken(sha256: hash, at: Fixture.t0) != nil)
        let bad = Fixture.error { () throws(DomainError) in
            try decide(admin, .issueToken(tokenId: Fixture.id(502), label: "", sha256: "XYZ", expiresAt: Fixture.t0))
        }
        #expect(bad?.fieldCodes == ["label": "required", "sha256": "invalidValue", "expiresAt": "notInFuture"])
        let unknown = Fixture.error { () throws(DomainError) in try decide(admin, .revokeToken(Fixture.id(503))) }
        #expect(unknown?.code == .tokenNotFound)
        admin = try decide(admin, .revokeToken(tokenId)).events.reduce(admin) { AdminState.evolve($0, $1)! }
        #expect(admin.activeToken(sha256: hash, at: Fixture.t0) == nil)
        #expect(try decide(admin, .revokeToken(tokenId)).isEmpty)
    }

    @Test("role and permission changes; a disabled admin has no permissions and refuses changes")
    func roleAndDisable() throws {
        var admin = try created()
        admin = try decide(admin, .changeRole("admin")).events.reduce(admin) { AdminState.evolve($0, $1)! }
        #expect(admin.role == .admin && admin.has(.adminsManage))
        #expect(try decide(admin, .changeRole("admin")).isEmpty)
        admin = try decide(admin, .setPermissions(["leads.delete"])).events.reduce(admin) { AdminState.evolve($0, $1)! }
        #expect(admin.permissions == [.leadsDelete])
        admin = try decide(admin, .disable).events.reduce(admin) { AdminState.evolve($0, $1)! }
        #expect(admin.disabled && !admin.has(.leadsDelete))
        #expect(try decide(admin, .disable).isEmpty)
        let snapshot = admin
        let error = Fixture.error { () throws(DomainError) in try decide(snapshot, .changeRole("manager")) }
        #expect(error?.code == .adminDisabled)
    }

    @Test("permissions guarding commands live on the commands")
    func requiredPermissions() {
        #expect(LeadCommand.delete(reason: nil).requiredPermission == .leadsDelete)
        #expect(LeadCommand.restore().requiredPermission == .leadsRestore)
        #expect(LeadCommand.merge(sources: []).requiredPermission == .leadsMerge)
        #expect(LeadCommand.tag("x").requiredPermission == nil)
        #expect(SettingsCommand.setConvertedLeadLock(true).requiredPermission == .settingsManage)
        #expect(AdminCommand.disable.requiredPermission == .adminsManage)
        #expect(
            Permission.allCases.map(\.rawValue).sorted() == [
                "admins.manage", "leads.delete", "leads.export", "leads.merge", "leads.read.all", "leads.restore", "messages.send",
                "reports.read", "settings.manage",
            ])
    }
}

@Suite("Customers")
struct CustomerTests {
    @Test("a customer registered directly is validated like a lead; updates list only changes")
    func registerAndUpdate() throws {
        let context = Fixture.context()
        let bad = Fixture.error { () throws(DomainError) in
            try CustomerDecider.decide(
                nil,
                .register(CustomerInput(customerId: Fixture.id(600), fullName: "", company: nil, phones: ["1"], emails: ["x"])),
                context: context)
        }
        #expect(bad?.fieldCodes == ["fullName": "required", "phones[0]": "invalidPhone", "emails[0]": "invalidEmail"])
        var customer = try #require(
            CustomerState.replay(
                try CustomerDecider.decide(
                    nil,
                    .register(CustomerInput(customerId: Fixture.id(600), fullName: "Ona", company: "UAB", phones: [], emails: [])), context: context
                ).events))
        let update = try CustomerDecider.decide(
            customer, .update(fullName: "Ona", company: "UAB Ona", phones: nil, emails: nil, address: nil),
            context: context)
        guard case .customerUpdated(let e) = try #require(update.events.first) else {
            Issue.record("expected CustomerUpdated")
            return
        }
        #expect(e.changes.company == Change(from: "UAB", to: "UAB Ona") && e.changes.fullName == nil)
        customer = update.events.reduce(customer) { CustomerState.evolve($0, $1)! }
        #expect(customer.company == "UAB Ona" && customer.version == 2)
        #expect(
            try CustomerDecider.decide(
                customer, .update(fullName: "Ona", company: nil, phones: nil, emails: nil, address: nil),
                context: context
            ).isEmpty)
    }
}

@Suite("Error shape")
struct DomainErrorTests {
    @Test("every error code carries the category the HTTP layer maps to a status")
    func categories() {
        let expected: [(DomainError.Code, DomainError.Category)] = [
            (.validationFailed, .validation), (.leadNotFound, .notFound), (.customerNotFound, .notFound),
            (.adminNotFound, .notFound), (.actionNotFound, .notFound), (.taskNotFound, .notFound),
            (.tokenNotFound, .notFound), (.alreadyExists, .conflict), (.leadDeleted, .conflict),
            (.leadLocked, .conflict), (.leadMerged, .conflict), (.notOnLastStep, .conflict),
            (.alreadyConverted, .conflict), (.invalidMerge, .conflict), (.adminDisabled, .conflict),
            (.forbidden, .forbidden),
        ]
        for (code, category) in expected { #expect(code.category == category, "\(code)") }
    }

    @Test("commands on a missing admin or customer are notFound")
    func missingAggregates() {
        let admin = Fixture.error { () throws(DomainError) in
            try AdminDecider.decide(nil, .disable, context: Fixture.context())
        }
        #expect(admin?.code == .adminNotFound)
        let customer = Fixture.error { () throws(DomainError) in
            try CustomerDecider.decide(
                nil, .update(fullName: "X", company: nil, phones: nil, emails: nil, address: nil),
                context: Fixture.context())
        }
        #expect(customer?.code == .customerNotFound)
    }

    @Test("a validation error's message names the failing fields")
    func message() {
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                nil, .create(leadId: Fixture.leadId, LeadInput(fullName: "", emails: ["x"])), context: Fixture.context()
            )
        }
        #expect(error?.message == "Invalid input: fullName, emails[0]")
        #expect(error?.fieldErrors.map(\.field) == ["fullName", "emails[0]"])
    }
}
