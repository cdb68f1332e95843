import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@Suite("Duplicates, customers and admins")
struct DuplicatesAndCustomersTests {
    @Test("duplicate groups appear on a shared phone or e-mail and disappear on edit, delete and merge")
    func duplicatesLifecycle() throws {
        var w = ProjectionWorld()
        let a = try w.create("A", phones: ["+370 612 34567"], emails: ["Ona@Example.com"])
        let b = try w.create("B", phones: ["8 (370) 612-34567"])  // other digits: not a duplicate
        let c = try w.create("C", emails: [" ona@example.COM "])
        let d = try w.create("D", phones: ["37061234567"])
        var groups = w.projections.duplicateGroups().groups
        #expect(groups.count == 2)
        #expect(Set(groups.map(\.key.kind)) == [.phone, .email])
        #expect(groups.first { $0.key.kind == .email }.map { Set($0.leadIds) } == [a, c])
        #expect(groups.first { $0.key.kind == .phone }.map { Set($0.leadIds) } == [a, d])
        #expect(Set(w.projections.possibleDuplicates(of: a).map(\.leadId)) == [c, d])
        #expect(w.projections.possibleDuplicates(of: b).isEmpty)

        try w.run(c, .update(LeadPatch(emails: ["other@example.com"])))
        groups = w.projections.duplicateGroups().groups
        #expect(groups.map(\.key.kind) == [.phone])
        try w.run(d, .delete(reason: nil))
        #expect(w.projections.duplicateGroups().total == 0)
        try w.run(d, .restore())
        #expect(w.projections.duplicateGroups().total == 1)
        try w.run(a, .merge(sources: [d]))
        #expect(w.projections.duplicateGroups().total == 0)
        #expect(w.projections.possibleDuplicates(of: d).isEmpty)
    }

    @Test("groups are listed largest first, then by key, and page exactly")
    func groupOrder() throws {
        var w = ProjectionWorld()
        for i in 0..<3 { _ = try w.create("Big \(i)", phones: ["+370 600 00000"]) }
        for i in 0..<2 { _ = try w.create("Small \(i)", emails: ["b@example.com"]) }
        for i in 0..<2 { _ = try w.create("Small \(i)", emails: ["a@example.com"]) }
        let first = w.projections.duplicateGroups(limit: 2)
        #expect(first.groups.map(\.key.value) == ["37060000000", "a@example.com"])
        #expect(first.total == 3)
        let second = w.projections.duplicateGroups(after: first.next, limit: 2)
        #expect(second.groups.map(\.key.value) == ["b@example.com"])
        #expect(second.next == nil)
    }

    @Test("a customer lists its linked leads, and the unlinked leads sharing one of its e-mails")
    func customers() throws {
        var w = ProjectionWorld()
        let won = try w.create("Jonas", emails: ["jonas@rasa.lt"], step: "won")
        let customer = w.newID()
        try w.run(won, .convert(customerId: customer))
        let sameEmail = try w.create("Jonas again", emails: ["JONAS@rasa.lt"])
        let linked = try w.create("Linked", emails: ["jonas@rasa.lt"])
        try w.run(linked, .linkCustomer(customer))
        _ = try w.create("Unrelated", emails: ["x@rasa.lt"])

        #expect(w.projections.customer(customer)?.fromLeadId == won)
        #expect(Set(w.projections.linkedLeads(ofCustomer: customer).map(\.id)) == [won, linked])
        #expect(w.projections.leadsMatchingByEmail(customer: customer).map(\.id) == [sameEmail])
        try w.run(sameEmail, .delete(reason: nil))
        #expect(w.projections.leadsMatchingByEmail(customer: customer).isEmpty)
    }

    @Test("a token authenticates its admin until it is revoked, expires or the admin is disabled")
    func tokens() throws {
        var w = ProjectionWorld()
        let adminId = w.newID()
        let token1 = w.newID()
        let token2 = w.newID()
        w.emit(.adminCreated(AdminCreated(adminId: adminId, name: "Rūta", role: .manager, permissions: [], at: w.now, by: w.admin)))
        w.emit(.tokenIssued(TokenIssued(adminId: adminId, tokenId: token1, label: "cli", sha256: "aa", at: w.now, by: w.admin)))
        w.emit(
            .tokenIssued(
                TokenIssued(adminId: adminId, tokenId: token2, label: "web", sha256: "bb", expiresAt: w.now.adding(seconds: 60), at: w.now, by: w.admin)))
        #expect(w.projections.authenticate(tokenSHA256: "aa", now: w.now)?.id == adminId)
        #expect(w.projections.authenticate(tokenSHA256: "bb", now: w.now)?.name == "Rūta")
        #expect(w.projections.authenticate(tokenSHA256: "bb", now: w.now.adding(seconds: 60)) == nil)
        #expect(w.projections.authenticate(tokenSHA256: "cc", now: w.now) == nil)
        w.emit(.tokenRevoked(TokenRevoked(adminId: adminId, tokenId: token1, at: w.now, by: w.admin)))
        #expect(w.projections.authenticate(tokenSHA256: "aa", now: w.now) == nil)
        #expect(w.projections.authenticate(tokenSHA256: "bb", now: w.now) != nil)
        w.emit(.adminDisabled(AdminDisabled(adminId: adminId, at: w.now, by: w.admin)))
        #expect(w.projections.authenticate(tokenSHA256: "bb", now: w.now) == nil)
        #expect(w.projections.admin(adminId)?.disabled == true)
    }

    @Test("settings are the fold of the settings stream, defaults when empty")
    func settings() {
        var w = ProjectionWorld()
        #expect(w.projections.settings == .defaults)
        w.emit(.stepRenamed(StepRenamed(key: "new", from: "New", to: "Fresh", at: w.now, by: w.admin)))
        #expect(w.projections.settings.steps.first?.name == "Fresh")
    }
}

@Suite("Customer list")
struct CustomerListTests {
    @Test("customers are listed by folded name, then id, and page after an id")
    func list() throws {
        var w = ProjectionWorld()
        for name in ["Žilvinas", "ada", "Bronė"] {
            w.emit(.customerRegistered(CustomerRegistered(customerId: w.newID(), kind: .person, fullName: name, phones: [], emails: [], at: w.now, by: w.admin)))
        }
        let all = w.projections.customers()
        #expect(all.map(\.fullName) == ["ada", "Bronė", "Žilvinas"])
        #expect(w.projections.customers(limit: 1, after: all[0].id).map(\.fullName) == ["Bronė"])
    }
}
