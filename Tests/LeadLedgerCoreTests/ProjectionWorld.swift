import EventLog
import Foundation
import LeadDomain
@testable import LeadLedgerCore

/// A tiny stand-in for the runtime: decides commands with `LeadDecider`, numbers the events like the log would,
/// and applies them to a real projection store (LMDB in a temporary directory). Every state in tests comes from
/// real events.
struct ProjectionWorld {
    let projections = WorldProjections()
    var log: [AppliedEvent] = []
    var versions: [String: UInt64] = [:]
    var now = Timestamp(microseconds: 1_763_900_000_000_000)  // 2025-11-23 12:13:20 UTC
    let admin = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
    var nextID: UInt64 = 0x1000

    /// Deterministic ids, so two worlds running the same script produce the same events.
    mutating func newID() -> UUID {
        nextID += 1
        return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012llx", nextID))!
    }

    mutating func append(_ stream: String, _ events: [DomainEvent], actor: UUID? = nil) {
        for event in events {
            let version = (versions[stream] ?? 0) + 1
            versions[stream] = version
            let applied = AppliedEvent(
                position: UInt64(log.count + 1), streamId: stream, streamVersion: version,
                recordedAt: event.at.rawValue, actor: "admin-" + (actor ?? event.by).uuidString.lowercased(),
                event: event)
            log.append(applied)
            projections.store.pending.append(applied)
        }
    }

    mutating func emit(_ event: DomainEvent) { append(event.streamID, [event]) }

    /// Every admin's name by id, for history rendering.
    var adminNames: [UUID: String] { projections.read { try $0.adminNames() } }

    @discardableResult
    mutating func run(_ leadId: UUID, _ command: LeadCommand, by actor: UUID? = nil) throws -> Decision {
        let related = RelatedStates(
            leads: command.relatedLeadIds.compactMap { projections.lead($0) },
            customers: command.relatedCustomerIds.compactMap { projections.customer($0) })
        let decision = try LeadDecider.decide(
            projections.lead(leadId), command,
            context: DecisionContext(settings: projections.settings, now: now, actor: actor ?? admin),
            related: related)
        for stream in decision.streams { append(stream.streamID, stream.events) }
        return decision
    }

    @discardableResult
    mutating func create(
        _ name: String, company: String? = nil, phones: [String] = [], emails: [String] = [], step: String? = nil,
        source: String? = nil, responsible: UUID? = nil, tags: [String] = [], competitor: String? = nil,
        assessment: String? = nil, customFields: [String: CustomFieldValue] = [:], by actor: UUID? = nil
    ) throws -> UUID {
        let id = newID()
        try run(
            id,
            .create(
                leadId: id,
                LeadInput(
                    fullName: name, company: company, phones: phones, emails: emails, source: source, step: step,
                    responsible: responsible, competitor: competitor, assessment: assessment, tags: tags,
                    customFields: customFields)),
            by: actor)
        return id
    }

    mutating func advance(seconds: Int64) { now = now.adding(seconds: seconds) }

    func list(_ query: LeadQuery = LeadQuery()) -> LeadPage { projections.leads(query, now: now) }

    func ids(_ query: LeadQuery) -> Set<UUID> { Set(list(query).rows.map(\.id)) }

    func ids(_ filter: LeadFilter, q: String? = nil, visibleTo: UUID? = nil) -> Set<UUID> {
        ids(LeadQuery(filter: filter, q: q, limit: 200, visibleTo: visibleTo))
    }

    func search(_ q: String) -> Set<UUID> { ids(LeadFilter(), q: q) }

    /// Every row of a query, following cursors; fails loudly on a runaway loop.
    func allPages(_ query: LeadQuery) -> [LeadState] {
        var rows: [LeadState] = []
        var q = query
        for _ in 0..<10_000 {
            let page = list(q)
            rows += page.rows
            guard let next = page.next else { return rows }
            q.after = next
        }
        return rows
    }
}

/// A projection store in a temporary directory, removed with the last reference; events are applied in one
/// transaction when the next query reads.
final class WorldStore: @unchecked Sendable {
    // @unchecked: a test world is used by one test task at a time.
    let path: String
    let database: ProjectionDatabase
    var pending: [AppliedEvent] = []

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-world-\(UUID().uuidString)").path
        database = try! ProjectionDatabase(directory: path, durability: .discardable)
    }

    deinit {
        database.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    func read<T>(_ body: (borrowing ProjectionView) throws -> T) -> T {
        if !pending.isEmpty {
            try! database.apply(pending)
            pending.removeAll()
        }
        return try! database.read(body)
    }
}

/// The store's queries without `try`, for test assertions.
struct WorldProjections {
    let store = WorldStore()

    func read<T>(_ body: (borrowing ProjectionView) throws -> T) -> T { store.read(body) }

