import Foundation

/// A to-do on a lead (contact the client, a meeting...), of a task type from settings.
public struct LeadTask: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    /// Key of a task type from settings.
    public var taskType: String
    public var description: String
    public var responsible: UUID?
    public var due: Timestamp?
    public var closed: Bool
    public var createdBy: UUID
    public var createdAt: Timestamp

    public init(
        id: UUID, taskType: String, description: String, responsible: UUID?, due: Timestamp?, closed: Bool = false,
        createdBy: UUID, createdAt: Timestamp
    ) {
        self.id = id
        self.taskType = taskType
        self.description = description
        self.responsible = responsible
        self.due = due
        self.closed = closed
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}
