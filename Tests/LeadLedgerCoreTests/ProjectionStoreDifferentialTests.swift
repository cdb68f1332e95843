import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

/// The projection store against the in-memory projections it replaces: the same log, every list, kanban, view,
/// report, duplicate and customer answer compared.
@Suite("Projection store: differential against the in-memory projections")
struct ProjectionStoreDifferentialTests {
    /// A store in `directory`, fed every event of `log`.
    static func store(_ directory: String, log: EventLog, batchSize: Int = 4_096) throws -> ProjectionDatabase {
        let store = try ProjectionDatabase(directory: directory + "/projections")
        try store.catchUp(log: log, batchSize: batchSize)
        return store
    }

    static func expectSameGolden(_ old: Projections, _ view: borrowing ProjectionView) throws {
        let expected = old.goldenJSON()
        let actual = try view.goldenJSON()
        #expect(Set(expected.keys) == Set(actual.keys))
        for (name, json) in expected.sorted(by: { $0.key < $1.key }) {
            let a = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
            let b = try JSONSerialization.jsonObject(with: actual[name] ?? Data("null".utf8), options: [.fragmentsAllowed])
            let difference = GoldenTests.firstDifference(a, b, path: "$")
            #expect(difference == nil, "projection '\(name)' differs at \(difference ?? "")")
        }
    }

    @Test("the golden fixture log: every projection's golden JSON is the same from the store")
    func goldenFixture() async throws {
        let data = TemporaryDirectory()
        let ledger = try await openLedger(data.path)
        try await GoldenFixture.write(ledger)
        try await ledger.close()
        let log = try EventLog(directory: data.path + "/log")
        defer { log.close() }
        let old = try Replayer.projections(log: log)
        // Batches of 3 events: the fixture's commands cross transaction boundaries.
        let store = try Self.store(data.path, log: log, batchSize: 3)
        try store.read { view in
            #expect(view.position == old.position)
            try Self.expectSameGolden(old, view)
        }
    }

    /// 10,000 leads by default; `LEADLEDGER_DIFFERENTIAL_LEADS=100000` runs it at 10^5 (on demand: minutes).
    static let generatedLeads = ProcessInfo.processInfo.environment["LEADLEDGER_DIFFERENTIAL_LEADS"].flatMap(Int.init) ?? 10_000

    @Test("a generated log of 10,000 leads: golden JSON and 600 list queries answer the same", .timeLimit(.minutes(60)))
    func generatedLog() async throws {
        let data = TemporaryDirectory()
        let log = try EventLog(directory: data.path + "/log")
        defer { log.close() }
        _ = try await LogGenerator(leads: Self.generatedLeads, seed: 7).run(log: log)
        let path = data.path
        try await onOwnThread { try Self.compareGenerated(log: log, path: path) }
    }

