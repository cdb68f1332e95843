import EventLog
import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerCore

/// Tasks as work to follow up across leads, and the lead filters on tasks and deals, through the ledger and the
/// projection store (served, rebuilt event by event, and rebuilt in bulk).
@Suite("Task lists and the task and deal filters")
struct TaskLedgerTests {
    static let anna = fixedUUID(0xB1)
    static let boris = fixedUUID(0xB2)
    static let hour: Int64 = 3_600

    /// Two managers; leads 1–4 with tasks due yesterday, in an hour, tomorrow and without a date.
    static func world(_ path: String) async throws -> (Ledger, tasks: [UUID]) {
        let ledger = try await openLedger(path)
        for (id, name) in [(anna, "Anna"), (boris, "Boris")] {
            try await ledger.execute(.admin(id, .create(adminId: id, name: name, email: nil, role: "manager", permissions: [])), actor: testAdmin)
        }
        var tasks: [UUID] = []
        let plan: [(lead: Int, owner: UUID?, due: Int64?, type: String)] = [
            (1, anna, -24 * hour, "contact-client"), (2, anna, hour, "meeting"), (3, boris, 24 * hour, "contact-client"),
            (4, nil, nil, "meeting"), (1, anna, 2 * hour, "meeting"),
        ]
        for (n, task) in plan.enumerated() {
            let lead = fixedUUID(task.lead)
            if try ledger.read({ try $0.lead(lead) }) == nil {
                try await createLead(ledger, task.lead, name: "Lead \(task.lead)")
                try await ledger.execute(.lead(lead, .assign(task.owner ?? anna)), actor: testAdmin)
            }
            let id = fixedUUID(0x7000 + n)
            tasks.append(id)
            let input = TaskInput(
                taskId: id, taskType: task.type, description: "Task \(n)", responsible: task.owner,
                due: task.due.map { fixtureStart.adding(seconds: $0) })
            try await ledger.execute(.lead(lead, .task(.add(input))), actor: testAdmin)
        }
        return (ledger, tasks)
    }

    @Test("the task list answers a manager's, everyone's, overdue, due in a range, by type and closed tasks, paged")
    func taskList() async throws {
        let data = TemporaryDirectory()
        let (ledger, tasks) = try await Self.world(data.path)
        let now = fixtureStart
        func ids(_ query: TaskQuery) throws -> [UUID] { try ledger.read { try $0.tasks(query, now: now) }.items.map(\.task.id) }
        // Earliest due first, tasks without a due date last; a task without a responsible is its author's.
        #expect(try ids(TaskQuery()) == [tasks[0], tasks[1], tasks[4], tasks[2], tasks[3]])
        #expect(try ids(TaskQuery(owner: Self.anna)) == [tasks[0], tasks[1], tasks[4]])
        #expect(try ids(TaskQuery(owner: testAdmin)) == [tasks[3]])
        #expect(try ids(TaskQuery(dueTo: now)) == [tasks[0]])
        #expect(try ledger.read { try $0.tasks(TaskQuery(dueTo: now), now: now) }.items.map(\.overdue) == [true])
        #expect(try ids(TaskQuery(dueFrom: now, dueTo: now.adding(seconds: 3 * Self.hour))) == [tasks[1], tasks[4]])
        #expect(try ids(TaskQuery(dueFrom: now)) == [tasks[1], tasks[4], tasks[2]])  // a range leaves undated tasks out
        #expect(try ids(TaskQuery(taskType: ["meeting"])) == [tasks[1], tasks[4], tasks[3]])
        // Pages of two follow one another without gaps or repeats.
        var seen: [UUID] = []
        var cursor: TaskCursor?
        repeat {
            let page = try ledger.read { try $0.tasks(TaskQuery(after: cursor, limit: 2), now: now) }
            seen += page.items.map(\.task.id)
            cursor = page.next
        } while cursor != nil
        #expect(seen == [tasks[0], tasks[1], tasks[4], tasks[2], tasks[3]])
        // Closing moves a task to the closed list; reopening brings it back; reassigning moves it to the new owner.
        try await ledger.execute(.lead(fixedUUID(1), .task(.close(tasks[0]))), actor: testAdmin)
        #expect(try ids(TaskQuery(owner: Self.anna)) == [tasks[1], tasks[4]])
        #expect(try ids(TaskQuery(closed: true)) == [tasks[0]])
        try await ledger.execute(.lead(fixedUUID(1), .task(.reopen(tasks[0]))), actor: testAdmin)
        try await ledger.execute(.lead(fixedUUID(1), .task(.reassign(tasks[0], to: Self.boris))), actor: testAdmin)
        #expect(try ids(TaskQuery(owner: Self.boris)) == [tasks[0], tasks[2]])
        try await ledger.execute(.lead(fixedUUID(2), .task(.update(tasks[1], TaskPatch(due: .some(nil))))), actor: testAdmin)
        #expect(try ids(TaskQuery(owner: Self.anna)) == [tasks[4], tasks[1]])
        try await ledger.execute(.lead(fixedUUID(2), .task(.delete(tasks[1]))), actor: testAdmin)
        #expect(try ids(TaskQuery(owner: Self.anna)) == [tasks[4]])
        // A deleted lead's tasks leave the lists; a manager sees tasks on the leads they reach only.
        try await ledger.execute(.lead(fixedUUID(3), .delete(reason: nil)), actor: testAdmin)
        #expect(try ids(TaskQuery(owner: Self.boris)) == [tasks[0]])
        #expect(try ids(TaskQuery(visibleTo: Self.boris)).isEmpty)  // lead 1 is Anna's
        #expect(try ids(TaskQuery(visibleTo: Self.anna)) == [tasks[0], tasks[4], tasks[3]])
        let served = try ledger.read { try $0.tasks(TaskQuery(), now: now) }
        try await ledger.close()
        try forEachRebuiltStore(data.path) { store, bulk throws in
            #expect(try store.read { try $0.tasks(TaskQuery(), now: now) } == served, "bulk: \(bulk)")
        }
    }

