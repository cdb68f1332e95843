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
}
