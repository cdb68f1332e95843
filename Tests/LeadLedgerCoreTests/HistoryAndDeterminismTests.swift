import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@Suite("History renderer, determinism, golden JSON")
struct HistoryAndDeterminismTests {
    let manager = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!

    /// A script touching every kind of projection: leads through most commands, a merge, a conversion,
    /// settings, an admin with a token.
    func script() throws -> ProjectionWorld {
        var w = ProjectionWorld()
        w.emit(.adminCreated(AdminCreated(adminId: manager, name: "Rūta", role: .manager, permissions: [], at: w.now, by: w.admin)))
        w.emit(.tokenIssued(TokenIssued(adminId: manager, tokenId: w.newID(), label: "cli", sha256: "ab", at: w.now, by: w.admin)))
        w.emit(.customFieldDefined(CustomFieldDefined(field: CustomFieldDefinition(key: "budget", name: "Budget", type: .int), at: w.now, by: w.admin)))
        let a = try w.create(
            "Julija Žemaitė", company: "UAB Rasa", phones: ["+370 612 34567"], emails: ["julija@rasa.lt"],
            responsible: manager, tags: ["VIP"], competitor: "Telia", assessment: "3", customFields: ["budget": .int(5)])
        let b = try w.create("Пётр Ёлкин", phones: ["+370 612 34567"], source: "website")
        let c = try w.create("Šarūnas", emails: ["s@example.com"], step: "proposal")
        w.advance(seconds: 3_600)
        try w.run(a, .markStep("contacted"))
        try w.run(a, .addWatcher(manager))
        let action = w.newID()
        try w.run(a, .addEntry(EntryInput(entryId: action, text: "Call back", actionType: "call", admin: manager, plannedAt: w.now.adding(seconds: 600))))
        try w.run(a, .addEntry(EntryInput(entryId: w.newID(), text: "Nice person")))
        try w.run(a, .pinAction(action))
        try w.run(a, .task(.add(TaskInput(taskId: w.newID(), taskType: "contact-client", description: "Send offer"))))
        try w.run(b, .pause(until: w.now.adding(seconds: 86_400)))
        w.advance(seconds: 3_600)
        try w.run(a, .update(LeadPatch(phones: ["+370 612 34567", "+370 699 00000"])))
        try w.run(a, .completeAction(action))
        try w.run(c, .markStep("won"))
        try w.run(c, .convert(customerId: w.newID()))
        try w.run(a, .merge(sources: [b]))
        try w.run(a, .tag("hot"))
        try w.run(a, .untag("vip"))
        w.emit(.stepsReordered(StepsReordered(order: ["new", "qualified", "contacted", "proposal", "won"], at: w.now, by: w.admin)))
        try w.run(c, .delete(reason: "test"))
        try w.run(c, .restore())
        return w
    }

    @Test("every lead event type renders a summary; names come from settings and admins")
    func everyLeadEventType() throws {
        let leadEvents = DomainEvent.examples.filter { $0.kind.streamKind == .lead }
        #expect(Set(leadEvents.map(\.kind)) == Set(EventKind.allCases.filter { $0.streamKind == .lead }))
        let applied = leadEvents.enumerated().map { i, e in
            AppliedEvent(position: UInt64(i + 1), streamId: e.streamID, streamVersion: UInt64(i + 1), recordedAt: e.at.rawValue, actor: "admin-x", event: e)
        }
        let entries = LeadHistory.render(applied, settings: .defaults)
        #expect(entries.count == leadEvents.count)
        for entry in entries {
            #expect(!entry.summary.isEmpty && entry.summary != entry.type, "\(entry.type)")
        }
    }

    @Test("history entries read as sentences with field changes from → to")
    func sentences() throws {
        let w = try script()
        let a = try #require(w.projections.leads(LeadQuery(q: "julija"), now: w.now).rows.first)
        let events = w.log.filter { $0.streamId == StreamID.lead(a.id) }
        let entries = LeadHistory.render(events, settings: w.projections.settings, adminNames: w.adminNames)
        let summaries = entries.map(\.summary)
        #expect(summaries.contains("Moved to step Contacted"))
        #expect(summaries.contains("Phone +370 699 00000 added"))
        #expect(summaries.contains("Rūta now watches the lead"))
        #expect(summaries.contains("Action \"Call back\" completed"))
        #expect(summaries.contains("Merged 1 lead into this one"))
        #expect(summaries.contains("Tag VIP removed"))
        let step = try #require(entries.first { $0.type == "LeadStepMarked" })
        #expect(step.changes == [FieldChange(field: "step", from: "New", to: "Contacted")])
        #expect(entries.map(\.position) == events.map(\.position))
        #expect(LeadHistory.format(Timestamp(microseconds: 1_763_900_000_000_000)) == "2025-11-23 12:13 UTC")
    }

    @Test("the same events give identical stores and golden JSON; replaying the log equals the live store")
    func determinism() throws {
        let first = try script()
        let second = try script()
        #expect(first.projections.difference(from: second.projections) == nil)
        #expect(first.projections.goldenJSON() == second.projections.goldenJSON())
        let rebuilt = WorldProjections()
        rebuilt.apply(first.log)
        #expect(rebuilt.difference(from: first.projections) == nil)
        // Re-applying an already applied position changes nothing.
        rebuilt.apply([first.log[0]])
        #expect(rebuilt.difference(from: first.projections) == nil)
    }

    @Test("golden JSON names every projection")
    func golden() throws {
        let w = try script()
        let golden = w.projections.goldenJSON()
        #expect(Set(golden.keys) == ["directory", "kanban", "watchers", "reports", "duplicates", "customers", "settings", "admins"])
        for (name, data) in golden { #expect(data.count > 2, "\(name)") }
        let kanban = String(decoding: golden["kanban"]!, as: UTF8.self)
        #expect(kanban.contains("\"step\" : \"qualified\""))
    }
}