    @Test("tasks on deals are listed with the leads' tasks, within reach, leave with their deal, and rebuild the same")
    func dealTasks() async throws {
        let data = TemporaryDirectory()
        let (ledger, tasks) = try await Self.world(data.path)
        let now = fixtureStart
        func items(_ query: TaskQuery) throws -> [TaskItem] { try ledger.read { view in try view.tasks(query, now: now).items } }
        // Deal 1 is on Anna's lead 1 with Boris responsible; deal 2 belongs to a customer only and is Anna's.
        let (d1, d2, customer) = (fixedUUID(0xd1), fixedUUID(0xd2), fixedUUID(0xc1))
        try await ledger.execute(.customer(customer, .register(CustomerInput(customerId: customer, fullName: "UAB Rasa"))), actor: testAdmin)
        try await ledger.execute(
            .deal(d1, .create(dealId: d1, DealInput(name: "Licences", amount: "10", currency: "EUR", responsible: Self.boris, leadId: fixedUUID(1)))),
            actor: testAdmin)
        try await ledger.execute(
            .deal(d2, .create(dealId: d2, DealInput(name: "Support", amount: "5", currency: "EUR", responsible: Self.anna, customerId: customer))),
            actor: testAdmin)
        let (t1, t2) = (fixedUUID(0x7101), fixedUUID(0x7102))
        try await ledger.execute(
            .deal(d1, .task(.add(TaskInput(taskId: t1, taskType: "meeting", description: "Offer", responsible: Self.boris, due: now.adding(seconds: -Self.hour))))),
            actor: testAdmin)
        try await ledger.execute(
            .deal(d2, .task(.add(TaskInput(taskId: t2, taskType: "contact-client", description: "Renewal", responsible: Self.anna, due: now.adding(seconds: 3 * Self.hour))))),
            actor: testAdmin)
        // Due order across leads and deals; each item says what it is on, with the deal's lead when it has one.
        #expect(try items(TaskQuery()).map(\.task.id) == [tasks[0], t1, tasks[1], tasks[4], t2, tasks[2], tasks[3]])
        let offer = try #require(try items(TaskQuery(owner: Self.boris)).first)
        #expect(offer.subject == TaskSubject(.deal, d1) && offer.dealName == "Licences" && offer.overdue)
        #expect(offer.leadId == fixedUUID(1) && offer.leadName == "Lead 1")
        let renewal = try #require(try items(TaskQuery(on: .deal)).last)
        #expect(renewal.task.id == t2 && renewal.leadId == nil && renewal.leadName == nil && renewal.dealName == "Support")
        #expect(try items(TaskQuery(on: .deal)).map(\.task.id) == [t1, t2])
        #expect(try items(TaskQuery(on: .lead)).map(\.task.id) == [tasks[0], tasks[1], tasks[4], tasks[2], tasks[3]])
        #expect(try items(TaskQuery(dueTo: now)).map(\.task.id) == [tasks[0], t1])
        // Reach: Boris is responsible for deal 1 (on Anna's lead); Anna reaches deal 1 through her lead and deal 2 as its
        // responsible.
        #expect(try items(TaskQuery(visibleTo: Self.boris)).map(\.task.id) == [t1, tasks[2]])
        #expect(try items(TaskQuery(on: .deal, visibleTo: Self.anna)).map(\.task.id) == [t1, t2])
        // Pages of two cross the lead/deal boundary without gaps or repeats.
        var seen: [UUID] = []
        var cursor: TaskCursor?
        repeat {
            let page = try ledger.read { try $0.tasks(TaskQuery(after: cursor, limit: 2), now: now) }
            seen += page.items.map(\.task.id)
            cursor = page.next
        } while cursor != nil
        #expect(seen == [tasks[0], t1, tasks[1], tasks[4], t2, tasks[2], tasks[3]])
        // Closing moves it to the closed list; a deleted deal's tasks leave the lists and come back with a restore.
        try await ledger.execute(.deal(d2, .task(.close(t2))), actor: testAdmin)
        #expect(try items(TaskQuery(closed: true)).map(\.task.id) == [t2])
        try await ledger.execute(.deal(d1, .delete(reason: nil)), actor: testAdmin)
        #expect(try items(TaskQuery(on: .deal)).isEmpty)
        try await ledger.execute(.deal(d1, .restore), actor: testAdmin)
        #expect(try items(TaskQuery(on: .deal)).map(\.task.id) == [t1])
        let today = try ledger.read { try $0.actionsForToday(admin: Self.boris, now: now) }
        #expect(today.tasksToday.map(\.task.id) == [t1])  // due at 09:00, an hour before now: today's
        let served = try ledger.read { (try $0.tasks(TaskQuery(), now: now), try $0.tasks(TaskQuery(closed: true), now: now)) }
        try await ledger.close()
        try forEachRebuiltStore(data.path) { store, bulk throws in
            let rebuilt = try store.read { (try $0.tasks(TaskQuery(), now: now), try $0.tasks(TaskQuery(closed: true), now: now)) }
            #expect(rebuilt == served, "bulk: \(bulk)")
        }
    }

