import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

/// Totals, kanban counts, status counts and the paused report come from counters and the pause order; each must
/// equal counting the leads one by one, at any `now` (pauses end by themselves) and after every kind of event.
@Suite("Lead counts")
struct LeadCountTests {
    /// Brute force: every lead tested against the filter with the state's own `status(at:)`.
    static func expected(_ leads: [LeadState], _ f: LeadFilter, now: Timestamp) -> Int {
        leads.filter { lead in
            f.states.contains(lead.status(at: now)) && (f.step.map { $0.contains(lead.step) } ?? true)
                && (f.responsible.map { lead.responsible.map($0.contains) ?? false } ?? true)
        }.count
    }

    @Test("list totals and kanban counts by step, responsible and status equal counting lead by lead")
    func totalsMatchBruteForce() async throws {
        let data = TemporaryDirectory()
        let log = try await BulkReplayTests.generatedLog(data.path, leads: 600)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            let built = try WorldProjections.replaying(log)
            let incremental = try WorldProjections.replaying(log, batch: 1)
            let leads = built.allLeads
            let steps = Array(Set(leads.map(\.step))).sorted()
            let managers: [UUID?] = [nil] + Array(Set(leads.compactMap(\.responsible))).sorted(by: UUID.canonicalOrder)
            let statusSets: [Set<LeadStatus>] = [
                LeadStatus.defaultVisible, LeadStatus.live, [.paused], [.active], [.converted], [.paused, .converted],
            ]
            // Times across the generated span: pauses (30 days each) are over at some and running at others.
            let first = leads.map(\.createdAt).min()!
            let last = leads.map(\.updatedAt).max()!
            let times = (0...4).map { Timestamp(microseconds: first.rawValue + (last.rawValue - first.rawValue) * Int64($0) / 4) }
                + [last.adding(seconds: 40 * 86_400)]
            var pausedSomewhere = false
            for now in times {
                let counts = built.statusCounts(now: now)
                for status in LeadStatus.allCases {
                    checks.expect(counts[status] == Self.expected(leads, LeadFilter(states: [status]), now: now), "\(status) at \(now)")
                }
                if (counts[.paused] ?? 0) > 0 { pausedSomewhere = true }
                for projections in [built, incremental] {
                    for step in [nil] + steps.map(Optional.some) {
                        for manager in managers where step != nil || manager != nil {
                            for states in statusSets {
                                let filter = LeadFilter(step: step.map { [$0] }, responsible: manager.map { [$0] }, states: states)
                                let total = projections.count(LeadQuery(filter: filter), now: now)
                                checks.expect(total == Self.expected(leads, filter, now: now), "\(filter) at \(now)")
                            }
                        }
                    }
                    for manager in managers {
                        let board = projections.kanban(KanbanQuery(filter: LeadFilter(responsible: manager.map { [$0] })), now: now)
                        for column in board.columns {
                            let filter = LeadFilter(step: [column.step.key], responsible: manager.map { [$0] })
                            checks.expect(column.count == Self.expected(leads, filter, now: now), "\(column.step.key) at \(now)")
                        }
                    }
                }
            }
            checks.expect(pausedSomewhere)
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }

    @Test("pages by step, responsible or both, in every sort, equal sorting the matching leads, across cursors")
    func pagesMatchBruteForce() async throws {
        let data = TemporaryDirectory()
        let log = try await BulkReplayTests.generatedLog(data.path, leads: 600)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            let directory = try WorldProjections.replaying(log)
            // Leads updated after everyone else, all in one step with no responsible: pages of the other steps and of
            // the managers must look past them (they sit at the top of the global updated order).
            let leads = directory.allLeads
            let later = leads.map(\.updatedAt).max()!
            var position = directory.position
            var moves: [AppliedEvent] = []
            for (index, lead) in leads.prefix(40).enumerated() where lead.isLive {
                let at = later.adding(seconds: Int64(index + 1))
                var events: [DomainEvent] = []
                if lead.step != "new" { events.append(.leadStepMarked(LeadStepMarked(leadId: lead.id, from: lead.step, to: "new", at: at, by: testAdmin))) }
                if lead.responsible != nil { events.append(.leadAssigned(LeadAssigned(leadId: lead.id, from: lead.responsible, to: nil, at: at, by: testAdmin))) }
                for event in events {
                    position += 1
                    moves.append(AppliedEvent(
                        position: position, streamId: StreamID.lead(lead.id), streamVersion: 0, recordedAt: at.rawValue,
                        actor: "admin-test", event: event))
                }
            }
            directory.apply(moves)
            let now = later.adding(seconds: 100)
            let all = directory.allLeads
            checks.expect(all.filter { $0.updatedAt > later }.count >= 30)
            let steps = Array(Set(all.map(\.step))).sorted()
            let managers = Array(Set(all.compactMap(\.responsible))).sorted(by: UUID.canonicalOrder)
            var filters: [LeadFilter] = steps.map { LeadFilter(step: [$0]) } + managers.map { LeadFilter(responsible: [$0]) }
            for step in steps { for manager in managers.prefix(3) { filters.append(LeadFilter(step: [step], responsible: [manager])) } }
            for filter in filters {
                for sort in LeadSort.allCases {
                    for order in PageOrder.allCases {
                        let expected = all.filter { lead in
                            filter.states.contains(lead.status(at: now)) && (filter.step.map { $0.contains(lead.step) } ?? true)
                                && (filter.responsible.map { lead.responsible.map($0.contains) ?? false } ?? true)
                        }
                        .sorted { a, b in
                            let (ka, kb) = (directory.orderKey(a, sort), directory.orderKey(b, sort))
                            return order == .ascending ? ka < kb : ka > kb
                        }
                        .map(\.id)
                        var seen: [UUID] = []
                        var cursor: LeadCursor?
                        repeat {
                            let page = directory.leads(
                                LeadQuery(filter: filter, sort: sort, order: order, after: cursor, limit: 7), now: now)
                            seen += page.rows.map(\.id)
                            cursor = page.next
                        } while cursor != nil && seen.count <= expected.count
                        checks.expect(seen == expected, "\(filter) \(sort) \(order)")
                    }
                }
            }
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }

    @Test("a broad search tested lead by lead returns the same pages as collecting its matches from the indexes")
    func broadSearchEqualsIndexedSearch() async throws {
        let data = TemporaryDirectory()
        let log = try await BulkReplayTests.generatedLog(data.path, leads: 600)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            let directory = try WorldProjections.replaying(log)
            let leads = directory.allLeads
            let now = leads.map(\.updatedAt).max()!
            // Queries from the data itself: name and company prefixes of 1-4 letters, whole e-mails and their
            // parts, phone prefixes and last digits, two-word queries, and some that match nothing.
            var queries: Set<String> = ["zzzq", "+370", "8 (0", "@", "a b", "ива", "Ivan Pe"]
            for lead in leads.prefix(60) {
                let words = lead.fullName.split(separator: " ").map(String.init)
                for word in words { for length in 1...4 { queries.insert(String(word.prefix(length))) } }
                if words.count >= 2 { queries.insert(words[0] + " " + String(words[1].prefix(2))) }
                if let company = lead.company { queries.insert(String(company.prefix(3))) }
                for email in lead.emails {
                    queries.insert(email)
                    queries.insert(String(email.prefix(4)))
                }
                for phone in lead.phones where phone.digits.count >= 6 {
                    queries.insert(String(phone.digits.prefix(3)))
                    queries.insert(String(phone.digits.suffix(4)))
                    queries.insert(phone.typed)
                }
            }
            var broadNonEmpty = 0
            for q in queries.sorted() {
                for (filter, sort) in [(LeadFilter(), LeadSort.updated), (LeadFilter(states: LeadStatus.live), .name)] {
                    let query = LeadQuery(filter: filter, q: q, sort: sort, limit: 25)
                    let indexed = directory.query(query, now: now, broadSearch: .max)
                    let tested = directory.query(query, now: now, broadSearch: 0)
                    checks.expect(tested.rows.map(\.id) == indexed.rows.map(\.id), "q \(q) sort \(sort)")
                    checks.expect(tested.next == indexed.next, "q \(q) sort \(sort)")
                    // Thresholds between: some tokens collected, some tested, some walks given up and collected.
                    for broad in [5, 40] {
                        let mixed = directory.query(query, now: now, broadSearch: broad)
                        checks.expect(mixed.rows.map(\.id) == indexed.rows.map(\.id), "q \(q) sort \(sort) broad \(broad)")
                        checks.expect(mixed.next == indexed.next, "q \(q) sort \(sort) broad \(broad)")
                    }
                    if !tested.rows.isEmpty { broadNonEmpty += 1 }
                    if let next = indexed.next {
                        var second = query
                        second.after = next
                        let indexed2 = directory.query(second, now: now, broadSearch: .max)
                        let tested2 = directory.query(second, now: now, broadSearch: 0)
                        checks.expect(tested2.rows.map(\.id) == indexed2.rows.map(\.id), "q \(q) page 2")
                    }
                }
            }
            checks.expect(broadNonEmpty > 100)
            // The default threshold collects a rare token and tests a common one; both agree with the indexes.
            let common = directory.leads(LeadQuery(q: "a", limit: 10), now: now)
            checks.expect(common.rows.map(\.id) == directory.query(LeadQuery(q: "a", limit: 10), now: now, broadSearch: .max).rows.map(\.id))
            checks.expect(directory.estimatedMatches(.text("a"), above: 10) > 10)
            checks.expect(directory.estimatedMatches(.text("zzzq"), above: 10) == 0)
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }

    @Test("the paused report lists the leads paused now, soonest back first, with their count")
    func pausedReportMatchesBruteForce() async throws {
        let data = TemporaryDirectory()
        let log = try await BulkReplayTests.generatedLog(data.path, leads: 600)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            let projections = try WorldProjections.replaying(log)
            let leads = projections.allLeads
            let last = leads.map(\.updatedAt).max()!
            let now = last.adding(seconds: -10 * 86_400)
            let paused = leads.filter { $0.status(at: now) == .paused }
                .sorted { ($0.pausedUntil!, LeadKey($0.id)) < ($1.pausedUntil!, LeadKey($1.id)) }
            checks.expect(paused.count >= 3)
            let report = projections.pausedLeads(now: now, limit: 2)
            checks.expect(report.count == paused.count)
            checks.expect(report.leads.map(\.leadId) == paused.prefix(2).map(\.id))
            checks.expect(report.leads.map(\.until) == paused.prefix(2).map { $0.pausedUntil! })
            checks.expect(projections.pausedLeads(now: now, limit: 0).leads.isEmpty)
            checks.expect(projections.pausedLeads(now: last.adding(seconds: 40 * 86_400)).count == 0)
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }

    @Test("a lead record's copied status fields agree with its state at every boundary")
    func recordStatusAgrees() {
        let now = Timestamp(microseconds: 1_800_000_000_000_000)
        var lead = LeadState(
            created: LeadCreated(
                leadId: UUID(), fullName: "Ana", phones: [], emails: [], source: "website", step: "new",
                priority: .normal, tags: [], customFields: [:], at: now, by: UUID()))
        for deleted in [false, true] {
            for merged in [false, true] {
                for converted in [false, true] {
                    for pause in [nil, now.adding(seconds: -1), now, now.adding(seconds: 1)] {
                        lead.deleted = deleted
                        lead.mergedInto = merged ? UUID() : nil
                        lead.converted = converted
                        lead.pausedUntil = pause
                        let record = LeadRecord(state: lead, nameKey: "")
                        #expect(record.status(at: now) == lead.status(at: now))
                        #expect(record.isLive == lead.isLive)
                    }
                }
            }
        }
    }
}
