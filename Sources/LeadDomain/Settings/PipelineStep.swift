/// A step of the sales pipeline. The last active step is the conversion step.
public struct PipelineStep: Sendable, Hashable, Codable, Identifiable {
    public var key: String
    public var name: String
    /// `#rrggbb`.
    public var colour: String
    public var description: String?
    /// Retired steps stay for history (leads may still be on them) but cannot be chosen.
    public var retired: Bool

    public var id: String { key }

    public init(key: String, name: String, colour: String, description: String? = nil, retired: Bool = false) {
        self.key = key
        self.name = name
        self.colour = colour
        self.description = description
        self.retired = retired
    }
}
