/// The value of a custom field, tagged with its type.
///
/// JSON: `{"type": "int", "value": 5}`, `{"type": "flag", "value": true}`, `{"type": "date", "value": "2026-11-23"}`.
/// `list` holds the chosen option of a list field; `date` is a calendar date `YYYY-MM-DD`.
public enum CustomFieldValue: Sendable, Hashable, Codable {
    case string(String)
    case int(Int64)
    case list(String)
    case text(String)
    case flag(Bool)
    case url(String)
    case date(String)

    /// The field type this value belongs to.
    public var type: CustomFieldType {
        switch self {
        case .string: .string
        case .int: .int
        case .list: .list
        case .text: .text
        case .flag: .flag
        case .url: .url
        case .date: .date
        }
    }

    /// Whether the value counts as empty (an empty or blank string); ints and flags are never empty.
    public var isEmpty: Bool {
        switch self {
        case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s):
            s.allSatisfy(\.isWhitespace)
        case .int, .flag: false
        }
    }

    private enum CodingKeys: String, CodingKey { case type, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(CustomFieldType.self, forKey: .type) {
        case .string: self = .string(try container.decode(String.self, forKey: .value))
        case .int: self = .int(try container.decode(Int64.self, forKey: .value))
        case .list: self = .list(try container.decode(String.self, forKey: .value))
        case .text: self = .text(try container.decode(String.self, forKey: .value))
        case .flag: self = .flag(try container.decode(Bool.self, forKey: .value))
        case .url: self = .url(try container.decode(String.self, forKey: .value))
        case .date: self = .date(try container.decode(String.self, forKey: .value))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s):
            try container.encode(s, forKey: .value)
        case .int(let i): try container.encode(i, forKey: .value)
        case .flag(let b): try container.encode(b, forKey: .value)
        }
    }
}