    @Test("actions for today include the admin's open tasks due today and those overdue")
    func todayView() async throws {
        let data = TemporaryDirectory()
        let (ledger, tasks) = try await Self.world(data.path)
        let today = try ledger.read { try $0.actionsForToday(admin: Self.anna, now: fixtureStart) }
        #expect(today.tasksToday.map(\.task.id) == [tasks[1], tasks[4]])
        #expect(today.tasksOverdue.map(\.task.id) == [tasks[0]])
        #expect(today.tasksOverdue.map(\.overdue) == [true])
        // In UTC+14 the day ends at 10:00 UTC: the tasks due at 10:00 and 11:00 are tomorrow's there.
        let east = try ledger.read { try $0.actionsForToday(admin: Self.anna, now: fixtureStart, utcOffsetSeconds: 14 * Self.hour) }
        #expect(east.tasksToday.isEmpty)
        #expect(east.tasksOverdue.map(\.task.id) == [tasks[0]])
        try await ledger.close()
    }

    @Test("hasTasks, hasOverdueTasks, hasDeals and dealStage follow tasks and deals as they change, also rebuilt")
    func taskAndDealFilters() async throws {
        let data = TemporaryDirectory()
        let (ledger, tasks) = try await Self.world(data.path)
        let none = try await createLead(ledger, 5, name: "No tasks")
        let now = fixtureStart
        func ids(_ filter: LeadFilter) throws -> Set<UUID> {
            Set(try ledger.read { try $0.leads(LeadQuery(filter: filter, limit: 200), now: now) }.rows.map(\.id))
        }
        func total(_ filter: LeadFilter) throws -> Int { try ledger.read { try $0.count(LeadQuery(filter: filter), now: now) } }
        let withTasks: Set<UUID> = [fixedUUID(1), fixedUUID(2), fixedUUID(3), fixedUUID(4)]
        #expect(try ids(LeadFilter(hasTasks: true)) == withTasks)
        #expect(try ids(LeadFilter(hasTasks: false)) == [none])
        #expect(try total(LeadFilter(hasTasks: false)) == 1)
        #expect(try ids(LeadFilter(hasOverdueTasks: true)) == [fixedUUID(1)])
        #expect(try ids(LeadFilter(hasOverdueTasks: false)) == [fixedUUID(2), fixedUUID(3), fixedUUID(4), none])
        try await ledger.execute(.lead(fixedUUID(1), .task(.close(tasks[0]))), actor: testAdmin)
        #expect(try ids(LeadFilter(hasOverdueTasks: true)).isEmpty)
        try await ledger.execute(.lead(fixedUUID(4), .task(.delete(tasks[3]))), actor: testAdmin)
        #expect(try ids(LeadFilter(hasTasks: false)) == [fixedUUID(4), none])

        let d1 = fixedUUID(0xd1)
        let d2 = fixedUUID(0xd2)
        try await ledger.execute(.deal(d1, .create(dealId: d1, DealInput(name: "A", amount: "10", currency: "EUR", leadId: fixedUUID(1)))), actor: testAdmin)
        try await ledger.execute(.deal(d2, .create(dealId: d2, DealInput(name: "B", amount: "20", currency: "EUR", leadId: fixedUUID(1)))), actor: testAdmin)
        #expect(try ids(LeadFilter(hasDeals: true)) == [fixedUUID(1)])
        #expect(try ids(LeadFilter(dealStage: ["qualification"])) == [fixedUUID(1)])
        try await ledger.execute(.deal(d2, .moveStage("proposal")), actor: testAdmin)
        // One deal left on `qualification`, one on `proposal`: the lead is on both.
        #expect(try ids(LeadFilter(dealStage: ["qualification"])) == [fixedUUID(1)])
        #expect(try ids(LeadFilter(dealStage: ["proposal", "negotiation"])) == [fixedUUID(1)])
        try await ledger.execute(.deal(d1, .update(DealPatch(leadId: .some(fixedUUID(2))))), actor: testAdmin)
        #expect(try ids(LeadFilter(dealStage: ["qualification"])) == [fixedUUID(2)])
        #expect(try ids(LeadFilter(hasDeals: true)) == [fixedUUID(1), fixedUUID(2)])
        #expect(try ids(LeadFilter(hasDeals: false)) == [fixedUUID(3), fixedUUID(4), none])
        #expect(try total(LeadFilter(hasDeals: true, hasTasks: true)) == 2)
        try await ledger.execute(.deal(d2, .delete(reason: nil)), actor: testAdmin)
        #expect(try ids(LeadFilter(hasDeals: true)) == [fixedUUID(2)])
        #expect(try ids(LeadFilter(dealStage: ["proposal"])).isEmpty)
        // A deleted lead keeps its deal but leaves the default list; asked for deleted leads, it is there.
        try await ledger.execute(.lead(fixedUUID(2), .delete(reason: nil)), actor: testAdmin)
        #expect(try ids(LeadFilter(hasDeals: true)).isEmpty)
        #expect(try ids(LeadFilter(states: [.deleted], hasDeals: true)) == [fixedUUID(2)])

        let filters: [LeadFilter] = [
            LeadFilter(hasTasks: true), LeadFilter(hasTasks: false), LeadFilter(hasOverdueTasks: true),
            LeadFilter(states: Set(LeadStatus.allCases), hasDeals: true), LeadFilter(hasDeals: false),
            LeadFilter(states: Set(LeadStatus.allCases), dealStage: ["qualification", "proposal"]),
        ]
        let served = try filters.map(ids)
        try await ledger.close()
        try forEachRebuiltStore(data.path) { store, bulk throws in
            let rebuilt = try filters.map { filter in
                Set(try store.read { try $0.leads(LeadQuery(filter: filter, limit: 200), now: now) }.rows.map(\.id))
            }
            #expect(rebuilt == served, "bulk: \(bulk)")
        }
    }
}

