/// The types a custom field can have.
public enum CustomFieldType: String, Sendable, Hashable, Codable, CaseIterable {
    /// One line of text (limited by `FieldLimits.customText` or the field's own `maxLength`).
    case string
    /// A whole number, optionally within `minValue...maxValue`.
    case int
    /// One of the field's `options`.
    case list
    /// Multi-line text (limited like `string`).
    case text
    /// Yes or no.
    case flag
    /// An `http` or `https` URL.
    case url
    /// A calendar date, `YYYY-MM-DD`.
    case date
}
