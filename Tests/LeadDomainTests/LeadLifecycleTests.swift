import Foundation
import Testing

@testable import LeadDomain

/// One of every lead command but create, for "refuses every command" specifications.
private let everyCommand: [LeadCommand] = [
    .update(LeadPatch(fullName: "X")), .markStep("contacted"), .assign(Fixture.admin), .tag("t"), .untag("t"),
    .addWatcher(Fixture.admin), .removeWatcher(Fixture.admin),
    .addEntry(EntryInput(entryId: Fixture.id(50), text: "n")),
    .pinAction(Fixture.id(51)), .unpinAction(Fixture.id(51)), .completeAction(Fixture.id(51)),
    .task(.add(TaskInput(taskId: Fixture.id(52), taskType: "meeting", description: "m"))), .task(.close(Fixture.id(52))),
    .pause(until: Fixture.t0.adding(seconds: 999_999)), .resume, .copyData(from: Fixture.id(53), fields: [.company]),
    .merge(sources: [Fixture.id(53)]), .linkCustomer(Fixture.id(54)), .convert(customerId: Fixture.id(55)),
    .delete(reason: nil), .restore(),
]

@Suite("Deleting, restoring, converting and locking")
struct LeadLifecycleTests {
    @Test("a deleted lead refuses every command but restore")
    func deletedRefuses() throws {
        var lead = try Fixture.lead()
        try Fixture.apply(.delete(reason: "spam"), to: &lead)
        #expect(lead.deleted)
        let snapshot = lead
        for command in everyCommand where command != .restore() {
            let error = Fixture.error { () throws(DomainError) in
                try LeadDecider.decide(snapshot, command, context: Fixture.context())
            }
            #expect(error?.code == .leadDeleted, "\(command)")
        }
        #expect(try Fixture.apply(.restore(), to: &lead).map(\.kind) == [.leadRestored])
    }

