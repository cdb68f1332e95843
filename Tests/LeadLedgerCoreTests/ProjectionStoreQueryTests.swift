import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

/// The store's planned answers (index choice, candidate sets, walks, cursors, counters) against brute force over
/// every lead: the leads matching a filter, sorted by the sort's key, cut at the cursor. On a generated log with
/// merges, deletes, pauses, conversions and settings changes.
@Suite("Projection store: list queries equal brute force")
struct ProjectionStoreQueryTests {
    /// 1,500 leads by default; `LEADLEDGER_QUERY_TEST_LEADS` sets another size (on demand).
    static let leads = ProcessInfo.processInfo.environment["LEADLEDGER_QUERY_TEST_LEADS"].flatMap(Int.init) ?? 1_500

    @Test("600 random list queries, paged three deep, equal filtering and sorting every lead", .timeLimit(.minutes(30)))
    func randomQueries() async throws {
        let data = TemporaryDirectory()
        let log = try EventLog(directory: data.path + "/log")
        defer { log.close() }
        _ = try await LogGenerator(leads: Self.leads, seed: 7).run(log: log)
        let path = data.path
        let checks = Checks()
        let compared = try await onOwnThread { try Self.compare(log: log, path: path, checks) }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(compared >= 600)
    }

    static func compare(log: EventLog, path: String, _ checks: Checks) throws -> Int {
        let store = try ProjectionDatabase(directory: path + "/projections", durability: .discardable)
        defer { store.close() }
        try store.catchUp(log: log)
        return try store.read { view in
            let records = try view.allLeads().map { LeadRecord(state: $0) }
            let now = Timestamp(rawValue: view.lastRecordedAt)
            let dealsMatch = try Self.dealsMatch(view)
            var random = SplitMix64(seed: 99)
            var compared = 0
            for query in try Self.queries(view, records.map(\.state), &random, count: 600, now: now) {
                let matcher = LeadMatcher(
                    query.filter, visibleTo: query.visibleTo, search: nil,
                    searchTests: query.q.map(LeadSearch.queryTokens) ?? [], now: now)
                let descending = query.order == .descending
                let expected = records.filter { $0.matches(matcher) && dealsMatch(query.filter, $0.state.id) }.map { (key: view.orderKey($0.state, query.sort), id: $0.state.id) }
                    .sorted { descending ? $0.key > $1.key : $0.key < $1.key }
                let limit = min(max(query.limit, 1), LeadQuery.maxLimit)
                var cursor: LeadCursor?
                var offset = 0
                for _ in 0..<3 {
                    var q = query
                    q.after = cursor
                    let page = try view.leads(q, now: now)
                    let slice = expected.dropFirst(offset).prefix(limit)
                    checks.expect(page.rows.map(\.id) == slice.map(\.id), "\(q)")
                    let more = expected.count > offset + limit
                    checks.expect(page.next == (more ? slice.last.map { LeadCursor(sort: q.sort, key: $0.key) } : nil), "\(q)")
                    if query.includeTotal { checks.expect(page.total == expected.count, "\(q)") }
                    compared += 1
                    guard let next = page.next else { break }
                    cursor = next
                    offset += limit
                }
            }
            return compared
        }
    }

    /// The deal filters tested on the deals themselves, not on the store's deal sets.
    static func dealsMatch(_ view: borrowing ProjectionView) throws -> (LeadFilter, UUID) -> Bool {
        var dealStages: [UUID: Set<String>] = [:]
        for deal in try view.allDeals() where !deal.deleted {
            if let lead = deal.leadId { dealStages[lead, default: []].insert(deal.stage) }
        }
        return { [dealStages] f, id in
            let stages = dealStages[id] ?? []
            if let has = f.hasDeals, has == stages.isEmpty { return false }
            if let wanted = f.dealStage, !wanted.values.contains(where: stages.contains) { return false }
            return true
        }
    }

