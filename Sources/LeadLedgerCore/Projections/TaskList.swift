import Foundation
import LeadDomain

/// Who a task is for, on a lead or a deal: its responsible, or the admin who added it when it has none (as
/// `Agenda.owner` decides for actions). Task lists by admin and "my tasks" use this.
public enum TaskList {
    public static func owner(_ task: LeadTask) -> UUID { task.responsible ?? task.createdBy }
}

/// What a task is on: a lead or a deal.
public struct TaskSubject: Sendable, Hashable, Codable {
    /// Stored in the task index keys: leads sort before deals among tasks due at the same time.
    public enum Kind: UInt8, Sendable, Hashable, Codable, CaseIterable {
        case lead = 0
        case deal = 1

        public var name: String {
            switch self {
            case .lead: "lead"
            case .deal: "deal"
            }
        }
    }

    public var kind: Kind
    public var id: UUID

    public init(_ kind: Kind, _ id: UUID) {
        self.kind = kind
        self.id = id
    }
}

/// One task in a list across leads and deals: the task, what it is on (a lead, or a deal with the lead it
/// belongs to when it has one) and the names a list shows.
public struct TaskItem: Sendable, Hashable {
    public var subject: TaskSubject
    /// The lead the task is on, or the deal's lead.
    public var leadId: UUID?
    public var leadName: String?
    public var dealId: UUID?
    public var dealName: String?
    public var task: LeadTask
    /// Open and due before the moment the list was asked at.
    public var overdue: Bool
}

/// Where a task list page ended: the last task's due date (`Int64.max` without one), what it is on, and its id.
public struct TaskCursor: Sendable, Hashable, Codable {
    public var due: Int64
    public var subject: TaskSubject
    public var taskId: UUID

    public init(due: Int64, subject: TaskSubject, taskId: UUID) {
        self.due = due
        self.subject = subject
        self.taskId = taskId
    }
}

/// A task list request: tasks of live leads and of deals that are not deleted, earliest due first (tasks
/// without a due date last).
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
    /// Only tasks on leads, or only tasks on deals; nil: both.
    public var on: TaskSubject.Kind?
    public var after: TaskCursor?
    public var limit: Int
    /// A manager who may not read all leads: only tasks on the leads they are responsible for or watch and on
    /// the deals they reach (`ProjectionView.reaches(deal:admin:)`).
    public var visibleTo: UUID?

    public init(
        owner: UUID? = nil, closed: Bool = false, dueFrom: Timestamp? = nil, dueTo: Timestamp? = nil,
        taskType: AnyOf<String>? = nil, on: TaskSubject.Kind? = nil, after: TaskCursor? = nil, limit: Int = 50,
        visibleTo: UUID? = nil
    ) {
        self.owner = owner
        self.closed = closed
        self.dueFrom = dueFrom
        self.dueTo = dueTo
        self.taskType = taskType
        self.on = on
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