    static func compareGenerated(log: EventLog, path: String) throws {
        let old = try Replayer.projections(log: log)
        let store = try Self.store(path, log: log)
        defer { store.close() }
        let now = Timestamp(rawValue: old.lastRecordedAt)
        try store.read { view in
            #expect(view.position == old.position)
            #expect(try view.leadCount() == old.directory.count)
            try Self.expectSameGolden(old, view)
            var random = SplitMix64(seed: 99)
            let queries = Self.queries(old, &random, count: 600, now: now)
            var compared = 0
            for query in queries {
                var cursor: LeadCursor?
                for _ in 0..<3 {
                    var q = query
                    q.after = cursor
                    let expected = old.leads(q, now: now)
                    let actual = try view.leads(q, now: now)
                    #expect(actual.rows.map(\.id) == expected.rows.map(\.id), "\(q)")
                    #expect(actual.next == expected.next, "\(q)")
                    #expect(actual.total == expected.total, "\(q)")
                    compared += 1
                    guard let next = expected.next else { break }
                    cursor = next
                }
            }
            #expect(compared >= 600)
            for period in Self.periods(now) {
                #expect(try view.funnel(period) == old.funnel(period))
                #expect(try view.perSource(period) == old.perSource(period))
                #expect(try view.perManager(period) == old.perManager(period))
            }
            for admin in old.admins.admins.keys {
                #expect(try view.actionsForToday(admin: admin, now: now, utcOffsetSeconds: 7_200)
                    == old.actionsForToday(admin: admin, now: now, utcOffsetSeconds: 7_200))
                #expect(try view.pausedLeads(now: now, limit: 20, visibleTo: admin) == old.pausedLeads(now: now, limit: 20, visibleTo: admin))
                let kanban = KanbanQuery(q: "a", pageSize: 10, visibleTo: admin)
                #expect(try view.kanban(kanban, now: now) == old.kanban(kanban, now: now))
            }
            for lead in old.directory.sortedLeads.prefix(300) {
                let expected = old.possibleDuplicates(of: lead.id)
                let actual = try view.possibleDuplicates(of: lead.id)
                #expect(actual.map(\.leadId) == expected.map(\.leadId))
                #expect(actual.map(\.keys) == expected.map(\.keys))
            }
        }
    }

    static func periods(_ now: Timestamp) -> [ReportPeriod] {
        let day: Int64 = 86_400
        return [
            .allTime, ReportPeriod(from: now.adding(seconds: -90 * day)), ReportPeriod(to: now.adding(seconds: -200 * day)),
            ReportPeriod(from: now.adding(seconds: -400 * day), to: now.adding(seconds: -33 * day)),
        ]
    }

    /// Random list queries over the values the log holds: every filter, sort, order, search and reach.
    static func queries(_ p: Projections, _ random: inout SplitMix64, count: Int, now: Timestamp) -> [LeadQuery] {
        let leads = p.directory.sortedLeads
        let steps = p.settings.steps.map(\.key)
        let admins = Array(p.admins.admins.keys).sorted(by: UUID.canonicalOrder)
        let tags = Array(Set(leads.flatMap(\.tags))).sorted()
        let sources = Array(Set(leads.map(\.source))).sorted()
        let customers = Array(p.customers.customers.keys).sorted(by: UUID.canonicalOrder)
        let watchers = Array(Set(leads.flatMap(\.watchers))).sorted(by: UUID.canonicalOrder)
        let statusSets: [Set<LeadStatus>] = [
            LeadStatus.defaultVisible, LeadStatus.live, [.paused], [.deleted], [.merged], [.converted],
            Set(LeadStatus.allCases), [.active], [.paused, .deleted],
        ]
        func pick<T>(_ values: [T]) -> T? { values.isEmpty ? nil : values[random.below(values.count)] }
        func words() -> String {
            let lead = pick(leads)!
            var options: [String] = ["petr", "ivan", "ona petr", "gmail", "+3706", "zz", "a"]
            options.append(String(SearchText.fold(lead.fullName).prefix(random.below(5) + 1)))
            if let email = lead.emails.first { options.append(String(email.prefix(random.below(6) + 2))) }
            if let phone = lead.phones.first {
                options.append(String(phone.digits.suffix(random.below(5) + 4)))
                options.append("+" + String(phone.digits.prefix(random.below(4) + 2)))
            }
            return pick(options)!
        }
        var result: [LeadQuery] = []
        for _ in 0..<count {
            var f = LeadFilter(states: pick(statusSets)!)
            if random.below(3) == 0 { f.step = pick(steps) }
            if random.below(4) == 0 { f.responsible = pick(admins) }
            if random.below(6) == 0 { f.tag = pick(tags) }
            if random.below(6) == 0 { f.source = pick(sources) }
            if random.below(8) == 0 { f.watcher = pick(watchers) }
            if random.below(10) == 0 { f.customer = pick(customers) }
            if random.below(8) == 0 { f.converted = random.below(2) == 0 }
            if random.below(6) == 0 { f.createdFrom = now.adding(seconds: -Int64(random.below(400)) * 86_400) }
            if random.below(8) == 0 { f.createdTo = now.adding(seconds: -Int64(random.below(200)) * 86_400) }
            if random.below(6) == 0 { f.updatedFrom = now.adding(seconds: -Int64(random.below(300)) * 86_400) }
            if random.below(8) == 0 { f.updatedTo = now.adding(seconds: -Int64(random.below(100)) * 86_400) }
            let q = random.below(3) == 0 ? words() : nil
            result.append(
                LeadQuery(
                    filter: f, q: q, sort: pick(LeadSort.allCases)!, order: random.below(2) == 0 ? .descending : .ascending,
                    limit: pick([1, 7, 50, 200])!, includeTotal: random.below(2) == 0,
                    visibleTo: random.below(5) == 0 ? pick(admins) : nil))
        }
        return result
    }
}

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
