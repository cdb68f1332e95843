import Foundation

/// Everything one can ask of a task, on a lead (`LeadCommand`'s task cases) or on a deal (`DealCommand.task`).
public enum TaskCommand: Sendable, Hashable {
    case add(TaskInput)
    case close(UUID)
    /// Change a task's type, description or due date.
    case update(UUID, TaskPatch)
    /// Give a task to an admin (`nil`: nobody).
    case reassign(UUID, to: UUID?)
    case reopen(UUID)
    case delete(UUID)

    /// The admins the command names (they must exist and be enabled).
    public var relatedAdminIds: [UUID] {
        switch self {
        case .add(let task): task.responsible.map { [$0] } ?? []
        case .reassign(_, let admin): admin.map { [$0] } ?? []
        default: []
        }
    }
}

/// What a task event does to a task list, whichever stream it is on: a lead's `Task…` events and a deal's
/// `DealTask…` events carry the same fields, so both decide and fold through this one description.
public enum TaskChange: Sendable, Hashable {
    case added(TaskInput)
    case updated(UUID, TaskFieldChanges)
    case reassigned(UUID, from: UUID?, to: UUID?)
    case closed(UUID)
    case reopened(UUID)
    case deleted(UUID)

    public var taskId: UUID {
        switch self {
        case .added(let task): task.taskId
        case .updated(let id, _), .reassigned(let id, _, _), .closed(let id), .reopened(let id), .deleted(let id): id
        }
    }

    /// The lead event recording the change.
    public func leadEvent(_ leadId: UUID, at: Timestamp, by: UUID) -> DomainEvent {
        switch self {
        case .added(let t):
            .taskAdded(
                TaskAdded(
                    leadId: leadId, taskId: t.taskId, taskType: t.taskType, description: t.description,
                    responsible: t.responsible, due: t.due, at: at, by: by))
        case .updated(let id, let changes):
            .taskUpdated(TaskUpdated(leadId: leadId, taskId: id, changes: changes, at: at, by: by))
        case .reassigned(let id, let from, let to):
            .taskReassigned(TaskReassigned(leadId: leadId, taskId: id, from: from, to: to, at: at, by: by))
        case .closed(let id): .taskClosed(TaskClosed(leadId: leadId, taskId: id, at: at, by: by))
        case .reopened(let id): .taskReopened(TaskReopened(leadId: leadId, taskId: id, at: at, by: by))
        case .deleted(let id): .taskDeleted(TaskDeleted(leadId: leadId, taskId: id, at: at, by: by))
        }
    }

    /// The deal event recording the change.
    public func dealEvent(_ dealId: UUID, at: Timestamp, by: UUID) -> DomainEvent {
        switch self {
        case .added(let t):
            .dealTaskAdded(
                DealTaskAdded(
                    dealId: dealId, taskId: t.taskId, taskType: t.taskType, description: t.description,
                    responsible: t.responsible, due: t.due, at: at, by: by))
        case .updated(let id, let changes):
            .dealTaskUpdated(DealTaskUpdated(dealId: dealId, taskId: id, changes: changes, at: at, by: by))
        case .reassigned(let id, let from, let to):
            .dealTaskReassigned(DealTaskReassigned(dealId: dealId, taskId: id, from: from, to: to, at: at, by: by))
        case .closed(let id): .dealTaskClosed(DealTaskClosed(dealId: dealId, taskId: id, at: at, by: by))
        case .reopened(let id): .dealTaskReopened(DealTaskReopened(dealId: dealId, taskId: id, at: at, by: by))
        case .deleted(let id): .dealTaskDeleted(DealTaskDeleted(dealId: dealId, taskId: id, at: at, by: by))
        }
    }
}

extension DomainEvent {
    /// The task change a lead or deal task event records; `nil` for other events.
    public var taskChange: TaskChange? {
        switch self {
        case .taskAdded(let e):
            .added(
                TaskInput(
                    taskId: e.taskId, taskType: e.taskType, description: e.description, responsible: e.responsible,
                    due: e.due))
        case .dealTaskAdded(let e):
            .added(
                TaskInput(
                    taskId: e.taskId, taskType: e.taskType, description: e.description, responsible: e.responsible,
                    due: e.due))
        case .taskUpdated(let e): .updated(e.taskId, e.changes)
        case .dealTaskUpdated(let e): .updated(e.taskId, e.changes)
        case .taskReassigned(let e): .reassigned(e.taskId, from: e.from, to: e.to)
        case .dealTaskReassigned(let e): .reassigned(e.taskId, from: e.from, to: e.to)
        case .taskClosed(let e): .closed(e.taskId)
        case .dealTaskClosed(let e): .closed(e.taskId)
        case .taskReopened(let e): .reopened(e.taskId)
        case .dealTaskReopened(let e): .reopened(e.taskId)
        case .taskDeleted(let e): .deleted(e.taskId)
        case .dealTaskDeleted(let e): .deleted(e.taskId)
        default: nil
        }
    }
}