    @Test("totals of one filter besides statuses, read from index sizes and counters, equal brute force at several moments")
    func singleFilterTotals() async throws {
        let data = TemporaryDirectory()
        let log = try EventLog(directory: data.path + "/log")
        defer { log.close() }
        _ = try await LogGenerator(leads: 800, seed: 11, dealRate: 0.6).run(log: log)
        let path = data.path
        let checks = Checks()
        let compared = try await onOwnThread {
            let store = try ProjectionDatabase(directory: path + "/projections", durability: .discardable)
            defer { store.close() }
            try store.catchUp(log: log)
            return try store.read { view in
                let records = try view.allLeads().map { LeadRecord(state: $0) }
                let dealsMatch = try Self.dealsMatch(view)
                let last = Timestamp(rawValue: view.lastRecordedAt)
                let stages = view.settings.dealStages.map(\.key)
                let tag = try #require(records.flatMap(\.state.tags).first)
                var filters: [LeadFilter] = [
                    LeadFilter(hasDeals: true), LeadFilter(hasDeals: false), LeadFilter(dealStage: AnyOf(Array(stages.prefix(2)))),
                    LeadFilter(hasDeals: true, dealStage: AnyOf([stages[0]])), LeadFilter(hasTasks: true), LeadFilter(hasTasks: false),
                    LeadFilter(hasOverdueTasks: true), LeadFilter(hasOverdueTasks: false), LeadFilter(tag: AnyOf([tag])),
                    LeadFilter(converted: true), LeadFilter(customFields: ["segment": .list("smb")]),
                ]
                filters += stages.map { LeadFilter(dealStage: AnyOf([$0])) }
                let statusSets: [Set<LeadStatus>] = [
                    LeadStatus.defaultVisible, LeadStatus.live, [.paused], [.deleted], [.merged], [.converted],
                    Set(LeadStatus.allCases), [.active], [.paused, .deleted], [.active, .paused],
                ]
                var compared = 0
                for days in [-30, -3, 0, 1, 60] as [Int64] {
                    let now = last.adding(seconds: days * 86_400)
                    for base in filters {
                        for states in statusSets {
                            var f = base
                            f.states = states
                            let matcher = LeadMatcher(f, visibleTo: nil, search: nil, searchTests: [], now: now)
                            let expected = records.filter { $0.matches(matcher) && dealsMatch(f, $0.state.id) }.count
                            checks.expect(try view.count(LeadQuery(filter: f), now: now) == expected, "\(f) at \(days) days")
                            compared += 1
                        }
                    }
                }
                return compared
            }
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(compared > 500)
    }

    /// Random list queries over the values the log holds: every filter, sort, order, search and reach.
    static func queries(
        _ view: borrowing ProjectionView, _ leads: [LeadState], _ random: inout SplitMix64, count: Int, now: Timestamp
    ) throws -> [LeadQuery] {
        let steps = view.settings.steps.map(\.key)
        let admins = try view.admins().map(\.id)
        let tags = Array(Set(leads.flatMap(\.tags))).sorted()
        let sources = Array(Set(leads.map(\.source))).sorted()
        let customers = try view.allCustomers().map(\.id)
        let watchers = Array(Set(leads.flatMap(\.watchers))).sorted(by: UUID.canonicalOrder)
        let dealStages = view.settings.dealStages.map(\.key)
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
            // One to three values per multi-valued filter.
            func some<T: Hashable & Sendable & Codable>(_ values: [T]) -> AnyOf<T>? {
                values.isEmpty ? nil : AnyOf((0...random.below(3)).map { _ in pick(values)! })
            }
            if random.below(3) == 0 { f.step = some(steps) }
            if random.below(4) == 0 { f.responsible = some(admins) }
            if random.below(6) == 0 { f.tag = some(tags) }
            if random.below(6) == 0 { f.source = some(sources) }
            if random.below(8) == 0 { f.watcher = some(watchers) }
            if random.below(10) == 0 { f.customer = some(customers) }
            if random.below(8) == 0 { f.createdBy = some(admins) }
            if random.below(8) == 0 { f.updatedBy = some(admins) }
            if random.below(7) == 0 { f.hasDeals = random.below(2) == 0 }
            if random.below(7) == 0 { f.dealStage = some(dealStages) }
            if random.below(7) == 0 { f.hasTasks = random.below(2) == 0 }
            if random.below(7) == 0 { f.hasOverdueTasks = random.below(2) == 0 }
            if random.below(8) == 0 { f.customFields["segment"] = .list(pick(["smb", "mid", "enterprise"])!) }
            if random.below(8) == 0 {
                let low = Int64(random.below(5_000))
                f.customFieldRanges["employees"] = CustomFieldRange(
                    min: random.below(3) == 0 ? nil : .int(low), max: random.below(3) == 0 ? nil : .int(low + Int64(random.below(2_000))))
            }
            if random.below(10) == 0 {
                f.customFieldRanges["contract-date"] = CustomFieldRange(min: .date("2025-0\(1 + random.below(9))-01"), max: .date("2025-12-31"))
            }
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
