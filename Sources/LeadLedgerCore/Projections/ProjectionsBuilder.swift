import Foundation
import LeadDomain

/// Builds `Projections` from many events much faster than applying them one by one.
///
/// While events stream in it keeps only what an event changes directly — each lead's state and report facts,
/// customers, admins, settings and the reports' history (step stays, completed actions) — and `build()` then
/// makes every index and aggregate once, in bulk passes, the way a snapshot is loaded. No sorted index, token
/// set or report bucket is touched per event. `build()` equals the value `Projections.apply` gives for the same
/// events (tested), so a rebuild through the builder is byte-identical to the live projections.
///
/// ```swift
/// var builder = ProjectionsBuilder()
/// for event in log { builder.apply(event) }
/// let projections = builder.build()
/// ```
public struct ProjectionsBuilder: Sendable {
    public private(set) var position: UInt64 = 0
    private var lastRecordedAt: Int64 = 0
    private var settings = SettingsState.defaults
    private var admins = AdminDirectory()
    private var customers = CustomerDirectory()
    /// Each lead's place in `leads` and `facts`, which hold the leads in the order they were created.
    ///
    /// The states live in arrays rather than in a `[UUID: LeadState]`: growing a dictionary of 10^6 states of about
    /// 400 bytes rehashed and moved every state at each doubling (a third of the replay thread), and the states came
    /// out in hash order, scattered in memory, which slowed every bulk pass of `build()`. The index maps 16 bytes to
    /// an integer and is cheap to grow; the arrays grow by moving bytes.
    private var slots: [UUID: Int] = [:]
    /// Never nil outside `applyLeadEvent` (a state is moved out while an event changes it).
    private var leads: [LeadState?] = []
    private var facts: [LeadFacts?] = []
    /// Only `record(_:factsBefore:)` is called on it: the history part of the reports.
    private var history = LeadReports()

    public init() {}

    /// Leads replayed so far (deleted and merged ones included).
    public var leadCount: Int { leads.count }

    /// Applies one committed event; events at or before `position` are ignored (as `Projections.apply` does).
    public mutating func apply(_ e: AppliedEvent) {
        guard e.position > position else { return }
        position = e.position
        lastRecordedAt = e.recordedAt
        switch e.event.kind.streamKind {
        case .lead: applyLeadEvent(e)
        case .customer: customers.apply(e.event)
        case .admin: admins.apply(e.event)
        case .settings: settings = SettingsState.evolve(settings, e.event)
        }
    }

    private mutating func applyLeadEvent(_ e: AppliedEvent) {
        guard let id = e.event.leadId else { return }
        guard let slot = slots[id] else {
            guard let new = LeadState.evolve(nil, e.event) else { return }
            slots[id] = leads.count
            leads.append(new)
            facts.append(LeadFacts.evolve(nil, e.event))
            return
        }
        // Moved out (not copied), so the state's arrays are uniquely referenced while the event changes them.
        var old: LeadState?
        swap(&old, &leads[slot])
        var oldFacts: LeadFacts?
        swap(&oldFacts, &facts[slot])
        guard let new = LeadState.evolve(old, e.event) else {
            leads[slot] = old
            facts[slot] = oldFacts
            return
        }
        history.record(e, factsBefore: oldFacts)
        leads[slot] = new
        facts[slot] = LeadFacts.evolve(oldFacts, e.event)
    }

    /// The projections: every index built once from the final states. Consumes the builder, whose per-lead
    /// tables are freed before the indexes are built.
    public consuming func build() -> Projections {
        var pairs: [(LeadState, LeadFacts?)] = []
        pairs.reserveCapacity(leads.count)
        for (lead, facts) in zip(leads, facts) { pairs.append((lead!, facts)) }
        slots = [:]
        leads = []
        facts = []
        return Projections(
            position: position, lastRecordedAt: lastRecordedAt, settings: settings, admins: admins,
            customers: customers, leads: pairs, history: history)
    }
}
