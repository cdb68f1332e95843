import Foundation

/// The changed lead fields of an update, a data copy or a merge: only changed fields are present.
///
/// JSON: `{"fullName": {"from": "Jonas", "to": "Jonas Jonaitis"}, "customFields": {"budget": {"from": null,
/// "to": {"type": "int", "value": 5000}}}}`.
public struct LeadFieldChanges: Sendable, Hashable, Codable {
    public var fullName: Change<String>?
    public var company: Change<String?>?
    public var phones: Change<[PhoneNumber]>?
    public var emails: Change<[String]>?
    public var address: Change<Address?>?
    public var source: Change<String>?
    public var priority: Change<LeadPriority>?
    public var responsible: Change<UUID?>?
    public var competitor: Change<String?>?
    public var assessment: Change<String?>?
    public var comment: Change<String?>?
    /// Custom field changes by field key; `nil` on either side means "no value".
    public var customFields: [String: Change<CustomFieldValue?>]?

    public init() {}

    /// Whether no field changed.
    public var isEmpty: Bool { self == LeadFieldChanges() }

    /// The names of the changed fields (JSON names; custom fields as `customFields.<key>`), sorted.
    public var changedFields: [String] {
        var names: [String] = []
        if fullName != nil { names.append(LeadField.fullName.rawValue) }
        if company != nil { names.append(LeadField.company.rawValue) }
        if phones != nil { names.append(LeadField.phones.rawValue) }
        if emails != nil { names.append(LeadField.emails.rawValue) }
        if address != nil { names.append(LeadField.address.rawValue) }
        if source != nil { names.append(LeadField.source.rawValue) }
        if priority != nil { names.append(LeadField.priority.rawValue) }
        if responsible != nil { names.append(LeadField.responsible.rawValue) }
        if competitor != nil { names.append(LeadField.competitor.rawValue) }
        if assessment != nil { names.append(LeadField.assessment.rawValue) }
        if comment != nil { names.append(LeadField.comment.rawValue) }
        for key in (customFields ?? [:]).keys { names.append("customFields.\(key)") }
        return names.sorted()
    }
}
