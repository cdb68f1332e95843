/// What finds the lead a row updates: one of its e-mails, one of its phones (in international form under the
/// phone country's dialling plan), or the value of a custom field holding an id from another system.
public enum ImportKey: Sendable, Hashable, CustomStringConvertible {
    case email
    case phone
    case customField(String)

    /// `email`, `phone` or `customFields.<key>`.
    public init?(rawValue: String) {
        switch ImportTarget(rawValue: rawValue) {
        case .emails?: self = .email
        case .phones?: self = .phone
        case .customField(let key)?: self = .customField(key)
        default:
            switch rawValue {
            case "email": self = .email
            case "phone": self = .phone
            default: return nil
            }
        }
    }

    public var rawValue: String {
        switch self {
        case .email: "email"
        case .phone: "phone"
        case .customField(let key): "customFields." + key
        }
    }

    public var description: String { rawValue }

    /// The lead field the key is read from (what a mapping must fill for the key to find anything).
    public var target: ImportTarget {
        switch self {
        case .email: .emails
        case .phone: .phones
        case .customField(let key): .customField(key)
        }
    }
}
