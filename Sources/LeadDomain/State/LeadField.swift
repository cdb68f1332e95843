/// The lead's standard data fields by their JSON names: the fields an update, a data copy or a merge touches,
/// and the fields settings can make required.
public enum LeadField: String, Sendable, Hashable, Codable, CaseIterable {
    case fullName
    case company
    case phones
    case emails
    case address
    case source
    case priority
    case responsible
    case competitor
    case assessment
    case comment
    /// All custom field values (in a data copy); custom fields are made required in their own definition.
    case customFields
}
