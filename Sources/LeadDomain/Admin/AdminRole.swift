/// An admin's role. `admin` may do everything; a `manager` only what their permissions allow.
public enum AdminRole: String, Sendable, Hashable, Codable, CaseIterable {
    case admin
    case manager
}
