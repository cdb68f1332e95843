import Foundation
import Testing

@testable import LeadDomain

@Suite("Incoming calls: dialling plans, the call on the lead, the phone country setting")
struct CallTests {
    @Test(
        "a national, an international and a bare form of one number are one number in the country's plan",
        arguments: [
            ("RU", ["8 912 345-67-89", "+7 912 345 67 89", "7912 345 67 89", "912 345 67 89", "00 7 912 3456789"], "79123456789"),
            ("UA", ["0 68 123 45 67", "+380 68 123 45 67", "380681234567"], "380681234567"),
            ("LT", ["8 612 34567", "+370 612 34567", "37061234567", "612 34567"], "37061234567"),
        ])
    func sameNumber(country: String, forms: [String], international: String) throws {
        let plan = try #require(PhoneDialingPlan.of(country.lowercased()))
        for form in forms { #expect(plan.international(PhoneNumber(typed: form)) == international, "\(form)") }
        #expect(plan.national(ofInternational: international) == String(international.dropFirst(plan.callingCode.count)))
        #expect(plan.national(ofInternational: "4930123456") == nil)  // a German number is not Russian
    }

    @Test("another country's number with + or 00 stays as dialled; a number that fits no form keeps its digits")
    func foreignNumbers() throws {
        let ru = try #require(PhoneDialingPlan.of("RU"))
        #expect(ru.international(PhoneNumber(typed: "+49 30 123456")) == "4930123456")
        #expect(ru.international(PhoneNumber(typed: "0049 30 123456")) == "4930123456")
        #expect(ru.international(PhoneNumber(typed: "12345")) == "12345")
        #expect(PhoneDialingPlan.of("XX") == nil)
        // Without a phone country, numbers are their digits.
        #expect(SettingsState.defaults.internationalDigits(PhoneNumber(typed: "8 912 345-67-89")) == "89123456789")
    }

    @Test("a call is recorded once per id with its international form; a bad number or admin is named; old calls roll off")
    func receiveCall() throws {
        let settings = try Fixture.settings([.setPhoneCountry("ru")])
        #expect(settings.phoneCountry == "RU")
        var lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "Jonas", phones: ["8 912 345-67-89"]))
        let call = CallInput(callId: Fixture.id(1), number: "+7 912 345 67 89", takenBy: Fixture.manager)
        let events = try Fixture.apply(.receiveCall(call), to: &lead, settings: settings)
        #expect(events == [
            .callReceived(
                CallReceived(
                    leadId: lead.id, callId: Fixture.id(1), number: "+7 912 345 67 89", digits: "79123456789",
                    takenBy: Fixture.manager, at: Fixture.t0.adding(seconds: 60), by: Fixture.manager))
        ])
        #expect(lead.calls.map(\.digits) == ["79123456789"])
        #expect(try Fixture.apply(.receiveCall(call), to: &lead, settings: settings).isEmpty)
        let snapshot = lead
        var noAdmins = RelatedStates()
        noAdmins.admins = [:]
        let bad = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                snapshot, .receiveCall(CallInput(callId: Fixture.id(2), number: "call me")), context: Fixture.context(settings))
        }
        #expect(bad?.fieldCodes == ["number": "invalidPhone"])
        let unknown = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                snapshot, .receiveCall(CallInput(callId: Fixture.id(3), number: "+79123456789", takenBy: Fixture.id(77))),
                context: Fixture.context(settings), related: noAdmins)
        }
        #expect(unknown?.fieldCodes == ["takenBy": "unknownAdmin"])
        for n in 0..<CountLimits.callsKept {
            try Fixture.apply(.receiveCall(CallInput(callId: Fixture.id(100 + n), number: "+79123456789")), to: &lead, settings: settings)
        }
        #expect(lead.calls.count == CountLimits.callsKept)
        #expect(lead.calls.first?.id == Fixture.id(100) && lead.calls.last?.id == Fixture.id(99 + CountLimits.callsKept))
    }

    @Test("the phone country is a country with a known plan, or none")
    func phoneCountrySetting() throws {
        let context = Fixture.context(actor: Fixture.admin)
        let error = Fixture.error { () throws(DomainError) in
            try SettingsDecider.decide(.defaults, .setPhoneCountry("Narnia"), context: context)
        }
        #expect(error?.fieldCodes == ["country": "invalidValue"])
        let lt = try Fixture.settings([.setPhoneCountry("LT")])
        #expect(try SettingsDecider.decide(lt, .setPhoneCountry(" lt "), context: context).events.isEmpty)
        #expect(try Fixture.settings([.setPhoneCountry("LT"), .setPhoneCountry(nil)]).phoneCountry == nil)
    }
}
