import Foundation
import LeadDomain

extension ProjectionView {
    /// The live leads with this e-mail address (compared as `EmailAddress.normalize` does), in id order.
    public func leadIds(withEmail email: String) throws -> [UUID] {
        let normalized = EmailAddress.normalize(email)
        guard !normalized.isEmpty else { return [] }
        return try leads(with: DuplicateKey(kind: .email, value: normalized))
    }

    /// The live leads whose custom field `key` holds `value`, in id order (long texts found by their digest).
    public func leadIds(withCustomField key: String, equalTo value: CustomFieldValue) throws -> [UUID] {
        try members(CustomFieldIndex.valuePrefix(key, CustomFieldIndex.text(value))).filter { id in
            try record(id)?.state.isLive ?? false
        }
    }
}

extension ProjectionView {
    /// The live lead a web-form submission or an e-mail belongs to: the first with one of `emails`, else the most
    /// recently updated with one of `phones` (read in international form with the settings' phone country).
    public func liveLead(emails: [String], phones: [String]) throws -> UUID? {
        for email in emails { if let id = try leadIds(withEmail: email).first { return id } }
        for phone in phones {
            let number = PhoneNumber(typed: phone)
            guard number.isValid else { continue }
            if let lead = try leads(withPhone: settings.internationalDigits(number)).first { return lead.id }
        }
        return nil
    }
}
