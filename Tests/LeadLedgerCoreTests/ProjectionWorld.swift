import Foundation
import LeadDomain
import LeadLedgerCore

/// A tiny in-memory stand-in for the runtime: decides commands with `LeadDecider`, numbers the events like the
/// log would, and applies them to `Projections`. Every state in tests comes from real events.
struct ProjectionWorld {
    var projections = Projections()
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
            projections.apply(applied)
        }
    }

    mutating func emit(_ event: DomainEvent) { append(event.streamID, [event]) }

    /// Every admin's name by id, for history rendering.
    var adminNames: [UUID: String] { projections.admins.admins.mapValues(\.name).reduce(into: [:]) { $0[$1.key] = $1.value } }

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