    var position: UInt64 { read { $0.position } }
    var lastRecordedAt: Int64 { read { $0.lastRecordedAt } }
    var settings: SettingsState { read { $0.settings } }
    func lead(_ id: UUID) -> LeadState? { read { try $0.lead(id) } }
    func leads(_ query: LeadQuery, now: Timestamp) -> LeadPage { read { try $0.leads(query, now: now) } }
    func kanban(_ query: KanbanQuery, now: Timestamp) -> KanbanBoard { read { try $0.kanban(query, now: now) } }
    func watchedLeads(by admin: UUID, _ query: LeadQuery = LeadQuery(), now: Timestamp) -> LeadPage {
        read { try $0.watchedLeads(by: admin, query, now: now) }
    }
    func actionsForToday(admin: UUID, now: Timestamp, utcOffsetSeconds: Int64 = 0, visibleTo: UUID? = nil) -> TodayActions {
        read { try $0.actionsForToday(admin: admin, now: now, utcOffsetSeconds: utcOffsetSeconds, visibleTo: visibleTo) }
    }
    func duplicateGroups(after cursor: DuplicateGroupCursor? = nil, limit: Int = 50) -> DuplicateGroupPage {
        read { try $0.duplicateGroups(after: cursor, limit: limit) }
    }
    func possibleDuplicates(of id: UUID) -> [(leadId: UUID, keys: [DuplicateKey])] { read { try $0.possibleDuplicates(of: id) } }
    func customer(_ id: UUID) -> CustomerState? { read { try $0.customer(id) } }
    func linkedLeads(ofCustomer id: UUID) -> [LeadState] { read { try $0.linkedLeads(ofCustomer: id).map(\.state) } }
    func leadsMatchingByEmail(customer id: UUID) -> [LeadState] { read { try $0.leadsMatchingByEmail(customer: id).map(\.state) } }
    func customers(limit: Int = 50, after: UUID? = nil) -> [CustomerState] { read { try $0.customers(limit: limit, after: after) } }
    func admin(_ id: UUID) -> AdminState? { read { try $0.admin(id) } }
    func authenticate(tokenSHA256: String, now: Timestamp) -> AdminState? {
        read { try $0.authenticate(tokenSHA256: tokenSHA256, now: now) }
    }
    func funnel(_ period: ReportPeriod = .allTime) -> FunnelReport { read { try $0.funnel(period) } }
    func perManager(_ period: ReportPeriod = .allTime) -> [ManagerReportRow] { read { try $0.perManager(period) } }
    func perSource(_ period: ReportPeriod = .allTime) -> [SourceReportRow] { read { try $0.perSource(period) } }
    func timeInStep() -> [StepTimeRow] { read { try $0.timeInStep() } }
    func pausedLeads(now: Timestamp, limit: Int = 100, visibleTo: UUID? = nil) -> PausedReport {
        read { try $0.pausedLeads(now: now, limit: limit, visibleTo: visibleTo) }
    }
    func competitors() -> [CompetitorReportRow] { read { try $0.competitors() } }
    func goldenJSON() -> [String: Data] { read { try $0.goldenJSON() } }
    func orderKey(_ lead: LeadState, _ sort: LeadSort) -> LeadOrderKey { read { $0.orderKey(lead, sort) } }
    func statusCounts(now: Timestamp) -> [LeadStatus: Int] { read { try $0.statusCounts(now: now) } }
    func count(_ query: LeadQuery, now: Timestamp) -> Int { read { try $0.count(query, now: now) } }
    var allLeads: [LeadState] { read { try $0.allLeads() } }
    var admins: [AdminState] { read { try $0.admins() } }
}

extension WorldProjections {
    /// A store fed every event of `log`, `batch` events per transaction.
    static func replaying(_ log: EventLog, batch: Int = 4_096) throws -> WorldProjections {
        let projections = WorldProjections()
        var events: [AppliedEvent] = []
        try log.forEach { recorded in
            events.append(try AppliedEvent(recorded: recorded))
            if events.count == batch {
                try projections.store.database.apply(events)
                events.removeAll()
            }
            return true
        }
        try projections.store.database.apply(events)
        return projections
    }

    /// Applies more events (after the store's position).
    func apply(_ events: [AppliedEvent]) { store.pending += events }

    func query(_ query: LeadQuery, now: Timestamp, broadSearch: Int) -> LeadPage {
        read { try $0.query(query, now: now, broadSearch: broadSearch, leadCount: try $0.leadCount()) }
    }

    func estimatedMatches(_ token: LeadSearch.QueryToken, above cap: Int) -> Int {
        read { try $0.estimatedMatches(token, above: cap) }
    }

    /// The first difference between the stores' contents (nil: equal, entry for entry).
    func difference(from other: WorldProjections) -> String? {
        _ = read { $0.position }
        _ = other.read { $0.position }
        return try! store.database.firstDifference(from: other.store.database)
    }
}
