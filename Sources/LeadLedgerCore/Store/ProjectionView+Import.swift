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
