/// A keyed, named settings entry: a lead source, an action type or a task type.
public struct CatalogueEntry: Sendable, Hashable, Codable, Identifiable {
    public var key: String
    public var name: String
    /// Retired entries stay for history but cannot be chosen for new data.
    public var retired: Bool

    public var id: String { key }

    public init(key: String, name: String, retired: Bool = false) {
        self.key = key
        self.name = name
        self.retired = retired
    }
}

/// A tag of the tag catalogue (leads may also carry tags not in it).
public struct TagDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var colour: String?

    public init(name: String, colour: String? = nil) {
        self.name = name
        self.colour = colour
    }
}
