/// The changed fields of a task edit: only changed fields are present.
public struct TaskFieldChanges: Sendable, Hashable, Codable {
    public var taskType: Change<String>?
    public var description: Change<String>?
    /// `to: nil` removes the due date.
    public var due: Change<Timestamp?>?

    public init() {}

    /// Whether no field changed.
    public var isEmpty: Bool { self == TaskFieldChanges() }
}