/// The rules of tasks, the same on leads and deals: a task has an active task type, a description within the
/// limits and an enabled admin (or nobody) as responsible. Repeating a command that is already in effect is a
/// no-op (`nil`), and so is deleting a task that is gone.
public enum TaskRules {
    public static func decide(
        _ tasks: [LeadTask], _ command: TaskCommand, _ c: DecisionContext, _ related: RelatedStates,
        owner: String
    ) throws(DomainError) -> TaskChange? {
        switch command {
        case .add(let task):
            if tasks.contains(where: { $0.id == task.taskId }) { return nil }
            var v = FieldValidator(limits: c.settings.fieldLimits)
            if !c.settings.isActiveTaskType(task.taskType) {
                v.add("taskType", .unknownTaskType, "\(task.taskType) is not an active task type")
            }
            let description = v.text(
                task.description, field: "description", limit: c.settings.fieldLimits.taskDescription, required: true,
                multiline: true)
            related.checkAdmin(task.responsible, field: "responsible", &v)
            try v.check()
            if tasks.count >= CountLimits.tasks {
                throw .validation([
                    FieldError(field: "taskId", code: .tooMany, message: "a \(owner) has at most \(CountLimits.tasks) tasks")
                ])
            }
            var added = task
            added.description = description ?? ""
            return .added(added)
        case .close(let id):
            return try existing(tasks, id, owner).closed ? nil : .closed(id)
        case .update(let id, let patch):
            let changes = try changes(try existing(tasks, id, owner), patch, c)
            return changes.isEmpty ? nil : .updated(id, changes)
        case .reassign(let id, let admin):
            let task = try existing(tasks, id, owner)
            var v = FieldValidator(limits: c.settings.fieldLimits)
            related.checkAdmin(admin, field: "responsible", &v)
            try v.check()
            return task.responsible == admin ? nil : .reassigned(id, from: task.responsible, to: admin)
        case .reopen(let id):
            return try existing(tasks, id, owner).closed ? .reopened(id) : nil
        case .delete(let id):
            // A deleted task is gone from the state: deleting it again is a no-op, not a 404.
            return tasks.contains(where: { $0.id == id }) ? .deleted(id) : nil
        }
    }

    /// The task `id`, or a 404 naming it.
    static func existing(_ tasks: [LeadTask], _ id: UUID, _ owner: String) throws(DomainError) -> LeadTask {
        guard let task = tasks.first(where: { $0.id == id }) else {
            throw .notFound(.taskNotFound, field: "taskId", "The \(owner) has no task \(id.uuidString.lowercased())")
        }
        return task
    }

    /// An edit: the type must be an active task type, the description is validated like a new task's.
    private static func changes(_ task: LeadTask, _ patch: TaskPatch, _ c: DecisionContext) throws(DomainError)
        -> TaskFieldChanges
    {
        var v = FieldValidator(limits: c.settings.fieldLimits)
        var changes = TaskFieldChanges()
        if let type = patch.taskType, type != task.taskType {
            if c.settings.isActiveTaskType(type) {
                changes.taskType = Change(from: task.taskType, to: type)
            } else {
                v.add("taskType", .unknownTaskType, "\(type) is not an active task type")
            }
        }
        if let description = patch.description {
            let text = v.text(
                description, field: "description", limit: c.settings.fieldLimits.taskDescription, required: true,
                multiline: true) ?? ""
            changes.description = .between(task.description, text)
        }
        if let due = patch.due { changes.due = .between(task.due, due) }
        try v.check()
        return changes
    }
}

extension Array where Element == LeadTask {
    /// Folds a task change made at `at` by `by` into the list (a change to a task that is not there is ignored).
    public mutating func apply(_ change: TaskChange, at: Timestamp, by: UUID) {
        func update(_ id: UUID, _ edit: (inout LeadTask) -> Void) {
            if let index = firstIndex(where: { $0.id == id }) { edit(&self[index]) }
        }
        switch change {
        case .added(let t):
            append(
                LeadTask(
                    id: t.taskId, taskType: t.taskType, description: t.description, responsible: t.responsible,
                    due: t.due, createdBy: by, createdAt: at))
        case .updated(let id, let changes):
            update(id) { task in
                if let change = changes.taskType { task.taskType = change.to }
                if let change = changes.description { task.description = change.to }
                if let change = changes.due { task.due = change.to }
            }
        case .reassigned(let id, _, let to): update(id) { $0.responsible = to }
        case .closed(let id): update(id) { $0.closed = true }
        case .reopened(let id): update(id) { $0.closed = false }
        case .deleted(let id): removeAll { $0.id == id }
        }
    }
}
