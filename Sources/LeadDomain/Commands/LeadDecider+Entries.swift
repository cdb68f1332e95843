import Foundation

extension LeadDecider {
    /// A note (text only) or an action (with a type, an admin or a planned time). A repeated id is a no-op.
    static func addEntry(_ lead: LeadState, _ entry: EntryInput, _ c: DecisionContext, _ related: RelatedStates)
        throws(DomainError)
        -> [DomainEvent]
    {
        if lead.notes.contains(where: { $0.id == entry.entryId })
            || lead.actions.contains(where: { $0.id == entry.entryId })
        {
            return []
        }
        var v = FieldValidator(limits: c.settings.fieldLimits)
        let step = entry.step ?? lead.step
        if !c.settings.steps.contains(where: { $0.key == step }) {
            v.add("step", .unknownStep, "\(step) is not a step")
        }
        let text = v.text(
            entry.text, field: "text", limit: c.settings.fieldLimits.note, required: !entry.isAction, multiline: true)
        if let type = entry.actionType, !c.settings.isActiveActionType(type) {
            v.add("actionType", .unknownActionType, "\(type) is not an active action type")
        }
        related.checkAdmin(entry.admin, field: "admin", &v)
        try v.check()
        if entry.isAction {
            return [
                .actionLogged(
                    ActionLogged(
                        leadId: lead.id, actionId: entry.entryId, step: step, text: text ?? "",
                        actionType: entry.actionType, admin: entry.admin, plannedAt: entry.plannedAt, at: c.now,
                        by: c.actor))
            ]
        }
        return [
            .noteAdded(
                NoteAdded(
                    leadId: lead.id, noteId: entry.entryId, step: step, text: text ?? "", format: entry.format,
                    at: c.now, by: c.actor))
        ]
    }

    /// A task of an active task type. A repeated id is a no-op.
    static func addTask(_ lead: LeadState, _ task: TaskInput, _ c: DecisionContext, _ related: RelatedStates)
        throws(DomainError)
        -> [DomainEvent]
    {
        if lead.tasks.contains(where: { $0.id == task.taskId }) { return [] }
        var v = FieldValidator(limits: c.settings.fieldLimits)
        if !c.settings.isActiveTaskType(task.taskType) {
            v.add("taskType", .unknownTaskType, "\(task.taskType) is not an active task type")
        }
        let description = v.text(
            task.description, field: "description", limit: c.settings.fieldLimits.taskDescription, required: true,
            multiline: true)
        related.checkAdmin(task.responsible, field: "responsible", &v)
        try v.check()
        return [
            .taskAdded(
                TaskAdded(
                    leadId: lead.id, taskId: task.taskId, taskType: task.taskType, description: description ?? "",
                    responsible: task.responsible, due: task.due, at: c.now, by: c.actor))
        ]
    }

    /// The task `taskId` of the lead, or a 404 naming it.
    static func existingTask(_ lead: LeadState, _ taskId: UUID) throws(DomainError) -> LeadTask {
        guard let task = lead.tasks.first(where: { $0.id == taskId }) else {
            throw .notFound(.taskNotFound, field: "taskId", "The lead has no task \(taskId.uuidString.lowercased())")
        }
        return task
    }

    /// An edit of a task: the type must be an active task type, the description is validated like a new task's.
    static func updateTask(_ lead: LeadState, _ task: LeadTask, _ patch: TaskPatch, _ c: DecisionContext)
        throws(DomainError) -> [DomainEvent]
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
        guard !changes.isEmpty else { return [] }
        return [
            .taskUpdated(TaskUpdated(leadId: lead.id, taskId: task.id, changes: changes, at: c.now, by: c.actor))
        ]
    }
}
