import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@Suite("Lead directory: filters, states, visibility, keyset pagination")
struct LeadDirectoryTests {
    let manager = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!
    let other = UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!

    @Test("a long text custom field is found by equality from the index, its digest standing for the value")
    func longTextEquality() throws {
        var w = ProjectionWorld()
        w.emit(.customFieldDefined(CustomFieldDefined(field: CustomFieldDefinition(key: "brief", name: "Brief", type: .text), at: w.now, by: w.admin)))
        let long = String(repeating: "Needs a CRM for 40 sales people. ", count: 20) + "Soon."  // 665 bytes: over an LMDB key
        let a = try w.create("Ana", customFields: ["brief": .text(long)])
        let b = try w.create("Bronius", customFields: ["brief": .text(long + "!")])
        let c = try w.create("Česlovas", customFields: ["brief": .text("short")])
        #expect(w.ids(LeadFilter(customFields: ["brief": .text(long)])) == [a])
        #expect(w.ids(LeadFilter(customFields: ["brief": .text(long + "!")])) == [b])
        #expect(w.ids(LeadFilter(customFields: ["brief": .text("short")])) == [c])
        #expect(w.ids(LeadFilter(customFields: ["brief": .text("other")])).isEmpty)
        #expect(w.list(LeadQuery(filter: LeadFilter(customFields: ["brief": .text(long)]), includeTotal: true)).total == 1)
        try w.run(a, .update(LeadPatch(customFields: ["brief": .text("short")])))
        #expect(w.ids(LeadFilter(customFields: ["brief": .text(long)])).isEmpty)
        #expect(w.ids(LeadFilter(customFields: ["brief": .text("short")])) == [a, c])
    }

    @Test("each filter alone returns exactly the leads it names")
    func filtersAlone() throws {
        var w = ProjectionWorld()
        w.emit(.customFieldDefined(CustomFieldDefined(field: CustomFieldDefinition(key: "budget", name: "Budget", type: .int), at: w.now, by: w.admin)))
        let a = try w.create("Ana", source: "website", responsible: manager, tags: ["VIP"])
        let b = try w.create("Bronius", step: "contacted", source: "phone", tags: ["cold"])
        let c = try w.create("Česlovas", customFields: ["budget": .int(10)])
        try w.run(c, .addWatcher(other))
        let customer = w.newID()
        try w.run(b, .markStep("won"))
        try w.run(b, .convert(customerId: customer))

        #expect(w.ids(LeadFilter(step: "new")) == [a, c])
        #expect(w.ids(LeadFilter(step: "won")) == [b])
        #expect(w.ids(LeadFilter(responsible: [manager])) == [a])
        #expect(w.ids(LeadFilter(tag: " vip ")) == [a])
        #expect(w.ids(LeadFilter(source: "phone")) == [b])
        #expect(w.ids(LeadFilter(watcher: [other])) == [c])
        #expect(w.ids(LeadFilter(customer: [customer])) == [b])
        #expect(w.ids(LeadFilter(converted: true)) == [b])
        #expect(w.ids(LeadFilter(converted: false)) == [a, c])
        #expect(w.ids(LeadFilter(customFields: ["budget": .int(10)])) == [c])
        #expect(w.ids(LeadFilter(customFields: ["budget": .int(11)])).isEmpty)
        #expect(w.ids(LeadFilter(step: "nonexistent")).isEmpty)
    }

    @Test("filters combine with AND")
    func filtersCombined() throws {
        var w = ProjectionWorld()
        let a = try w.create("Ana", source: "website", responsible: manager, tags: ["VIP"])
        _ = try w.create("Aldona", source: "website", tags: ["VIP"])
        _ = try w.create("Antanas", source: "phone", responsible: manager, tags: ["VIP"])
        #expect(w.ids(LeadFilter(responsible: [manager], tag: "vip", source: "website")) == [a])
        #expect(w.ids(LeadFilter(step: "contacted", responsible: [manager])).isEmpty)
    }

    @Test("created and updated ranges include from and exclude to")
    func timeRanges() throws {
        var w = ProjectionWorld()
        let t0 = w.now
        let a = try w.create("A")
        w.advance(seconds: 60)
        let b = try w.create("B")
        w.advance(seconds: 60)
        let c = try w.create("C")
        let t1 = t0.adding(seconds: 60)
        #expect(w.ids(LeadFilter(createdFrom: t1)) == [b, c])
        #expect(w.ids(LeadFilter(createdTo: t1)) == [a])
        #expect(w.ids(LeadFilter(createdFrom: t1, createdTo: t1.adding(seconds: 1))) == [b])
        w.advance(seconds: 60)
        try w.run(a, .tag("x"))
        #expect(w.ids(LeadFilter(updatedFrom: w.now)) == [a])
        for sort in LeadSort.allCases {
            for order in PageOrder.allCases {
                let rows = w.list(LeadQuery(filter: LeadFilter(createdFrom: t1), sort: sort, order: order)).rows
                #expect(Set(rows.map(\.id)) == [b, c], "sort \(sort) \(order)")
            }
        }
    }

