import Foundation
import HashTreeCollections
import LeadDomain

/// Every lead's current state, with the indexes lists, kanban, watcher views and search run on.
///
/// - Inverted indexes (`KeyedSets`) by step, responsible, tag key, source, watcher and linked customer hold
///   **live** leads only (not deleted, not merged); deleted and merged leads are in their own sets, and
///   live leads with a pause date in `pausedUntil` (paused or not is decided at query time, against `now`).
/// - Ordered indexes (`SortedIndex<LeadOrderKey>`) for the four sorts hold every lead.
/// - Search: folded text tokens → leads, with a sorted token list for prefix ranges; phone digits → leads,
///   with sorted lists of the digits and of the reversed digits (prefix and suffix lookups).
///
/// Updated by `update(from:to:)` with a lead's state before and after an event; only indexes whose keys changed
/// are touched. Queries: `query(_:now:)` (see `LeadDirectory+Query.swift`).
public struct LeadDirectory: Sendable, Equatable {
    /// Every lead (deleted and merged ones included), boxed: reading a lead while walking an index costs one
    /// retain instead of a copy of every field.
    public internal(set) var records: TreeDictionary<UUID, LeadRecord> = [:]

    var byStep = KeyedSets<String>()
    var byResponsible = KeyedSets<UUID>()
    var byTag = KeyedSets<String>()
    var bySource = KeyedSets<String>()
    var byWatcher = KeyedSets<UUID>()
    var byCustomer = KeyedSets<UUID>()
    /// Live converted leads.
    var convertedLive: TreeSet<UUID> = []
    /// Deleted leads that were not merged.
    var deletedSet: TreeSet<UUID> = []
    var mergedSet: TreeSet<UUID> = []
    /// Live leads with a pause date (past or future).
    var pausedUntil: TreeDictionary<UUID, Timestamp> = [:]

    var updatedOrder = SortedIndex<LeadOrderKey>()
    var createdOrder = SortedIndex<LeadOrderKey>()
    var nameOrder = SortedIndex<LeadOrderKey>()
    var stepOrder = SortedIndex<LeadOrderKey>()
    /// Pipeline rank of each step key: the index in `SettingsState.steps` (active steps in pipeline order,
    /// retired ones keep their place); unknown steps sort last.
    var stepRanks: [String: Int64] = [:]

    var textTokens = KeyedSets<String>()
    var tokenOrder = SortedIndex<String>()
    var phoneDigits = KeyedSets<String>()
    var phoneOrder = SortedIndex<String>()
    var phoneReversedOrder = SortedIndex<String>()

    public init(settings: SettingsState = .defaults) {
        stepRanks = Self.ranks(settings)
    }

    public var count: Int { records.count }

    public subscript(id: UUID) -> LeadState? { records[id]?.state }

    /// Every lead, in canonical (`LeadKey`) order.
    public var sortedLeads: [LeadState] {
        // Sort (key, reference) pairs, not the states: moving a large struct per comparison dominated.
        var keyed = records.values.map { (key: LeadKey($0.state.id), record: $0) }
        keyed.sort { $0.key < $1.key }
        return keyed.map(\.record.state)
    }

    // MARK: - Keys

    static func ranks(_ settings: SettingsState) -> [String: Int64] {
        var ranks: [String: Int64] = [:]
        for (index, step) in settings.steps.enumerated() where ranks[step.key] == nil { ranks[step.key] = Int64(index) }
        return ranks
    }

    func stepRank(_ step: String) -> Int64 { stepRanks[step] ?? Int64(stepRanks.count) }

    /// The sort key of `lead` in `sort`.
    public func orderKey(_ lead: LeadState, _ sort: LeadSort) -> LeadOrderKey {
        orderKey(lead, sort, nameKey: sort == .name ? LeadSearch.nameKey(of: lead) : "")
    }

    func orderKey(_ record: LeadRecord, _ sort: LeadSort) -> LeadOrderKey {
        orderKey(record.state, sort, nameKey: record.nameKey)
    }

    private func orderKey(_ lead: LeadState, _ sort: LeadSort, nameKey: String) -> LeadOrderKey {
        let id = LeadKey(lead.id)
        switch sort {
        case .updated: return LeadOrderKey(primary: lead.updatedAt.rawValue, id: id)
        case .created: return LeadOrderKey(primary: lead.createdAt.rawValue, id: id)
        case .name: return LeadOrderKey(text: nameKey, id: id)
        case .step: return LeadOrderKey(primary: stepRank(lead.step), secondary: lead.updatedAt.rawValue, id: id)
        }
    }

    func orderIndex(_ sort: LeadSort) -> SortedIndex<LeadOrderKey> {
        switch sort {
        case .updated: updatedOrder
        case .created: createdOrder
        case .name: nameOrder
        case .step: stepOrder
        }
    }

    // MARK: - Updates

    /// Re-ranks steps after a settings change that moved, added or retired steps (rebuilds the step order).
    public mutating func settingsChanged(_ settings: SettingsState) {
        let ranks = Self.ranks(settings)
        guard ranks != stepRanks else { return }
        stepRanks = ranks
        stepOrder = SortedIndex(records.values.map { orderKey($0, .step) })
    }

