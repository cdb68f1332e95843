import Foundation
import Testing

@testable import LeadDomain

@Suite("Settings")
struct SettingsTests {
    private func refused(_ command: SettingsCommand, on settings: SettingsState = .defaults) -> DomainError? {
        Fixture.error { () throws(DomainError) in
            try SettingsDecider.decide(settings, command, context: Fixture.context(settings, actor: Fixture.admin))
        }
    }

    @Test("an empty settings stream has a sensible default pipeline, sources, task types, limits and scale")
    func defaults() {
        let s = SettingsState.defaults
        #expect(s.activeSteps.map(\.key) == ["new", "contacted", "qualified", "proposal", "won"])
        #expect(s.conversionStep == "won")
        #expect(s.defaultStep == "new" && s.defaultSource == "manual")
        #expect(s.fieldLimits == .standard)
        #expect(s.assessmentScale == ["1", "2", "3", "4", "5"])
        #expect(!s.lockConvertedLeads)
        #expect(SettingsState.replay([]) == s)
    }

    @Test("a defined step goes to the end of the pipeline and becomes the conversion step")
    func defineStep() throws {
        let s = try Fixture.settings([.defineStep(key: "signed", name: "Signed", colour: "#00ff00", description: nil)])
        #expect(s.conversionStep == "signed")
    }

    @Test("steps are renamed, reordered and retired; the last active step is the conversion step")
    func stepLifecycle() throws {
        let s = try Fixture.settings([
            .renameStep(key: "new", name: "Incoming"),
            .reorderSteps(["new", "qualified", "contacted", "won", "proposal"]),
            .retireStep(key: "proposal"),
        ])
        #expect(s.steps.first?.name == "Incoming")
        #expect(s.activeSteps.map(\.key) == ["new", "qualified", "contacted", "won"])
        #expect(s.conversionStep == "won")
        #expect(!s.isActiveStep("proposal"))
        #expect(s.version == 3)
    }