    @Test("deleted and merged leads are hidden by default, listed when asked for, and a restore brings a lead back everywhere")
    func deletedMergedRestored() throws {
        var w = ProjectionWorld()
        let a = try w.create("Ana", phones: ["+370 600 00001"], responsible: manager, tags: ["VIP"])
        let b = try w.create("Ana B", phones: ["+370 600 00001"])
        let target = try w.create("Target")
        let merged = try w.create("Merged", tags: ["VIP"])
        try w.run(target, .merge(sources: [merged]))
        try w.run(a, .delete(reason: "spam"))

        #expect(w.ids(LeadFilter()) == [b, target])
        #expect(w.ids(LeadFilter(states: [.deleted])) == [a])
        #expect(w.ids(LeadFilter(states: [.merged])) == [merged])
        #expect(w.ids(LeadFilter(tag: "vip")) == [target])  // the target gained the tag in the merge
        #expect(w.ids(LeadFilter(responsible: [manager])).isEmpty)
        #expect(w.search("ana") == [b])
        #expect(w.projections.duplicateGroups().total == 0)

        try w.run(a, .restore())
        #expect(w.ids(LeadFilter()) == [a, b, target])
        #expect(w.ids(LeadFilter(responsible: [manager])) == [a])
        #expect(w.ids(LeadFilter(tag: "VIP")) == [a, target])
        #expect(w.search("ana") == [a, b])
        #expect(w.projections.duplicateGroups().total == 1)
        #expect(w.ids(LeadFilter(states: [.deleted])).isEmpty)
    }

    @Test("a paused lead is hidden until its pause date, then shows again without any event")
    func pausedUntil() throws {
        var w = ProjectionWorld()
        let a = try w.create("Ana")
        let b = try w.create("Bronė")
        try w.run(a, .pause(until: w.now.adding(seconds: 3_600)))
        #expect(w.ids(LeadFilter()) == [b])
        #expect(w.ids(LeadFilter(states: [.paused])) == [a])
        #expect(w.list(LeadQuery(includeTotal: true)).total == 1)
        w.advance(seconds: 3_600)
        #expect(w.ids(LeadFilter()) == [a, b])
        #expect(w.ids(LeadFilter(states: [.paused])).isEmpty)
        #expect(w.list(LeadQuery(includeTotal: true)).total == 2)
    }

    @Test("a manager without leads.read.all sees only leads they are responsible for or watch")
    func visibility() throws {
        var w = ProjectionWorld()
        let mine = try w.create("Mine", responsible: manager)
        let watched = try w.create("Watched", responsible: other)
        try w.run(watched, .addWatcher(manager))
        _ = try w.create("Someone else's", responsible: other)
        _ = try w.create("Nobody's")
        #expect(w.ids(LeadFilter(), visibleTo: manager) == [mine, watched])
        #expect(w.ids(LeadFilter(step: "new"), visibleTo: manager) == [mine, watched])
        #expect(w.list(LeadQuery(includeTotal: true, visibleTo: manager)).total == 2)
        #expect(w.ids(LeadFilter(), q: "someone", visibleTo: manager).isEmpty)
        try w.run(watched, .removeWatcher(manager))
        #expect(w.ids(LeadFilter(), visibleTo: manager) == [mine])
    }

    @Test("paging a static set returns every row exactly once, in order, for every sort, with ties on the sort key")
    func keysetPagination() throws {
        var w = ProjectionWorld()
        var created: [UUID] = []
        for i in 0..<57 {
            // Groups of leads share a creation time, an update time and a name: only the id breaks ties.
            if i % 5 == 0 { w.advance(seconds: 1) }
            created.append(try w.create(i % 3 == 0 ? "Same Name" : "Lead \(i % 7)", step: ["new", "contacted", "won"][i % 3]))
        }
        try w.run(created[3], .delete(reason: nil))
        let visible = Set(created).subtracting([created[3]])
        for sort in LeadSort.allCases {
            for order in PageOrder.allCases {
                let query = LeadQuery(sort: sort, order: order, limit: 7, includeTotal: true)
                let rows = w.allPages(query)
                #expect(rows.count == visible.count, "sort \(sort) \(order)")
                #expect(Set(rows.map(\.id)) == visible, "sort \(sort) \(order)")
                let keys = rows.map { w.projections.orderKey($0, sort) }
                #expect(keys == (order == .ascending ? keys.sorted() : keys.sorted(by: >)), "sort \(sort) \(order)")
                #expect(w.list(query).total == visible.count)
                // The same walk with a selective filter (collect-and-sort path) agrees with filtering the full walk.
                let filtered = w.allPages(LeadQuery(filter: LeadFilter(step: "won"), sort: sort, order: order, limit: 4))
                #expect(filtered.map(\.id) == rows.filter { $0.step == "won" }.map(\.id), "sort \(sort) \(order)")
            }
        }
    }

    @Test("the step sort follows pipeline order, then update time; the default sort is updated, newest first")
    func stepAndDefaultSort() throws {
        var w = ProjectionWorld()
        let won = try w.create("W", step: "won")
        w.advance(seconds: 1)
        let new = try w.create("N", step: "new")
        w.advance(seconds: 1)
        let qualified = try w.create("Q", step: "qualified")
        #expect(w.list(LeadQuery(sort: .step, order: .ascending)).rows.map(\.id) == [new, qualified, won])
        #expect(w.list().rows.map(\.id) == [qualified, new, won])
        w.advance(seconds: 1)
        try w.run(won, .tag("touched"))
        #expect(w.list().rows.first?.id == won)
    }

    @Test("the limit is clamped to 1…200 and a cursor of another sort is ignored")
    func limitsAndForeignCursor() throws {
        var w = ProjectionWorld()
        for i in 0..<3 { _ = try w.create("L\(i)") }
        #expect(w.list(LeadQuery(limit: 0)).rows.count == 1)
        #expect(w.list(LeadQuery(limit: 10_000)).rows.count == 3)
        let cursor = try #require(w.list(LeadQuery(sort: .name, limit: 1)).next)
        #expect(w.list(LeadQuery(sort: .updated, after: cursor)).rows.count == 3)
    }
}
