import Foundation
import Testing

@testable import LeadDomain

@Suite("Merging leads")
struct LeadMergeTests {
    @Test("the target keeps its id; each field takes the first non-empty value: target, then sources by step then age")
    func firstNonEmptyWins() throws {
        var target = try Fixture.lead(Fixture.id(1), LeadInput(fullName: "Target", phones: ["+370 612 34567"]), at: 30)
        target.step = "new"
        // Oldest, but on an early step.
        let old = try Fixture.lead(
            Fixture.id(2),
            LeadInput(
                fullName: "Old", company: "Old UAB", phones: ["370-612-34567"], emails: ["a@x.lt"], comment: "old"),
            at: 0)
        // Newer, but furthest in the pipeline: wins over `old`.
        var far = try Fixture.lead(
            Fixture.id(3), LeadInput(fullName: "Far", company: "Far UAB", emails: ["A@X.lt", "b@x.lt"], tags: ["VIP"]),
            at: 10)
        try Fixture.apply(.markStep("proposal"), to: &far)
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(30), text: "far note")), to: &far)
        try Fixture.apply(.addWatcher(Fixture.admin), to: &far)
        var same = try Fixture.lead(Fixture.id(4), LeadInput(fullName: "Same", company: "Same UAB"), at: 20)
        try Fixture.apply(.markStep("proposal"), to: &same)
        try Fixture.apply(.task(.add(TaskInput(taskId: Fixture.id(40), taskType: "meeting", description: "m"))), to: &same)

        let decision = try LeadDecider.decide(
            target, .merge(sources: [old.id, same.id, far.id]), context: Fixture.context(),
            related: RelatedStates(leads: [old, far, same]))
        guard case .leadsMerged(let merged) = try #require(decision.events(for: StreamID.lead(target.id)).first) else {
            Issue.record("expected LeadsMerged")
            return
        }
        #expect(merged.sourceLeadIds == [far.id, same.id, old.id])
        let result = try #require(LeadState.evolve(target, .leadsMerged(merged)))
        #expect(result.id == target.id)
        #expect(result.fullName == "Target")
        #expect(result.company == "Far UAB")
        #expect(result.comment == "old")
        #expect(result.phones.map(\.typed) == ["+370 612 34567"])
        #expect(result.emails == ["A@X.lt", "b@x.lt"])
        #expect(result.tags == ["VIP"])
        #expect(result.watchers == [Fixture.admin])
        #expect(result.notes.map(\.id) == [Fixture.id(30)])
        #expect(result.tasks.map(\.id) == [Fixture.id(40)])
        #expect(result.mergedFrom == [far.id, same.id, old.id])
        for source in [old, far, same] {
            #expect(
                decision.events(for: StreamID.lead(source.id))
                    == [
                        .leadMergedInto(
                            LeadMergedInto(
                                leadId: source.id, targetLeadId: target.id, at: Fixture.t0.adding(seconds: 60),
                                by: Fixture.manager))
                    ])
        }
    }

    @Test("merging a lead into itself, a deleted or an already merged lead is refused")
    func refused() throws {
        let target = try Fixture.lead(Fixture.id(1))
        var deleted = try Fixture.lead(Fixture.id(2))
        try Fixture.apply(.delete(reason: nil), to: &deleted)
        var merged = try Fixture.lead(Fixture.id(3))
        merged.mergedInto = Fixture.id(9)
        let related = RelatedStates(leads: [deleted, merged])
        for sources in [[target.id], [deleted.id], [merged.id]] {
            let error = Fixture.error { () throws(DomainError) in
                try LeadDecider.decide(target, .merge(sources: sources), context: Fixture.context(), related: related)
            }
            #expect(error?.code == .invalidMerge, "\(sources)")
        }
        let intoDeleted = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                deleted, .merge(sources: [target.id]), context: Fixture.context(),
                related: RelatedStates(leads: [target]))
        }
        #expect(intoDeleted?.code == .leadDeleted)
        let intoMerged = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                merged, .merge(sources: [target.id]), context: Fixture.context(),
                related: RelatedStates(leads: [target]))
        }
        #expect(intoMerged?.code == .leadMerged)
        let missing = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(target, .merge(sources: [Fixture.id(8)]), context: Fixture.context())
        }
        #expect(missing?.code == .leadNotFound)
        let empty = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(target, .merge(sources: []), context: Fixture.context())
        }
        #expect(empty?.fieldCodes == ["sources": "required"])
    }
}
