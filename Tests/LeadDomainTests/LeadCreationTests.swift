import Foundation
import Testing

@testable import LeadDomain

@Suite("Creating a lead")
struct LeadCreationTests {
    @Test("a new lead starts on the default step with the default source and normal priority")
    func defaults() throws {
        let lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "  Jonas Jonaitis "))
        #expect(lead.fullName == "Jonas Jonaitis")
        #expect(lead.step == "new")
        #expect(lead.source == "manual")
        #expect(lead.priority == .normal)
        #expect(lead.version == 1)
        #expect(lead.createdBy == Fixture.admin)
        #expect(lead.createdAt == Fixture.t0)
    }

    @Test("phones keep the typed form and are normalized to digits; a leading + is a flag")
    func phones() throws {
        let lead = try Fixture.lead(
            Fixture.leadId, LeadInput(fullName: "J", phones: ["+370 (612) 34-567", "8 612 34567"]))
        #expect(lead.phones.map(\.typed) == ["+370 (612) 34-567", "8 612 34567"])
        #expect(lead.phones.map(\.digits) == ["37061234567", "861234567"])
        #expect(lead.phones.map(\.hasPlus) == [true, false])
    }

    @Test("every failing field is listed at once, each with its code")
    func everyFailingField() {
        let settings = try! Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "budget", name: "Budget", type: .int, maxValue: 100))
        ])
        let input = LeadInput(
            fullName: "  ", phones: ["+370 612 34567", "12", "+370-612-34567"], emails: ["ok@rasa.lt", "not-an-email"],
            address: Address(city: String(repeating: "x", count: 201)), source: "carrier-pigeon", step: "nowhere",
            assessment: "11", tags: ["ok", String(repeating: "t", count: 51), "  "],
            customFields: ["budget": .int(500), "colour": .string("red")],
            comment: String(repeating: "c", count: 5_001))
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(nil, .create(leadId: Fixture.leadId, input), context: Fixture.context(settings))
        }
        #expect(error?.code == .validationFailed)
        #expect(error?.category == .validation)
        #expect(
            error?.fieldCodes == [
                "fullName": "required",
                "phones[1]": "invalidPhone",
                "phones[2]": "duplicate",
                "emails[1]": "invalidEmail",
                "address.city": "tooLong",
                "source": "unknownSource",
                "step": "unknownStep",
                "assessment": "invalidValue",
                "tags[1]": "tooLong",
                "tags[2]": "required",
                "customFields.budget": "outOfRange",
                "customFields.colour": "unknownCustomField",
                "comment": "tooLong",
            ])
        #expect(error?.fieldErrors.allSatisfy { !$0.message.isEmpty } == true)
    }

    @Test("required fields from settings must be filled")
    func requiredFields() throws {
        let settings = try Fixture.settings([
            .setRequiredFields([.phones, .emails, .company, .responsible]),
            .defineCustomField(
                CustomFieldDefinition(
                    key: "segment", name: "Segment", type: .list, required: true, options: ["b2b", "b2c"])),
        ])
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                nil, .create(leadId: Fixture.leadId, LeadInput(fullName: "J")), context: Fixture.context(settings))
        }
        #expect(
            error?.fieldCodes == [
                "phones": "required", "emails": "required", "company": "required", "responsible": "required",
                "customFields.segment": "required",
            ])
        let ok = LeadInput(
            fullName: "J", company: "UAB", phones: ["+37061234567"], emails: ["j@uab.lt"], responsible: Fixture.manager,
            customFields: ["segment": .list("b2b")])
        #expect(try Fixture.lead(Fixture.leadId, ok, settings: settings).customFields["segment"] == .list("b2b"))
    }

    @Test("custom field values are validated by their type and limits")
    func customFieldTypes() throws {
        let settings = try Fixture.settings([
            .defineCustomField(CustomFieldDefinition(key: "code", name: "Code", type: .string, maxLength: 5)),
            .defineCustomField(CustomFieldDefinition(key: "size", name: "Size", type: .int, minValue: 1, maxValue: 10)),
            .defineCustomField(CustomFieldDefinition(key: "segment", name: "Segment", type: .list, options: ["b2b"])),
            .defineCustomField(CustomFieldDefinition(key: "about", name: "About", type: .text)),
            .defineCustomField(CustomFieldDefinition(key: "vip", name: "VIP", type: .flag)),
            .defineCustomField(CustomFieldDefinition(key: "site", name: "Site", type: .url)),
            .defineCustomField(CustomFieldDefinition(key: "since", name: "Since", type: .date)),
        ])
        let bad: [String: CustomFieldValue] = [
            "code": .string("toolong"), "size": .int(0), "segment": .list("b2c"),
            "about": .text(String(repeating: "a", count: 1_001)), "vip": .string("yes"), "site": .url("ftp://x"),
            "since": .date("2026-02-30"),
        ]
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                nil, .create(leadId: Fixture.leadId, LeadInput(fullName: "J", customFields: bad)),
                context: Fixture.context(settings))
        }
        #expect(
            error?.fieldCodes == [
                "customFields.code": "tooLong", "customFields.size": "outOfRange",
                "customFields.segment": "invalidValue",
                "customFields.about": "tooLong", "customFields.vip": "invalidValue", "customFields.site": "invalidURL",
                "customFields.since": "invalidDate",
            ])
        let good: [String: CustomFieldValue] = [
            "code": .string("R-1"), "size": .int(10), "segment": .list("b2b"), "about": .text("long\ntext"),
            "vip": .flag(false), "site": .url("https://rasa.lt/x"), "since": .date("2024-02-29"),
        ]
        let lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "J", customFields: good), settings: settings)
        #expect(lead.customFields == good)
    }

    @Test("the compact preset limits names to 30 characters; the default allows 200")
    func fieldLimitPresets() throws {
        let compact = try Fixture.settings([.setFieldLimits(.compact, custom: nil)])
        let name = String(repeating: "n", count: 31)
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                nil, .create(leadId: Fixture.leadId, LeadInput(fullName: name)), context: Fixture.context(compact))
        }
        #expect(error?.fieldCodes == ["fullName": "tooLong"])
        #expect(try Fixture.lead(Fixture.leadId, LeadInput(fullName: name)).fullName == name)
        #expect(
            FieldLimits.standard
                == FieldLimits(name: 200, customText: 1_000, note: 5_000, comment: 5_000, taskDescription: 1_000))
        #expect(
            compact.fieldLimits.comment == 999 && compact.fieldLimits.taskDescription == 200
                && compact.fieldLimits.customText == 30)
    }

    @Test("creating a lead that exists is a conflict")
    func createTwice() throws {
        let lead = try Fixture.lead()
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(lead, .create(leadId: lead.id, LeadInput(fullName: "J")), context: Fixture.context())
        }
        #expect(error?.code == .alreadyExists)
        #expect(error?.category == .conflict)
    }

    @Test("any command but create on a missing lead is leadNotFound")
    func missingLead() {
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(nil, .tag("x"), context: Fixture.context())
        }
        #expect(error?.code == .leadNotFound)
        #expect(error?.category == .notFound)
    }

    @Test("tags are trimmed and deduplicated case-folded")
    func tags() throws {
        let lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "J", tags: [" VIP ", "vip", "Kaunas"]))
        #expect(lead.tags == ["VIP", "Kaunas"])
    }
}
