/// The longest text each kind of field accepts: the one place every length check reads.
///
/// `standard` is in force until settings choose another preset; `compact` is the short preset.
public struct FieldLimits: Sendable, Hashable, Codable {
    /// Names: full name, company, competitor, address parts, settings names.
    public var name: Int
    /// Custom `string` and `text` field values.
    public var customText: Int
    /// Note and action texts.
    public var note: Int
    /// The lead's comment.
    public var comment: Int
    /// Task descriptions.
    public var taskDescription: Int

    public init(name: Int, customText: Int, note: Int, comment: Int, taskDescription: Int) {
        self.name = name
        self.customText = customText
        self.note = note
        self.comment = comment
        self.taskDescription = taskDescription
    }

    /// name 200, custom text 1,000, note and comment 5,000, task description 1,000.
    public static let standard = FieldLimits(
        name: 200, customText: 1_000, note: 5_000, comment: 5_000, taskDescription: 1_000)

    /// name 30, custom text 30, comment 999, task description 200 (notes as standard).
    public static let compact = FieldLimits(name: 30, customText: 30, note: 5_000, comment: 999, taskDescription: 200)

    /// The limits of a preset; `nil` for `custom`.
    public static func preset(_ preset: FieldLimitsPreset) -> FieldLimits? {
        switch preset {
        case .default: .standard
        case .compact: .compact
        case .custom: nil
        }
    }
}

/// Where the field limits in force come from.
public enum FieldLimitsPreset: String, Sendable, Hashable, Codable, CaseIterable {
    case `default`
    case compact
    case custom
}