@Suite("The customer directory in the projection store")
struct CustomerDirectoryLedgerTests {
    @Test("search, kind, company members and deleted customers answer the same served, rebuilt and bulk-built")
    func rebuilt() async throws {
        let data = TemporaryDirectory()
        let ledger = try await openLedger(data.path)
        let company = fixedUUID(0xC0)
        try await ledger.execute(
            .customer(company, .register(CustomerInput(customerId: company, kind: .company, fullName: "Acme Ltd", phones: ["+44 20 7946 0000"]))),
            actor: testAdmin)
        var persons: [UUID] = []
        for (i, name) in ["Ona Onaitė", "Jonas Jonaitis", "Petras Petraitis", "Ona Petraitė"].enumerated() {
            let id = fixedUUID(0xC1 + i)
            persons.append(id)
            try await ledger.execute(
                .customer(id, .register(CustomerInput(customerId: id, fullName: name, companyId: i % 2 == 0 ? company : nil, emails: ["p\(i)@acme.example"]))),
                actor: testAdmin)
        }
        try await ledger.execute(.customer(persons[1], .delete(reason: nil)), actor: testAdmin)
        try await ledger.execute(.customer(persons[2], .setCompany(company)), actor: testAdmin)
        try await ledger.execute(.customer(persons[0], .update(fullName: "Ona Jonaitienė", company: nil, phones: nil, emails: nil, address: nil)), actor: testAdmin)
        // A person cannot be put in a person, nor a company in a company; nothing is appended.
        let head = ledger.log.head
        await #expect(throws: DomainError.self) { try await ledger.execute(.customer(persons[3], .setCompany(persons[0])), actor: testAdmin) }
        await #expect(throws: DomainError.self) { try await ledger.execute(.customer(company, .setCompany(company)), actor: testAdmin) }
        #expect(ledger.log.head == head)
        let queries = [
            CustomerQuery(), CustomerQuery(q: "ona"), CustomerQuery(q: "petrait"), CustomerQuery(kind: .company),
            CustomerQuery(company: company), CustomerQuery(deleted: true), CustomerQuery(q: "442079"), CustomerQuery(q: "jonaitiene"),
        ]
        func answers(_ view: borrowing ProjectionView) throws -> [[UUID]] { try queries.map { try view.customers($0).items.map(\.id) } }
        let served = try ledger.read { try answers($0) }
        #expect(served[1] == [persons[0], persons[3]])  // "ona jonaitiene" < "ona petraite"
        #expect(served[2] == [persons[3], persons[2]])
        #expect(served[3] == [company])
        #expect(served[4] == [persons[0], persons[2]])
        #expect(served[5] == [persons[1]])
        #expect(served[6] == [company])
        #expect(served[7] == [persons[0]])
        // The per-customer test (used for tokens too broad to collect) agrees with the index on every query.
        for q in ["ona", "o", "petrait", "acme", "p1", "442079", "0000", "7946", "zz", "ona jon"] {
            let tokens = LeadSearch.queryTokens(q)
            let (indexed, all) = try ledger.read { view in (try view.customers(CustomerQuery(q: q)).items.map(\.id), try view.allCustomers()) }
            let tested = all.filter { !$0.deleted && ProjectionView.customer($0, matchesAll: tokens) }
                .sorted { (SearchText.fold($0.fullName), LeadKey($0.id)) < (SearchText.fold($1.fullName), LeadKey($1.id)) }.map(\.id)
            #expect(indexed == tested, "\(q)")
        }
        let matches = try ledger.read { try $0.emailCheck(leads: [], visibleTo: nil) }
        #expect(matches.isEmpty)
        try await ledger.close()
        try forEachRebuiltStore(data.path) { store, bulk throws in
            #expect(try store.read { try answers($0) } == served, "bulk: \(bulk)")
        }
    }
}
