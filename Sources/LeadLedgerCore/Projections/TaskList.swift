import Foundation
import LeadDomain

/// Who a task is for: its responsible, or the admin who added it when it has none (as `Agenda.owner` decides
/// for actions). Task lists by admin and "my tasks" use this.
public enum TaskList {
    public static func owner(_ task: LeadTask) -> UUID { task.responsible ?? task.createdBy }
}

/// One task in a list across leads, with its lead's id and name.
public struct TaskItem: Sendable, Hashable {
    public var leadId: UUID
    public var leadName: String
    public var task: LeadTask
    /// Open and due before the moment the list was asked at.
    public var overdue: Bool
}

/// Where a task list page ended: the last task's due date (`Int64.max` without one), lead and task.
public struct TaskCursor: Sendable, Hashable, Codable {
    public var due: Int64
    public var leadId: UUID
    public var taskId: UUID

    public init(due: Int64, leadId: UUID, taskId: UUID) {
        self.due = due
        self.leadId = leadId
        self.taskId = taskId
    }
}

/// A task list request: tasks of live leads, earliest due first (tasks without a due date last).
public struct TaskQuery: Sendable, Hashable {
    public static let maxLimit = 200
    /// How many index entries one page may pass over (tasks of another type or on leads out of reach) before it
    /// ends early with a cursor, so a page costs a bounded walk whatever the filter.
    public static let maxScanned = 20_000

    /// Whose tasks (`TaskList.owner`); nil: everyone's.
    public var owner: UUID?
    /// Closed tasks instead of open ones.
    public var closed: Bool
    /// Due at or after this (tasks without a due date are left out when set).
    public var dueFrom: Timestamp?
    /// Due before this (tasks without a due date are left out when set).
    public var dueTo: Timestamp?
    public var taskType: AnyOf<String>?
    public var after: TaskCursor?
    public var limit: Int
    /// A manager who may not read all leads: only tasks on leads they are responsible for or watch.
    public var visibleTo: UUID?

    public init(
        owner: UUID? = nil, closed: Bool = false, dueFrom: Timestamp? = nil, dueTo: Timestamp? = nil,
        taskType: AnyOf<String>? = nil, after: TaskCursor? = nil, limit: Int = 50, visibleTo: UUID? = nil
    ) {
        self.owner = owner
        self.closed = closed
        self.dueFrom = dueFrom
        self.dueTo = dueTo
        self.taskType = taskType
        self.after = after
        self.limit = limit
        self.visibleTo = visibleTo
    }
}

public struct TaskPage: Sendable, Hashable {
    public var items: [TaskItem]
    /// Set when more tasks may follow (also when a page ended early at `TaskQuery.maxScanned`).
    public var next: TaskCursor?
}