    @Test("restore brings back the lead exactly as it was, except version and updated by/at")
    func restoreExactly() throws {
        var lead = try Fixture.lead(
            Fixture.leadId, LeadInput(fullName: "Jonas", phones: ["+37061234567"], tags: ["VIP"]))
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(10), text: "note")), to: &lead)
        try Fixture.apply(
            .task(.add(TaskInput(taskId: Fixture.id(20), taskType: "meeting", description: "meet"))), to: &lead)
        try Fixture.apply(.pause(until: Fixture.t0.adding(seconds: 9_999)), to: &lead)
        let before = lead
        try Fixture.apply(.delete(reason: nil), to: &lead, at: 100)
        try Fixture.apply(.restore(), to: &lead, at: 200)
        #expect(lead.version == before.version + 2)
        #expect(lead.updatedAt == Fixture.t0.adding(seconds: 200))
        var comparable = lead
        comparable.version = before.version
        comparable.updatedAt = before.updatedAt
        comparable.updatedBy = before.updatedBy
        #expect(comparable == before)
        #expect(try Fixture.apply(.restore(), to: &lead).isEmpty)
    }

    @Test("conversion is allowed on the last step only and registers a customer from the lead's data")
    func conversion() throws {
        var lead = try Fixture.lead(
            Fixture.leadId,
            LeadInput(fullName: "Žemaitė", company: "UAB", phones: ["+37061234567"], emails: ["z@uab.lt"]))
        let customerId = Fixture.id(77)
        let snapshot = lead
        let early = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .convert(customerId: customerId), context: Fixture.context())
        }
        #expect(early?.code == .notOnLastStep)
        #expect(early?.category == .conflict)
        try Fixture.apply(.markStep("won"), to: &lead)
        let decision = try LeadDecider.decide(lead, .convert(customerId: customerId), context: Fixture.context())
        #expect(decision.streams.map(\.streamID) == [StreamID.customer(customerId), StreamID.lead(lead.id)])
        let customer = try #require(CustomerState.replay(decision.events(for: StreamID.customer(customerId))))
        #expect(customer.fullName == "Žemaitė" && customer.company == "UAB" && customer.fromLeadId == lead.id)
        #expect(customer.phones == lead.phones && customer.emails == lead.emails)
        #expect(decision.events(for: StreamID.lead(lead.id)).map(\.kind) == [.leadLinkedToCustomer, .leadConverted])
        lead = decision.events(for: StreamID.lead(lead.id)).reduce(lead) { LeadState.evolve($0, $1)! }
        #expect(lead.converted && lead.linkedCustomer == customerId)
        let converted = lead
        let again = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(converted, .convert(customerId: Fixture.id(78)), context: Fixture.context())
        }
        #expect(again?.code == .alreadyConverted)
    }

    @Test("a lead linked to an existing customer converts into that customer")
    func linkThenConvert() throws {
        var lead = try Fixture.lead()
        let customer = try #require(
            CustomerState.replay(
                try CustomerDecider.decide(
                    nil,
                    .register(CustomerInput(customerId: Fixture.id(80), fullName: "C", company: nil, phones: [], emails: [])),
                    context: Fixture.context()
                ).events))
        let snapshot = lead
        let unknown = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .linkCustomer(Fixture.id(81)), context: Fixture.context())
        }
        #expect(unknown?.code == .customerNotFound)
        let related = RelatedStates(leads: [], customers: [customer])
        #expect(
            try Fixture.apply(.linkCustomer(customer.id), to: &lead, related: related).map(\.kind) == [
                .leadLinkedToCustomer
            ])
        #expect(try Fixture.apply(.linkCustomer(customer.id), to: &lead, related: related).isEmpty)
        try Fixture.apply(.markStep("won"), to: &lead)
        let decision = try LeadDecider.decide(lead, .convert(customerId: Fixture.id(99)), context: Fixture.context())
        #expect(
            decision.events == [
                .leadConverted(
                    LeadConverted(
                        leadId: lead.id, customerId: customer.id, at: Fixture.t0.adding(seconds: 60),
                        by: Fixture.manager))
            ])
    }

    @Test("with the lock setting a converted lead refuses edits but still takes notes")
    func locked() throws {
        let settings = try Fixture.settings([.setConvertedLeadLock(true)])
        var lead = try Fixture.lead(settings: settings)
        try Fixture.apply(.markStep("won"), to: &lead, settings: settings)
        let decision = try LeadDecider.decide(
            lead, .convert(customerId: Fixture.id(70)), context: Fixture.context(settings))
        lead = decision.events(for: StreamID.lead(lead.id)).reduce(lead) { LeadState.evolve($0, $1)! }
        let snapshot = lead
        for command in everyCommand where command.isEdit {
            let error = Fixture.error { () throws(DomainError) in
                try LeadDecider.decide(snapshot, command, context: Fixture.context(settings))
            }
            #expect(error?.code == .leadLocked, "\(command)")
        }
        #expect(
            try Fixture.apply(
                .addEntry(EntryInput(entryId: Fixture.id(71), text: "thanks")), to: &lead, settings: settings
            ).count == 1)
        // Without the lock the same edit is fine.
        #expect(try Fixture.apply(.update(LeadPatch(company: "UAB")), to: &lead).count == 1)
    }

    @Test("a merged lead refuses every command")
    func mergedRefuses() throws {
        let target = try Fixture.lead(Fixture.id(1))
        let source = try Fixture.lead(Fixture.id(2))
        let decision = try LeadDecider.decide(
            target, .merge(sources: [source.id]), context: Fixture.context(), related: RelatedStates(leads: [source]))
        let merged = try #require(
            decision.events(for: StreamID.lead(source.id)).reduce(source) { LeadState.evolve($0, $1) })
        #expect(merged.mergedInto == target.id)
        for command in everyCommand {
            let error = Fixture.error { () throws(DomainError) in
                try LeadDecider.decide(merged, command, context: Fixture.context())
            }
            #expect(error?.code == .leadMerged, "\(command)")
        }
    }

    @Test("events of another lead do not change a lead's state")
    func otherLeadsEvents() throws {
        let lead = try Fixture.lead()
        let foreign = DomainEvent.leadTagged(
            LeadTagged(leadId: Fixture.id(9), tag: "x", at: Fixture.t0, by: Fixture.admin))
        #expect(LeadState.evolve(lead, foreign) == lead)
    }
}
