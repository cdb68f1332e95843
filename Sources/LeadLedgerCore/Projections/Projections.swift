import Foundation
import HashTreeCollections
import LeadDomain

/// Every read model of LeadLedger in one `Sendable` value, fed by the log.
///
/// The runtime applies committed events in position order (`apply(_:)`, pure) and publishes the value; a query
/// reads one value and so sees one consistent state. The projections share structure through persistent trees
/// and chunked indexes, so keeping the previous value for readers while applying is cheap.
///
/// ```swift
/// var projections = Projections()
/// for event in committed { projections.apply(event) }
/// let page = projections.leads(LeadQuery(filter: LeadFilter(step: "new")), now: now)
/// let bytes = try projections.encodeCanonical()          // snapshot
/// let same = try Projections(decodingCanonical: bytes)   // == projections
/// ```
public struct Projections: Sendable, Equatable {
    /// The position of the last applied event (0: none).
    public private(set) var position: UInt64 = 0
    /// `recordedAt` of the last applied event (µs).
    public private(set) var lastRecordedAt: Int64 = 0
    public private(set) var settings: SettingsState = .defaults
    public private(set) var directory: LeadDirectory
    /// Report facts per lead (see `LeadFacts`).
    public private(set) var facts: TreeDictionary<UUID, LeadFacts> = [:]
    public private(set) var agenda = ActionAgenda()
    public private(set) var duplicates = DuplicateIndex()
    public private(set) var customers = CustomerDirectory()
    public private(set) var admins = AdminDirectory()
    public private(set) var reports = LeadReports()

    public init() {
        directory = LeadDirectory(settings: .defaults)
    }

    /// Applies one committed event. Events at or before `position` are ignored, so a replay that overlaps a
    /// snapshot is harmless.
    public mutating func apply(_ e: AppliedEvent) {
        guard e.position > position else { return }
        position = e.position
        lastRecordedAt = e.recordedAt
        switch e.event.kind.streamKind {
        case .lead: applyLeadEvent(e)
        case .customer: customers.apply(e.event)
        case .admin: admins.apply(e.event)
        case .settings:
            settings = SettingsState.evolve(settings, e.event)
            directory.settingsChanged(settings)
        }
    }

    private mutating func applyLeadEvent(_ e: AppliedEvent) {
        guard let id = e.event.leadId else { return }
        let old = directory[id]
        let oldFacts = facts[id]
        guard let new = LeadState.evolve(old, e.event) else { return }
        let newFacts = LeadFacts.evolve(oldFacts, e.event)
        if old != nil { reports.record(e, factsBefore: oldFacts) }
        replaceLead(old: old, oldFacts: oldFacts, new: new, newFacts: newFacts)
    }

    /// Moves one lead from its old state to its new one in every projection.
    private mutating func replaceLead(old: LeadState?, oldFacts: LeadFacts?, new: LeadState, newFacts: LeadFacts?) {
        directory.update(from: old, to: new)
        facts[new.id] = newFacts
        agenda.update(from: old, to: new)
        duplicates.update(from: old, to: new)
        reports.update(from: LeadReports.Slice(old, oldFacts), to: LeadReports.Slice(new, newFacts))
    }

    // MARK: - Queries (the entry points the HTTP routes call)

    public func lead(_ id: UUID) -> LeadState? { directory[id] }

    public func leads(_ query: LeadQuery, now: Timestamp) -> LeadPage { directory.query(query, now: now) }

    public func kanban(_ query: KanbanQuery, now: Timestamp) -> KanbanBoard {
        directory.kanban(query, settings: settings, now: now)
    }

    public func watchedLeads(by admin: UUID, _ query: LeadQuery = LeadQuery(), now: Timestamp) -> LeadPage {
        directory.watchedLeads(by: admin, query, now: now)
    }

    public func actionsForToday(
        admin: UUID, now: Timestamp, utcOffsetSeconds: Int64 = 0, visibleTo: UUID? = nil
    ) -> TodayActions {
        agenda.actionsForToday(
            admin: admin, now: now, utcOffsetSeconds: utcOffsetSeconds, visibleTo: visibleTo, directory: directory)
    }

    public func duplicateGroups(after cursor: DuplicateGroupCursor? = nil, limit: Int = 50) -> DuplicateGroupPage {
        duplicates.groups(after: cursor, limit: limit)
    }

    public func possibleDuplicates(of leadId: UUID) -> [(leadId: UUID, keys: [DuplicateKey])] {
        guard let lead = directory[leadId], lead.isLive else { return [] }
        return duplicates.possibleDuplicates(of: lead)
    }

    public func customer(_ id: UUID) -> CustomerState? { customers[id] }

    public func linkedLeads(ofCustomer id: UUID) -> [LeadState] { customers.linkedLeads(of: id, directory: directory) }

    public func leadsMatchingByEmail(customer id: UUID) -> [LeadState] {
        customers.leadsMatchingByEmail(id, directory: directory, duplicates: duplicates)
    }

    public func admin(_ id: UUID) -> AdminState? { admins[id] }

    public func authenticate(tokenSHA256: String, now: Timestamp) -> AdminState? {
        admins.authenticate(tokenSHA256: tokenSHA256, now: now)
    }

    public func funnel(_ period: ReportPeriod = .allTime) -> FunnelReport { reports.funnel(period, settings: settings) }

