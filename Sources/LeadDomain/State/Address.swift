/// A postal address; every part is optional and `nil` means not given.
public struct Address: Sendable, Hashable, Codable {
    public var country: String?
    public var city: String?
    public var street: String?
    public var building: String?
    public var flat: String?

    public init(
        country: String? = nil, city: String? = nil, street: String? = nil, building: String? = nil,
        flat: String? = nil
    ) {
        self.country = country
        self.city = city
        self.street = street
        self.building = building
        self.flat = flat
    }

    /// Whether no part is given.
    public var isEmpty: Bool { [country, city, street, building, flat].allSatisfy { ($0 ?? "").isEmpty } }

    /// The parts with their JSON names, for validation messages and field paths.
    var namedParts: [(name: String, value: String?)] {
        [("country", country), ("city", city), ("street", street), ("building", building), ("flat", flat)]
    }
}