    @Test("settings commands are validated: keys, duplicates, names, colours, permutations, the last step")
    func validation() throws {
        #expect(
            refused(.defineStep(key: "Bad Key", name: "", colour: "red", description: nil))?.fieldCodes
                == ["key": "invalidKey", "name": "required", "colour": "invalidValue"])
        #expect(
            refused(.defineStep(key: "new", name: "contacted", colour: "#ffffff", description: nil))?.fieldCodes
                == ["key": "duplicate", "name": "duplicate"])
        #expect(refused(.renameStep(key: "new", name: "WON"))?.fieldCodes == ["name": "duplicate"])
        #expect(refused(.renameStep(key: "moon", name: "Moon"))?.fieldCodes == ["key": "unknownStep"])
        #expect(refused(.reorderSteps(["new", "won"]))?.fieldCodes == ["order": "notAPermutation"])
        #expect(
            refused(.reorderSteps(["new", "new", "qualified", "proposal", "won"]))?.fieldCodes == [
                "order": "notAPermutation"
            ])
        #expect(refused(.retireStep(key: "new"))?.fieldCodes == ["key": "conflict"])
        let one = try Fixture.settings([
            .retireStep(key: "contacted"), .retireStep(key: "qualified"), .retireStep(key: "proposal"),
            .setDefaults(step: "won", source: "manual"), .retireStep(key: "new"),
        ])
        #expect(refused(.retireStep(key: "won"), on: one)?.fieldCodes == ["key": "lastStep"])
        #expect(refused(.retireSource(key: "manual"))?.fieldCodes == ["key": "conflict"])
        #expect(refused(.defineSource(key: "web", name: "website"))?.fieldCodes == ["name": "duplicate"])
        #expect(refused(.renameSource(key: "phone", name: "E-MAIL"))?.fieldCodes == ["name": "duplicate"])
        #expect(refused(.retireTaskType(key: "nope"))?.fieldCodes == ["key": "unknownTaskType"])
        #expect(
            refused(.setDefaults(step: "moon", source: "mars"))?.fieldCodes == [
                "step": "unknownStep", "source": "unknownSource",
            ])
        #expect(refused(.setAssessmentScale([]))?.fieldCodes == ["values": "required"])
        #expect(
            refused(.setAssessmentScale(["low", "low", " "]))?.fieldCodes == [
                "values[1]": "duplicate", "values[2]": "required",
            ])
        #expect(refused(.setFieldLimits(.custom, custom: nil))?.fieldCodes == ["limits": "required"])
        #expect(refused(.setRequiredFields([.company, .customFields]))?.fieldCodes == ["fields[1]": "invalidValue"])
        #expect(
            refused(.defineCustomField(CustomFieldDefinition(key: "x", name: "X", type: .list)))?.fieldCodes == [
                "options": "required"
            ])
        #expect(
            refused(.defineCustomField(CustomFieldDefinition(key: "x", name: "X", type: .string, maxLength: 5_000)))?
                .fieldCodes
                == ["maxLength": "outOfRange"])
        let withField = try Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "x", name: "X", type: .int))
        ])
        #expect(
            refused(.defineCustomField(CustomFieldDefinition(key: "x", name: "X", type: .flag)), on: withField)?
                .fieldCodes
                == ["type": "conflict"])
    }

    @Test("repeating a satisfied settings command decides no events")
    func idempotent() throws {
        let s = SettingsState.defaults
        for command: SettingsCommand in [
            .renameStep(key: "new", name: "New"), .reorderSteps(["new", "contacted", "qualified", "proposal", "won"]),
            .setDefaults(step: "new", source: "manual"), .setConvertedLeadLock(false),
            .setFieldLimits(.default, custom: nil),
            .setAssessmentScale(["1", "2", "3", "4", "5"]), .setRequiredFields([]), .removeTag(name: "nope"),
        ] {
            #expect(try SettingsDecider.decide(s, command, context: Fixture.context(s)).isEmpty, "\(command)")
        }
        let retired = try Fixture.settings([.retireSource(key: "email")])
        #expect(
            try SettingsDecider.decide(retired, .retireSource(key: "email"), context: Fixture.context(retired)).isEmpty)
    }

    @Test("tags, action types, task types, sources, limits, required fields, scale and lock all take effect")
    func everythingTakesEffect() throws {
        let s = try Fixture.settings([
            .defineTag(name: " VIP ", colour: "#ff0000"), .defineActionType(key: "sms", name: "SMS"),
            .defineTaskType(key: "send-offer", name: "Send offer"), .defineSource(key: "fair", name: "Fair"),
            .setDefaults(step: "contacted", source: "fair"),
            .setFieldLimits(
                .custom, custom: FieldLimits(name: 10, customText: 10, note: 10, comment: 10, taskDescription: 10)),
            .setRequiredFields([.emails, .company, .emails]), .setAssessmentScale(["weak", "strong"]),
            .setConvertedLeadLock(true),
            .retireActionType(key: "email"),
        ])
        #expect(s.tags == [TagDefinition(name: "VIP", colour: "#ff0000")])
        #expect(s.isActiveActionType("sms") && !s.isActiveActionType("email"))
        #expect(s.isActiveTaskType("send-offer"))
        #expect(s.defaultStep == "contacted" && s.defaultSource == "fair")
        #expect(s.fieldLimitsPreset == .custom && s.fieldLimits.name == 10)
        #expect(s.requiredFields == [.company, .emails])
        #expect(s.assessmentScale == ["weak", "strong"] && s.lockConvertedLeads)
        let lead = try Fixture.lead(
            Fixture.leadId, LeadInput(fullName: "J", company: "UAB", emails: ["j@u.lt"], assessment: "weak"),
            settings: s)
        #expect(lead.step == "contacted" && lead.source == "fair" && lead.assessment == "weak")
    }
}

@Suite("Retired settings entries")
struct RetiredEntryTests {
    @Test("a retired step keeps its leads but cannot be chosen; a retired custom field accepts no new values")
    func retired() throws {
        let settings = try Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int))
        ])
        var lead = try Fixture.lead(
            Fixture.leadId, LeadInput(fullName: "J", step: "qualified", customFields: ["budget": .int(5)]),
            settings: settings)
        let retired = try Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int)),
            .retireStep(key: "qualified"), .retireCustomField(key: "budget"), .retireSource(key: "website"),
        ])
        #expect(lead.step == "qualified" && lead.customFields["budget"] == .int(5))
        let snapshot = lead
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                snapshot, .update(LeadPatch(source: "website", customFields: ["budget": .int(6)])),
                context: Fixture.context(retired))
        }
        #expect(error?.fieldCodes == ["source": "unknownSource", "customFields.budget": "unknownCustomField"])
        let step = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .markStep("qualified"), context: Fixture.context(retired))
        }
        #expect(step?.fieldCodes == ["step": "unknownStep"])
        // Clearing the retired field's old value is still possible, and notes may still go to the retired step.
        #expect(
            try Fixture.apply(
                .update(LeadPatch(customFields: ["budget": CustomFieldValue?.none])), to: &lead, settings: retired
            ).count == 1)
        #expect(lead.customFields["budget"] == nil)
        #expect(
            try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(5), text: "n")), to: &lead, settings: retired)
                .first?.kind
                == .noteAdded)
    }
}