    public func perManager(_ period: ReportPeriod = .allTime) -> [ManagerReportRow] {
        reports.perManager(period, directory: directory, admins: admins)
    }

    public func perSource(_ period: ReportPeriod = .allTime) -> [SourceReportRow] {
        reports.perSource(period, settings: settings)
    }

    public func timeInStep() -> [StepTimeRow] { reports.timeInStep(settings: settings) }

    public func pausedLeads(now: Timestamp, limit: Int = 100, visibleTo: UUID? = nil) -> PausedReport {
        reports.pausedLeads(now: now, limit: limit, visibleTo: visibleTo, directory: directory)
    }

    public func competitors() -> [CompetitorReportRow] { reports.competitorReport() }

    // MARK: - Building in bulk (snapshot load, full replay)

    /// Rebuilds every index from the stored parts of a snapshot.
    init(
        position: UInt64, lastRecordedAt: Int64, settings: SettingsState, admins: [AdminState],
        customers: [CustomerState], records: [LeadRecord], facts: [LeadFacts?], actionsCompleted: [UUID: Int],
        stays: [(step: String, duration: Int64, position: UInt64)]
    ) {
        var adminDirectory = AdminDirectory()
        for admin in admins { adminDirectory.restore(admin) }
        var customerDirectory = CustomerDirectory()
        for customer in customers { customerDirectory.restore(customer) }
        var history = LeadReports()
        history.restoreHistory(actionsCompleted: actionsCompleted, stays: stays)
        self.init(
            position: position, lastRecordedAt: lastRecordedAt, settings: settings, admins: adminDirectory,
            customers: customerDirectory, records: records, facts: facts, history: history)
    }

    /// `init(…records:facts:history:)` from the leads' states (a full replay's result).
    init(
        position: UInt64, lastRecordedAt: Int64, settings: SettingsState, admins: AdminDirectory,
        customers: CustomerDirectory, leads: [(LeadState, LeadFacts?)], history: LeadReports
    ) {
        self.init(
            position: position, lastRecordedAt: lastRecordedAt, settings: settings, admins: admins,
            customers: customers, records: Self.records(of: leads), facts: leads.map(\.1), history: history)
    }

    /// Builds every lead index and aggregate from the leads' final states in bulk passes: the same value as
    /// `replaceLead(old: nil, ...)` for each lead in turn. `records` are the leads' directory records and `facts`
    /// their report facts, at the same positions; `history` carries the reports' recorded history (step stays,
    /// completed actions) and nothing else. The five independent parts (directory, text search, phone search,
    /// duplicates, facts with agenda and reports) are built on two threads.
    init(
        position: UInt64, lastRecordedAt: Int64, settings: SettingsState, admins: AdminDirectory,
        customers: CustomerDirectory, records: [LeadRecord], facts leadFacts: [LeadFacts?], history: LeadReports
    ) {
        precondition(records.count == leadFacts.count, "one facts slot per lead")
        self.init()
        self.position = position
        self.lastRecordedAt = lastRecordedAt
        self.settings = settings
        self.admins = admins
        self.customers = customers
        let directory = ResultSlot<LeadDirectory>()
        let text = ResultSlot<LeadDirectory.TextSearchIndex>()
        let phone = ResultSlot<LeadDirectory.PhoneSearchIndex>()
        let duplicates = ResultSlot<DuplicateIndex>()
        let aggregates = ResultSlot<(TreeDictionary<UUID, LeadFacts>, ActionAgenda, LeadReports)>()
        // Roughly longest first (at 10^6 leads about 7, 7, 6, 3.5 and 3.5 s); two threads take them in turn.
        runOnTwoThreads([
            { text.value = LeadDirectory.TextSearchIndex(bulk: records) },
            { directory.value = LeadDirectory(bulkExceptSearch: records, settings: settings) },
            { duplicates.value = DuplicateIndex(bulk: records.lazy.map(\.state)) },
            {
                var agenda = ActionAgenda()
                var reports = history
                for (record, facts) in zip(records, leadFacts) {
                    agenda.update(from: nil, to: record.state)
                    reports.update(from: nil, to: LeadReports.Slice(record.state, facts))
                }
                let facts = TreeDictionary(
                    uniqueKeysWithValues: zip(records, leadFacts).lazy.compactMap { record, facts in
                        facts.map { (record.state.id, $0) }
                    })
                aggregates.value = (facts, agenda, reports)
            },
            { phone.value = LeadDirectory.PhoneSearchIndex(bulk: records) },
        ])
        self.directory = directory.value!
        self.directory.install(text.value!, phone.value!)
        self.duplicates = duplicates.value!
        (self.facts, self.agenda, self.reports) = aggregates.value!
    }

    /// The leads' directory records (name key and text tokens cut once, shared by the directory and the search
    /// indexes), built on two threads, in the leads' order.
    static func records(of leads: [(LeadState, LeadFacts?)]) -> [LeadRecord] {
        let half = leads.count / 2
        let parts = (ResultSlot<[LeadRecord]>(), ResultSlot<[LeadRecord]>())
        runOnTwoThreads([
            { parts.0.value = leads[..<half].map { LeadRecord(state: $0.0) } },
            { parts.1.value = leads[half...].map { LeadRecord(state: $0.0) } },
        ])
        var records = parts.0.value!
        records.append(contentsOf: parts.1.value!)
        return records
    }
}
