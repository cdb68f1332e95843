import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@Suite("Kanban board, watcher views and actions for today")
struct KanbanAndWatcherTests {
    let manager = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!

    @Test("one column per active step in pipeline order, each count equal to the list total for that step")
    func columnsMatchLists() throws {
        var w = ProjectionWorld()
        let steps = ["new", "contacted", "qualified", "proposal", "won"]
        var ids: [UUID] = []
        for i in 0..<40 {
            w.advance(seconds: 1)
            ids.append(try w.create("Lead \(i)", step: steps[i % 5], responsible: i % 2 == 0 ? manager : nil))
        }
        try w.run(ids[0], .delete(reason: nil))
        try w.run(ids[5], .pause(until: w.now.adding(seconds: 60)))
        let board = w.projections.kanban(KanbanQuery(pageSize: 3), now: w.now)
        #expect(board.columns.map(\.step.key) == steps)
        for column in board.columns {
            let list = w.list(LeadQuery(filter: LeadFilter(step: [column.step.key]), includeTotal: true))
            #expect(column.count == list.total)
            #expect(column.page.rows.map(\.id) == Array(list.rows.prefix(3)).map(\.id))
        }
        #expect(board.columns[0].count == 6)  // 8 on "new", one deleted, one paused
        // Following a column's cursor reaches every lead of that step once.
        var seen: [UUID] = []
        var cursors: [String: LeadCursor] = [:]
        repeat {
            let column = w.projections.kanban(KanbanQuery(pageSize: 3, cursors: cursors, steps: ["new"]), now: w.now).columns[0]
            seen += column.page.rows.map(\.id)
            cursors["new"] = column.page.next
        } while cursors["new"] != nil
        #expect(seen.count == 6 && Set(seen).count == 6)
        // Filters and visibility apply to columns as to lists.
        let mine = w.projections.kanban(KanbanQuery(visibleTo: manager), now: w.now)
        #expect(mine.columns.map(\.count).reduce(0, +) == w.list(LeadQuery(includeTotal: true, visibleTo: manager)).total)
    }

    @Test("a retired step loses its column, a reorder moves it")
    func pipelineChanges() throws {
        var w = ProjectionWorld()
        _ = try w.create("A", step: "proposal")
        w.emit(.stepRetired(StepRetired(key: "qualified", at: w.now, by: w.admin)))
        w.emit(.stepsReordered(StepsReordered(order: ["new", "proposal", "contacted", "won"], at: w.now, by: w.admin)))
        let board = w.projections.kanban(KanbanQuery(), now: w.now)
        #expect(board.columns.map(\.step.key) == ["new", "proposal", "contacted", "won"])
        #expect(board.columns[1].count == 1)
    }

    @Test("watcher view lists the leads an admin watches, paged")
    func watched() throws {
        var w = ProjectionWorld()
        var watched: Set<UUID> = []
        for i in 0..<5 {
            let id = try w.create("L\(i)")
            if i != 2 {
                try w.run(id, .addWatcher(manager))
                watched.insert(id)
            }
        }
        let first = w.projections.watchedLeads(by: manager, LeadQuery(limit: 3), now: w.now)
        let second = w.projections.watchedLeads(by: manager, LeadQuery(after: first.next, limit: 3), now: w.now)
        #expect(Set((first.rows + second.rows).map(\.id)) == watched)
        #expect(second.next == nil)
    }

    @Test("actions for today: planned today and not completed, overdue listed apart, deleted leads left out")
    func actionsForToday() throws {
        var w = ProjectionWorld()
        // now = 2025-11-23 12:13:20 UTC
        let lead = try w.create("A")
        let other = try w.create("B")
        let dayStart = Timestamp(microseconds: 1_763_856_000_000_000)  // 2025-11-23 00:00 UTC
        let today1 = w.newID()
        let today2 = w.newID()
        let tomorrow = w.newID()
        let overdue = w.newID()
        let done = w.newID()
        let onDeleted = w.newID()
        let forSomeoneElse = w.newID()
        func action(_ id: UUID, at t: Timestamp, admin: UUID? = nil) -> LeadCommand {
            .addEntry(EntryInput(entryId: id, text: "call", actionType: "call", admin: admin ?? manager, plannedAt: t))
        }
        try w.run(lead, action(today2, at: dayStart.adding(seconds: 20 * 3_600)))
        try w.run(lead, action(today1, at: dayStart.adding(seconds: 9 * 3_600)))
        try w.run(lead, action(tomorrow, at: dayStart.adding(seconds: 86_400)))
        try w.run(lead, action(overdue, at: dayStart.adding(seconds: -1)))
        try w.run(lead, action(done, at: dayStart.adding(seconds: 3_600)))
        try w.run(lead, .completeAction(done))
        try w.run(lead, action(forSomeoneElse, at: dayStart.adding(seconds: 3_600), admin: w.admin))
        try w.run(other, action(onDeleted, at: dayStart.adding(seconds: 3_600)))
        try w.run(other, .delete(reason: nil))

        let agenda = w.projections.actionsForToday(admin: manager, now: w.now)
        #expect(agenda.today.map(\.action.id) == [today1, today2])
        #expect(agenda.overdue.map(\.action.id) == [overdue])
        #expect(agenda.today.allSatisfy { $0.leadId == lead && !$0.overdue })
        // In UTC+3 the local day starts at 21:00 UTC the day before: 20:00 today is still "today"; the
        // 23:59:59 action of yesterday UTC is 02:59 local today.
        let east = w.projections.actionsForToday(admin: manager, now: w.now, utcOffsetSeconds: 3 * 3_600)
        #expect(east.today.map(\.action.id) == [overdue, today1, today2])
        try w.run(other, .restore())
        #expect(w.projections.actionsForToday(admin: manager, now: w.now).today.count == 3)
    }
}
