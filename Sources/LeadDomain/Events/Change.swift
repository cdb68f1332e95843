/// A field's change, from the old value to the new one. Optional values encode `null` for "not set".
public struct Change<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var from: Value
    public var to: Value

    public init(from: Value, to: Value) {
        self.from = from
        self.to = to
    }

    /// A change if the values differ, `nil` if they are equal (no change, no event).
    public static func between(_ from: Value, _ to: Value) -> Change? { from == to ? nil : Change(from: from, to: to) }
}
