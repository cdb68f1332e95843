import Foundation
import LeadDomain

extension ProjectionView {
    /// How many index keys a phone lookup visits: a national number of 5+ digits ends few stored numbers.
    static let maxPhoneKeys = 1_000

    /// The live leads with a number that is `digits` (international form, `SettingsState.internationalDigits`),
    /// most recently updated first: found through the reversed-digits index by the national number's digits (a
    /// stored number ends with them however it was written), then each compared in international form.
    public func leads(withPhone digits: String) throws -> [LeadState] {
        var found: [LeadState] = []
        try forEachPhoneMatch(.phoneReversed, digits) { id in
            guard let lead = try record(id)?.state, lead.isLive,
                lead.phones.contains(where: { settings.internationalDigits($0) == digits })
            else { return }
            found.append(lead)
        }
        return found.sorted { ($0.updatedAt, LeadKey($0.id)) > ($1.updatedAt, LeadKey($1.id)) }
    }

    /// The customers (not deleted) with a number that is `digits`, as `leads(withPhone:)` finds leads.
    public func customers(withPhone digits: String) throws -> [CustomerState] {
        var found: [CustomerState] = []
        try forEachPhoneMatch(.customerPhoneReversed, digits) { id in
            guard let customer = try customer(id), !customer.deleted,
                customer.phones.contains(where: { settings.internationalDigits($0) == digits })
            else { return }
            found.append(customer)
        }
        return found.sorted { ($0.updatedAt, LeadKey($0.id)) > ($1.updatedAt, LeadKey($1.id)) }
    }

    private func forEachPhoneMatch(_ tag: StoreSchema.SetTag, _ digits: String, _ body: (UUID) throws -> Void) throws {
        let national = settings.phoneCountry.flatMap(PhoneDialingPlan.of)?.national(ofInternational: digits) ?? digits
        guard national.count >= PhoneNumber.digitRange.lowerBound else { return }
        var seen = Set<UUID>()
        var keys = 0
        try forEachKey(tag, withPrefix: LeadSearch.reversedDigits(national)) { key in
            keys += 1
            try forEachMember(key) { id in
                if seen.insert(id).inserted { try body(id) }
                return true
            }
            return keys < Self.maxPhoneKeys
        }
    }
}
