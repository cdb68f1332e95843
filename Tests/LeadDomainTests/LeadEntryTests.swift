import Foundation
import Testing

@testable import LeadDomain

@Suite("Notes, actions and tasks")
struct LeadEntryTests {
    @Test("text only is a note on the current step")
    func note() throws {
        var lead = try Fixture.lead()
        try Fixture.apply(.markStep("contacted"), to: &lead)
        let events = try Fixture.apply(
            .addEntry(EntryInput(entryId: Fixture.id(10), text: "Called, no answer")), to: &lead)
        #expect(events.map(\.kind) == [.noteAdded])
        #expect(lead.notes(onStep: "contacted").map(\.text) == ["Called, no answer"])
        #expect(lead.actions.isEmpty)
    }

    @Test("with an action type, an admin or a planned time the entry is an action")
    func action() throws {
        var lead = try Fixture.lead()
        let planned = Fixture.t0.adding(seconds: 3_600)
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(11), text: "Call", actionType: "call")), to: &lead)
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(12), text: "", admin: Fixture.admin)), to: &lead)
        try Fixture.apply(
            .addEntry(EntryInput(entryId: Fixture.id(13), text: "Visit", plannedAt: planned, step: "qualified")),
            to: &lead)
        #expect(lead.notes.isEmpty)
        #expect(lead.actions.map(\.id) == [Fixture.id(11), Fixture.id(12), Fixture.id(13)])
        #expect(lead.actions[0].actionType == "call")
        #expect(lead.actions[1].admin == Fixture.admin)
        #expect(lead.actions(onStep: "qualified").first?.plannedAt == planned)
    }

    @Test("an entry with an unknown step or action type, or an empty note, is refused with every field")
    func invalidEntries() throws {
        let lead = try Fixture.lead()
        let error = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                lead,
                .addEntry(
                    EntryInput(
                        entryId: Fixture.id(14), text: String(repeating: "x", count: 5_001), actionType: "fax",
                        step: "moon")),
                context: Fixture.context())
        }
        #expect(error?.fieldCodes == ["step": "unknownStep", "text": "tooLong", "actionType": "unknownActionType"])
        let empty = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                lead, .addEntry(EntryInput(entryId: Fixture.id(14), text: "  ")), context: Fixture.context())
        }
        #expect(empty?.fieldCodes == ["text": "required"])
    }

    @Test("re-sending an entry with the same id adds nothing")
    func entryRetry() throws {
        var lead = try Fixture.lead()
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(10), text: "hi")), to: &lead)
        #expect(try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(10), text: "hi")), to: &lead).isEmpty)
    }

    @Test("only existing actions can be pinned; pinning or unpinning twice is a no-op")
    func pinning() throws {
        var lead = try Fixture.lead()
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(10), text: "a note")), to: &lead)
        try Fixture.apply(.addEntry(EntryInput(entryId: Fixture.id(11), text: "call", actionType: "call")), to: &lead)
        let snapshot = lead
        let note = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .pinAction(Fixture.id(10)), context: Fixture.context())
        }
        #expect(note?.code == .actionNotFound)
        #expect(note?.category == .notFound)
        #expect(note?.fieldCodes == ["actionId": "notFound"])
        #expect(try Fixture.apply(.pinAction(Fixture.id(11)), to: &lead).map(\.kind) == [.actionPinned])
        #expect(try Fixture.apply(.pinAction(Fixture.id(11)), to: &lead).isEmpty)
        #expect(lead.actions[0].pinned)
        #expect(try Fixture.apply(.unpinAction(Fixture.id(11)), to: &lead).map(\.kind) == [.actionUnpinned])
        #expect(try Fixture.apply(.unpinAction(Fixture.id(11)), to: &lead).isEmpty)
        #expect(try Fixture.apply(.completeAction(Fixture.id(11)), to: &lead).map(\.kind) == [.actionCompleted])
        #expect(try Fixture.apply(.completeAction(Fixture.id(11)), to: &lead).isEmpty)
        #expect(lead.actions[0].completed && !lead.actions[0].pinned)
    }

    @Test("tasks have an active task type and a description within the limit; closing twice is a no-op")
    func tasks() throws {
        var lead = try Fixture.lead()
        let due = Fixture.t0.adding(seconds: 7_200)
        try Fixture.apply(
            .task(.add(
                TaskInput(
                    taskId: Fixture.id(20), taskType: "birthday-greeting", description: "Congratulate",
                    responsible: Fixture.admin, due: due))),
            to: &lead)
        #expect(lead.tasks.first?.due == due && lead.tasks.first?.closed == false)
        #expect(try Fixture.apply(.task(.close(Fixture.id(20))), to: &lead).map(\.kind) == [.taskClosed])
        #expect(try Fixture.apply(.task(.close(Fixture.id(20))), to: &lead).isEmpty)
        #expect(lead.tasks.first?.closed == true)
        let snapshot = lead
        let compact = try Fixture.settings([.setFieldLimits(.compact, custom: nil)])
        let invalid = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                snapshot,
                .task(.add(
                    TaskInput(
                        taskId: Fixture.id(21), taskType: "juggling", description: String(repeating: "d", count: 201)))),
                context: Fixture.context(compact))
        }
        #expect(invalid?.fieldCodes == ["taskType": "unknownTaskType", "description": "tooLong"])
        let missing = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .task(.close(Fixture.id(99))), context: Fixture.context())
        }
        #expect(missing?.code == .taskNotFound)
    }

    @Test("a task is edited, reassigned, reopened and deleted; unchanged edits and repeats decide nothing")
    func taskFollowUp() throws {
        var lead = try Fixture.lead()
        let due = Fixture.t0.adding(seconds: 7_200)
        let taskId = Fixture.id(30)
        try Fixture.apply(
            .task(.add(TaskInput(taskId: taskId, taskType: "meeting", description: "Demo", responsible: Fixture.admin, due: due))),
            to: &lead)
        let later = due.adding(seconds: 86_400)
        let edit = try Fixture.apply(.task(.update(taskId, TaskPatch(taskType: "contact-client", description: "Call back", due: .some(later)))), to: &lead)
        #expect(edit.map(\.kind) == [.taskUpdated])
        guard case .taskUpdated(let updated) = edit.first else { Issue.record("no TaskUpdated"); return }
        #expect(updated.changes.taskType == Change(from: "meeting", to: "contact-client"))
        #expect(updated.changes.description == Change(from: "Demo", to: "Call back"))
        #expect(updated.changes.due == Change<Timestamp?>(from: due, to: later))
        #expect(lead.tasks[0].taskType == "contact-client" && lead.tasks[0].description == "Call back" && lead.tasks[0].due == later)
        // The same values again, and an empty patch, change nothing.
        #expect(try Fixture.apply(.task(.update(taskId, TaskPatch(description: "Call back", due: .some(later)))), to: &lead).isEmpty)
        #expect(try Fixture.apply(.task(.update(taskId, TaskPatch())), to: &lead).isEmpty)
        // `due: .some(nil)` removes the due date.
        #expect(try Fixture.apply(.task(.update(taskId, TaskPatch(due: .some(nil)))), to: &lead).map(\.kind) == [.taskUpdated])
        #expect(lead.tasks[0].due == nil)

        let reassigned = try Fixture.apply(.task(.reassign(taskId, to: Fixture.manager)), to: &lead)
        #expect(reassigned == [.taskReassigned(TaskReassigned(leadId: lead.id, taskId: taskId, from: Fixture.admin, to: Fixture.manager, at: Fixture.context().now, by: Fixture.manager))])
        #expect(try Fixture.apply(.task(.reassign(taskId, to: Fixture.manager)), to: &lead).isEmpty)
        #expect(try Fixture.apply(.task(.reassign(taskId, to: nil)), to: &lead).map(\.kind) == [.taskReassigned])
        #expect(lead.tasks[0].responsible == nil)

        #expect(try Fixture.apply(.task(.reopen(taskId)), to: &lead).isEmpty)  // open: nothing to reopen
        try Fixture.apply(.task(.close(taskId)), to: &lead)
        #expect(try Fixture.apply(.task(.reopen(taskId)), to: &lead).map(\.kind) == [.taskReopened])
        #expect(lead.tasks[0].closed == false)

        #expect(try Fixture.apply(.task(.delete(taskId)), to: &lead).map(\.kind) == [.taskDeleted])
        #expect(lead.tasks.isEmpty)
        #expect(try Fixture.apply(.task(.delete(taskId)), to: &lead).isEmpty)
    }

    @Test("task edits name the bad field: unknown task type, empty or long description, unknown task, unknown admin")
    func taskFollowUpRefusals() throws {
        var lead = try Fixture.lead()
        let taskId = Fixture.id(31)
        try Fixture.apply(.task(.add(TaskInput(taskId: taskId, taskType: "meeting", description: "Demo"))), to: &lead)
        let snapshot = lead
        let compact = try Fixture.settings([.setFieldLimits(.compact, custom: nil)])
        let invalid = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(
                snapshot, .task(.update(taskId, TaskPatch(taskType: "juggling", description: String(repeating: "d", count: 201)))),
                context: Fixture.context(compact))
        }
        #expect(invalid?.fieldCodes == ["taskType": "unknownTaskType", "description": "tooLong"])
        let blank = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .task(.update(taskId, TaskPatch(description: "  "))), context: Fixture.context())
        }
        #expect(blank?.fieldCodes == ["description": "required"])
        for command: LeadCommand in [
            .task(.update(Fixture.id(99), TaskPatch(description: "x"))), .task(.reassign(Fixture.id(99), to: nil)), .task(.reopen(Fixture.id(99))),
        ] {
            let missing = Fixture.error { () throws(DomainError) in
                try LeadDecider.decide(snapshot, command, context: Fixture.context())
            }
            #expect(missing?.code == .taskNotFound, "\(command)")
        }
        var related = RelatedStates()
        related.admins = [:]
        let unknown = Fixture.error { () throws(DomainError) in
            try LeadDecider.decide(snapshot, .task(.reassign(taskId, to: Fixture.id(77))), context: Fixture.context(), related: related)
        }
        #expect(unknown?.fieldCodes == ["responsible": "unknownAdmin"])
    }

    @Test("the default task types are contact the client, birthday greeting and meeting")
    func defaultTaskTypes() {
        #expect(SettingsState.defaults.taskTypes.map(\.key) == ["contact-client", "birthday-greeting", "meeting"])
        #expect(SettingsState.defaults.taskTypes.map(\.name) == ["Contact the client", "Birthday greeting", "Meeting"])
    }
}
