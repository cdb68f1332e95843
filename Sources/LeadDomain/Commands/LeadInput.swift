import Foundation

/// The data of a new lead, as entered. Optional choices fall back to settings (`defaultStep`, `defaultSource`).
public struct LeadInput: Sendable, Hashable, Codable {
    public var fullName: String
    public var company: String?
    /// Phone numbers as typed; normalized by `PhoneNumber`.
    public var phones: [String]
    public var emails: [String]
    public var address: Address?
    /// Source key; `SettingsState.defaultSource` when `nil`.
    public var source: String?
    /// Step key; `SettingsState.defaultStep` when `nil`.
    public var step: String?
    public var priority: LeadPriority?
    public var responsible: UUID?
    public var competitor: String?
    public var assessment: String?
    public var tags: [String]
    public var customFields: [String: CustomFieldValue]
    public var comment: String?

    public init(
        fullName: String, company: String? = nil, phones: [String] = [], emails: [String] = [],
        address: Address? = nil, source: String? = nil, step: String? = nil, priority: LeadPriority? = nil,
        responsible: UUID? = nil, competitor: String? = nil, assessment: String? = nil, tags: [String] = [],
        customFields: [String: CustomFieldValue] = [:], comment: String? = nil
    ) {
        self.fullName = fullName
        self.company = company
        self.phones = phones
        self.emails = emails
        self.address = address
        self.source = source
        self.step = step
        self.priority = priority
        self.responsible = responsible
        self.competitor = competitor
        self.assessment = assessment
        self.tags = tags
        self.customFields = customFields
        self.comment = comment
    }
}

/// Changes to a lead's data: `nil` leaves a field as it is; an empty string (or empty list, or empty address)
/// clears it. A custom field set to `nil` inside `customFields` is cleared.
public struct LeadPatch: Sendable, Hashable, Codable {
    public var fullName: String?
    public var company: String?
    public var phones: [String]?
    public var emails: [String]?
    public var address: Address?
    public var source: String?
    public var priority: LeadPriority?
    public var competitor: String?
    public var assessment: String?
    public var comment: String?
    public var customFields: [String: CustomFieldValue?]?

    public init(
        fullName: String? = nil, company: String? = nil, phones: [String]? = nil, emails: [String]? = nil,
        address: Address? = nil, source: String? = nil, priority: LeadPriority? = nil, competitor: String? = nil,
        assessment: String? = nil, comment: String? = nil, customFields: [String: CustomFieldValue?]? = nil
    ) {
        self.fullName = fullName
        self.company = company
        self.phones = phones
        self.emails = emails
        self.address = address
        self.source = source
        self.priority = priority
        self.competitor = competitor
        self.assessment = assessment
        self.comment = comment
        self.customFields = customFields
    }
}
