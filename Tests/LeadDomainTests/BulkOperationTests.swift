import Foundation
import Testing

@testable import LeadDomain

@Suite("Bulk operations: per-lead commands and their revert")
struct BulkOperationTests {
    /// Runs the operation's commands on `lead`, folding the events into `changes` as a revert would gather them.
    func run(_ operation: BulkOperation, on lead: inout LeadState, _ changes: inout RevertibleChanges) throws {
        for command in operation.commands(for: lead, settings: .defaults, newId: Fixture.id(77)) {
            for event in try Fixture.apply(command, to: &lead) { changes.add(event) }
        }
    }

    func revert(_ changes: RevertibleChanges, on lead: inout LeadState) throws {
        for command in changes.revertCommands(lead).commands { try Fixture.apply(command, to: &lead) }
    }

    @Test("tag adds only missing tags, untag removes present ones; the revert puts both back")
    func tags() throws {
        var lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "Ona", tags: ["Old", "keep"]))
        var changes = RevertibleChanges()
        try run(BulkOperation(kind: .tag, tags: ["old", "vip"]), on: &lead, &changes)
        try run(BulkOperation(kind: .untag, tags: ["keep", "absent"]), on: &lead, &changes)
        #expect(lead.tags == ["Old", "vip"])
        try revert(changes, on: &lead)
        #expect(Set(lead.tags) == ["Old", "keep"])
    }

    @Test("a task is added with the derived id and the lead's responsible; its revert deletes it")
    func task() throws {
        var lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "Ona", responsible: nil))
        var changes = RevertibleChanges()
        try run(BulkOperation(kind: .addTask, taskType: "contact-client", taskDescription: "Call"), on: &lead, &changes)
        #expect(lead.tasks.map(\.id) == [Fixture.id(77)])
        try revert(changes, on: &lead)
        #expect(lead.tasks.isEmpty)
    }

    @Test("a pause is lifted by the revert while it is the one the operation set; a later pause is a conflict")
    func pause() throws {
        var lead = try Fixture.lead()
        var changes = RevertibleChanges()
        try run(BulkOperation(kind: .pause, until: Fixture.t0.adding(seconds: 86_400)), on: &lead, &changes)
        var later = lead
        try Fixture.apply(.pause(until: Fixture.t0.adding(seconds: 2 * 86_400)), to: &later)
        #expect(changes.revertCommands(later).conflicts == 1 && changes.revertCommands(later).commands.isEmpty)
        try revert(changes, on: &lead)
        #expect(lead.pausedUntil == nil)
    }

    @Test("delete skips deleted leads; its revert restores; setFields adds phones and replaces the rest, reverted back")
    func deleteAndFields() throws {
        var lead = try Fixture.lead(Fixture.leadId, LeadInput(fullName: "Ona", phones: ["+370 612 34567"]))
        var changes = RevertibleChanges()
        try run(
            BulkOperation(kind: .setFields, fields: [BulkFieldValue(field: "company", value: "UAB Rasa"), BulkFieldValue(field: "phones", value: "+370 699 11111")]),
            on: &lead, &changes)
        #expect(lead.company == "UAB Rasa" && lead.phones.count == 2)
        try revert(changes, on: &lead)
        #expect(lead.company == nil && lead.phones.map(\.typed) == ["+370 612 34567"])

        var deletion = RevertibleChanges()
        try run(BulkOperation(kind: .delete, reason: "spam"), on: &lead, &deletion)
        #expect(lead.deleted)
        #expect(BulkOperation(kind: .delete).commands(for: lead, settings: .defaults, newId: Fixture.id(1)).isEmpty)
        try revert(deletion, on: &lead)
        #expect(!lead.deleted)
    }

    @Test("problems name the argument: missing, extra, over the limit, unknown field, past pause")
    func problems() {
        func fields(_ operation: BulkOperation) -> [String] { operation.problems(settings: .defaults, now: Fixture.t0).map(\.field) }
        #expect(fields(BulkOperation(kind: .markStep)) == ["operation.step"])
        #expect(fields(BulkOperation(kind: .resume, tags: ["x"])) == ["operation.tags"])
        #expect(fields(BulkOperation(kind: .tag, tags: (0...20).map { "t\($0)" })) == ["operation.tags"])
        #expect(fields(BulkOperation(kind: .setFields, fields: [BulkFieldValue(field: "nope", value: "1")])) == ["operation.fields[0].field"])
        #expect(fields(BulkOperation(kind: .setFields, fields: [BulkFieldValue(field: "company", value: " ")])) == ["operation.fields[0].value"])
        #expect(fields(BulkOperation(kind: .pause, until: Fixture.t0)) == ["operation.until"])
        #expect(fields(BulkOperation(kind: .assign, responsible: Fixture.admin)).isEmpty)
        #expect(fields(BulkOperation(kind: .addTask, taskType: "nope", taskDescription: "x")) == ["operation.taskType"])
        #expect(fields(BulkOperation(kind: .delete, reason: String(repeating: "a", count: 100_000))) == ["operation.reason"])
    }
}
