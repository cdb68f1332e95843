import Foundation
import Testing

@testable import LeadDomain

@Suite("Updating a lead")
struct LeadUpdateTests {
    @Test("an update produces LeadUpdated with only the changed fields, from → to")
    func onlyChangedFields() throws {
        var lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "Jonas", company: "UAB Rasa", comment: "old"))
        let events = try Fixture.apply(
            .update(LeadPatch(fullName: "Jonas", company: "UAB Rasa", phones: ["+37061234567"], comment: "")), to: &lead
        )
        guard case .leadUpdated(let updated) = try #require(events.first) else {
            Issue.record("expected LeadUpdated, got \(events)")
            return
        }
        #expect(events.count == 1)
        #expect(updated.changes.changedFields == ["comment", "phones"])
        #expect(updated.changes.comment == Change(from: "old", to: nil))
        #expect(updated.changes.phones?.to.map(\.digits) == ["37061234567"])
        #expect(lead.comment == nil)
        #expect(lead.version == 2)
        #expect(lead.updatedBy == Fixture.manager)
    }

    @Test("an update that changes nothing decides no event")
    func noChange() throws {
        var lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "Jonas", company: "UAB"))
        #expect(try Fixture.apply(.update(LeadPatch(fullName: " Jonas ", company: "UAB")), to: &lead).isEmpty)
        #expect(try Fixture.apply(.update(LeadPatch()), to: &lead).isEmpty)
    }

    @Test("custom fields are set, changed and cleared per key")
    func customFields() throws {
        let settings = try Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int))
        ])
        var lead = try Fixture.lead(
            Fixture.leadId, LeadInput(fullName: "J", customFields: ["budget": .int(1)]), settings: settings)
        try Fixture.apply(.update(LeadPatch(customFields: ["budget": .int(2)])), to: &lead, settings: settings)
        #expect(lead.customFields["budget"] == .int(2))
        try Fixture.apply(
            .update(LeadPatch(customFields: ["budget": CustomFieldValue?.none])), to: &lead, settings: settings)
        #expect(lead.customFields["budget"] == nil)
    }

    @Test("a required field cannot be cleared; invalid values are listed")
    func requiredAndInvalid() throws {
        let settings = try Fixture.settings([.setRequiredFields([.company])])
        let lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "J", company: "UAB"), settings: settings)
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                lead, .update(LeadPatch(fullName: "", company: "", emails: ["x@"], source: "nope")),
                context: Fixture.context(settings))
        }
        #expect(
            error?.fieldCodes == [
                "fullName": "required", "company": "required", "emails[0]": "invalidEmail", "source": "unknownSource",
            ])
    }

    @Test("marking a step moves the progress to any active step, forward or back; unknown steps are refused")
    func markStep() throws {
        var lead = try Fixture.lead()
        try Fixture.apply(.markStep("proposal"), to: &lead)
        #expect(lead.step == "proposal")
        let back = try Fixture.apply(.markStep("contacted"), to: &lead)
        #expect(
            back == [
                .leadStepMarked(
                    LeadStepMarked(
                        leadId: lead.id, from: "proposal", to: "contacted", at: Fixture.t0.adding(seconds: 60),
                        by: Fixture.manager))
            ])
        #expect(try Fixture.apply(.markStep("contacted"), to: &lead).isEmpty)
        let snapshot = lead
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .markStep("moon"), context: Fixture.context())
        }
        #expect(error?.fieldCodes == ["step": "unknownStep"])
    }

    @Test("assigning, tagging and watching twice are no-ops; untagging matches case-folded")
    func idempotent() throws {
        var lead = try Fixture.lead()
        #expect(try Fixture.apply(.assign(Fixture.manager), to: &lead).count == 1)
        #expect(try Fixture.apply(.assign(Fixture.manager), to: &lead).isEmpty)
        #expect(try Fixture.apply(.tag("Šiauliai"), to: &lead).count == 1)
        #expect(try Fixture.apply(.tag(" šiauliai "), to: &lead).isEmpty)
        #expect(try Fixture.apply(.addWatcher(Fixture.admin), to: &lead).count == 1)
        #expect(try Fixture.apply(.addWatcher(Fixture.admin), to: &lead).isEmpty)
        #expect(
            try Fixture.apply(.untag("ŠIAULIAI"), to: &lead) == [
                .leadUntagged(
                    LeadUntagged(
                        leadId: lead.id, tag: "Šiauliai", at: Fixture.t0.adding(seconds: 60), by: Fixture.manager))
            ])
        #expect(try Fixture.apply(.untag("Šiauliai"), to: &lead).isEmpty)
        #expect(try Fixture.apply(.removeWatcher(Fixture.admin), to: &lead).count == 1)
        #expect(try Fixture.apply(.removeWatcher(Fixture.admin), to: &lead).isEmpty)
        #expect(lead.tags.isEmpty && lead.watchers.isEmpty)
    }

    @Test("a lead pauses until a future time only, and resumes")
    func pause() throws {
        var lead = try Fixture.lead()
        let until = Fixture.t0.adding(seconds: 86_400)
        try Fixture.apply(.pause(until: until), to: &lead)
        #expect(lead.pausedUntil == until)
        #expect(lead.isPaused(at: Fixture.t0.adding(seconds: 100)))
        #expect(!lead.isPaused(at: until))
        #expect(try Fixture.apply(.pause(until: until), to: &lead).isEmpty)
        let snapshot = lead
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .pause(until: Fixture.t0), context: Fixture.context())
        }
        #expect(error?.fieldCodes == ["until": "notInFuture"])
        try Fixture.apply(.resume, to: &lead)
        #expect(lead.pausedUntil == nil)
        #expect(try Fixture.apply(.resume, to: &lead).isEmpty)
    }

    @Test("copying data overwrites the chosen fields with the other lead's non-empty values")
    func copyData() throws {
        let settings = try Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int))
        ])
        var target = try Fixture.lead(
            Fixture.id(1), LeadInput(fullName: "Target", company: "Old", comment: "keep"), settings: settings)
        let source = try Fixture.lead(
            Fixture.id(2),
            LeadInput(fullName: "Source", company: "New", emails: ["s@new.lt"], customFields: ["budget": .int(9)]),
            settings: settings)
        let events = try Fixture.apply(
            .copyData(from: source.id, fields: [.company, .emails, .comment, .customFields]), to: &target,
            settings: settings, related: RelatedStates(leads: [source]))
        guard case .leadDataCopied(let copied) = try #require(events.first) else {
            Issue.record("expected LeadDataCopied")
            return
        }
        #expect(copied.fromLeadId == source.id)
        #expect(copied.changes.changedFields == ["company", "customFields.budget", "emails"])
        #expect(
            target.company == "New" && target.emails == ["s@new.lt"] && target.comment == "keep"
                && target.fullName == "Target")
        let snapshot = target
        let missing = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                snapshot, .copyData(from: Fixture.id(3), fields: [.company]), context: Fixture.context())
        }
        #expect(missing?.code == .leadNotFound)
        let invalid = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .copyData(from: snapshot.id, fields: []), context: Fixture.context())
        }
        #expect(invalid?.fieldCodes == ["fields": "required", "from": "invalidValue"])
    }
}
