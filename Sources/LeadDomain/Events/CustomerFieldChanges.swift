/// The changed customer fields of an update: only changed fields are present.
public struct CustomerFieldChanges: Sendable, Hashable, Codable {
    public var fullName: Change<String>?
    public var company: Change<String?>?
    public var phones: Change<[PhoneNumber]>?
    public var emails: Change<[String]>?
    public var address: Change<Address?>?

    public init() {}

    /// Whether no field changed.
    public var isEmpty: Bool { self == CustomerFieldChanges() }
}
