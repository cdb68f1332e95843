import Foundation
import Testing

@testable import LeadDomain

@Suite("State values")
struct StateSnapshotTests {
    @Test("states survive a Codable round trip (projections snapshot them)")
    func codable() throws {
        var lead = try Fixture.lead(
            Fixture.leadId, LeadInput(fullName: "Ёлкин", phones: ["+37061234567"], tags: ["VIP"]))
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(1), text: "call", actionType: "call")), to: &lead)
        try Fixture.apply(.pause(until: Fixture.t0.adding(seconds: 1_000)), to: &lead)
        let settings = try Fixture.settings([.defineCustomField(CustomFieldDefinition(key: "x", name: "X", type: .int))]
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try JSONDecoder().decode(LeadState.self, from: encoder.encode(lead)) == lead)
        #expect(try JSONDecoder().decode(SettingsState.self, from: encoder.encode(settings)) == settings)
    }

    @Test("replaying the same events gives byte-identical encoded state")
    func deterministicReplay() throws {
        let events = DomainEvent.examples.filter { $0.leadId == DomainEvent.examples[0].leadId }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let first = try encoder.encode(LeadState.replay(events))
        let second = try encoder.encode(LeadState.replay(events))
        #expect(first == second)
        #expect(LeadState.replay(events)?.version == UInt64(events.count))
    }

    @Test("each aggregate folds only its own events")
    func foldsOwnEvents() throws {
        let settings = SettingsState.replay(DomainEvent.examples)
        #expect(settings.version == UInt64(DomainEvent.examples.filter { $0.kind.streamKind == .settings }.count))
        let customer = try #require(CustomerState.replay(DomainEvent.examples))
        #expect(customer.version == 5 && customer.company == "UAB Rasa ir partneriai")
        #expect(customer.companyId == nil && !customer.deleted)
        let admin = try #require(AdminState.replay(DomainEvent.examples))
        #expect(admin.version == 6 && admin.disabled && admin.role == .admin)
    }
}