    /// Moves a lead from its state before an event to its state after it (either may be nil).
    public mutating func update(from old: LeadState?, to new: LeadState?) {
        guard let id = new?.id ?? old?.id else { return }
        let oldRecord = records[id]
        let newRecord = new.map { lead in
            let nameKey =
                oldRecord.flatMap { $0.state.fullName == lead.fullName ? $0.nameKey : nil } ?? LeadSearch.nameKey(of: lead)
            return LeadRecord(state: lead, nameKey: nameKey)
        }
        records[id] = newRecord
        let oldLive = old?.isLive ?? false
        let newLive = new?.isLive ?? false
        func live<K>(_ state: LeadState?, _ isLive: Bool, _ keys: (LeadState) -> [K]) -> [K] {
            guard isLive, let state else { return [] }
            return keys(state)
        }
        let sameLiveness = oldLive == newLive && (old == nil) == (new == nil)
        // `unchanged`: the field the keys come from is equal before and after, so nothing moves.
        func reindex<K: Hashable & Sendable>(
            _ index: inout KeyedSets<K>, unchanged: Bool, _ keys: (LeadState) -> [K]
        ) {
            if sameLiveness && unchanged { return }
            let before = live(old, oldLive, keys)
            let after = live(new, newLive, keys)
            if before != after { index.replace(id, from: Set(before), to: Set(after)) }
        }
        reindex(&byStep, unchanged: old?.step == new?.step) { [$0.step] }
        reindex(&byResponsible, unchanged: old?.responsible == new?.responsible) { $0.responsible.map { [$0] } ?? [] }
        reindex(&byTag, unchanged: old?.tags == new?.tags) { $0.tags.map(TagName.key) }
        reindex(&bySource, unchanged: old?.source == new?.source) { [$0.source] }
        reindex(&byWatcher, unchanged: old?.watchers == new?.watchers) { $0.watchers }
        reindex(&byCustomer, unchanged: old?.linkedCustomer == new?.linkedCustomer) { $0.linkedCustomer.map { [$0] } ?? [] }
        Self.setMember(&convertedLive, id, newLive && new?.converted == true)
        Self.setMember(&deletedSet, id, new.map { $0.deleted && $0.mergedInto == nil } ?? false)
        Self.setMember(&mergedSet, id, new?.mergedInto != nil)
        let pause = newLive ? new?.pausedUntil : nil
        if pausedUntil[id] != pause { pausedUntil[id] = pause }

        for sort in LeadSort.allCases {
            let before = oldRecord.map { orderKey($0, sort) }
            let after = newRecord.map { orderKey($0, sort) }
            guard before != after else { continue }
            switch sort {
            case .updated: Self.move(&updatedOrder, before, after)
            case .created: Self.move(&createdOrder, before, after)
            case .name: Self.move(&nameOrder, before, after)
            case .step: Self.move(&stepOrder, before, after)
            }
        }

        if old?.fullName != new?.fullName || old?.company != new?.company || old?.emails != new?.emails {
            let before = oldRecord.map { LeadSearch.textTokens(of: $0.state, nameKey: $0.nameKey) } ?? []
            let after = newRecord.map { LeadSearch.textTokens(of: $0.state, nameKey: $0.nameKey) } ?? []
            let (appeared, vanished) = Self.reindexTokens(&textTokens, id, before, after)
            for token in vanished { tokenOrder.remove(token) }
            for token in appeared { tokenOrder.insert(token) }
        }
        if old?.phones != new?.phones {
            let before = old.map(LeadSearch.phoneTokens) ?? []
            let after = new.map(LeadSearch.phoneTokens) ?? []
            let (appeared, vanished) = Self.reindexTokens(&phoneDigits, id, before, after)
            for digits in vanished {
                phoneOrder.remove(digits)
                phoneReversedOrder.remove(String(digits.reversed()))
            }
            for digits in appeared {
                phoneOrder.insert(digits)
                phoneReversedOrder.insert(String(digits.reversed()))
            }
        }
    }

    private static func setMember(_ set: inout TreeSet<UUID>, _ id: UUID, _ member: Bool) {
        if member { if !set.contains(id) { set.insert(id) } } else if set.contains(id) { set.remove(id) }
    }

    private static func move(_ index: inout SortedIndex<LeadOrderKey>, _ old: LeadOrderKey?, _ new: LeadOrderKey?) {
        if let old { index.remove(old) }
        if let new { index.insert(new) }
    }

    /// Moves `id` between token sets; returns the tokens that gained their first lead and those that lost their last.
    private static func reindexTokens(
        _ sets: inout KeyedSets<String>, _ id: UUID, _ before: Set<String>, _ after: Set<String>
    ) -> (appeared: [String], vanished: [String]) {
        var appeared: [String] = []
        var vanished: [String] = []
        for token in before where !after.contains(token) {
            if sets.remove(id, for: token) { vanished.append(token) }
        }
        for token in after where !before.contains(token) {
            if sets.insert(id, for: token) { appeared.append(token) }
        }
        return (appeared, vanished)
    }
}

/// One lead in the directory: its state and its precomputed name sort key. Immutable; replaced on change.
public final class LeadRecord: Sendable, Equatable {
    public let state: LeadState
    /// `SearchText.fold(fullName)`.
    public let nameKey: String

    init(state: LeadState, nameKey: String) {
        self.state = state
        self.nameKey = nameKey
    }

    public static func == (a: LeadRecord, b: LeadRecord) -> Bool { a === b || (a.state == b.state && a.nameKey == b.nameKey) }
}
