/// A custom lead field defined in settings: its type, limits and whether it is required.
public struct CustomFieldDefinition: Sendable, Hashable, Codable, Identifiable {
    /// The field's key (a slug); values are stored under it.
    public var key: String
    public var name: String
    public var type: CustomFieldType
    /// Whether every lead must have a non-empty value.
    public var required: Bool
    /// For `string`/`text`: the longest value, at most `FieldLimits.customText` (which applies when `nil`).
    public var maxLength: Int?
    /// For `int`: the smallest allowed value.
    public var minValue: Int64?
    /// For `int`: the largest allowed value.
    public var maxValue: Int64?
    /// For `list`: the allowed values.
    public var options: [String]?
    /// Retired fields keep their values on leads but accept no new ones.
    public var retired: Bool

    public var id: String { key }

    public init(
        key: String, name: String, type: CustomFieldType, required: Bool = false, maxLength: Int? = nil,
        minValue: Int64? = nil, maxValue: Int64? = nil, options: [String]? = nil, retired: Bool = false
    ) {
        self.key = key
        self.name = name
        self.type = type
        self.required = required
        self.maxLength = maxLength
        self.minValue = minValue
        self.maxValue = maxValue
        self.options = options
        self.retired = retired
    }
}
