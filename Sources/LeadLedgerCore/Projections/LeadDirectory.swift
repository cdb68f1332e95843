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
    public private(set) var leads: TreeDictionary<UUID, LeadState> = [:]

    private(set) var byStep = KeyedSets<String>()
    private(set) var byResponsible = KeyedSets<UUID>()
    private(set) var byTag = KeyedSets<String>()
    private(set) var bySource = KeyedSets<String>()
    private(set) var byWatcher = KeyedSets<UUID>()
    private(set) var byCustomer = KeyedSets<UUID>()
    /// Live converted leads.
    private(set) var convertedLive: TreeSet<UUID> = []
    /// Deleted leads that were not merged.
    private(set) var deletedSet: TreeSet<UUID> = []
    private(set) var mergedSet: TreeSet<UUID> = []
    /// Live leads with a pause date (past or future).
    private(set) var pausedUntil: TreeDictionary<UUID, Timestamp> = [:]

    private(set) var updatedOrder = SortedIndex<LeadOrderKey>()
    private(set) var createdOrder = SortedIndex<LeadOrderKey>()
    private(set) var nameOrder = SortedIndex<LeadOrderKey>()
    private(set) var stepOrder = SortedIndex<LeadOrderKey>()
    /// Pipeline rank of each step key: the index in `SettingsState.steps` (active steps in pipeline order,
    /// retired ones keep their place); unknown steps sort last.
    private(set) var stepRanks: [String: Int64] = [:]

    private(set) var textTokens = KeyedSets<String>()
    private(set) var tokenOrder = SortedIndex<String>()
    private(set) var phoneDigits = KeyedSets<String>()
    private(set) var phoneOrder = SortedIndex<String>()
    private(set) var phoneReversedOrder = SortedIndex<String>()

    public init(settings: SettingsState = .defaults) {
        stepRanks = Self.ranks(settings)
    }

    public var count: Int { leads.count }

    public subscript(id: UUID) -> LeadState? { leads[id] }

    // MARK: - Keys

    static func ranks(_ settings: SettingsState) -> [String: Int64] {
        var ranks: [String: Int64] = [:]
        for (index, step) in settings.steps.enumerated() where ranks[step.key] == nil { ranks[step.key] = Int64(index) }
        return ranks
    }

    func stepRank(_ step: String) -> Int64 { stepRanks[step] ?? Int64(stepRanks.count) }

    /// The sort key of `lead` in `sort`.
    public func orderKey(_ lead: LeadState, _ sort: LeadSort) -> LeadOrderKey {
        let id = LeadKey(lead.id)
        switch sort {
        case .updated: return LeadOrderKey(primary: lead.updatedAt.rawValue, id: id)
        case .created: return LeadOrderKey(primary: lead.createdAt.rawValue, id: id)
        case .name: return LeadOrderKey(text: LeadSearch.nameKey(of: lead), id: id)
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
        stepOrder = SortedIndex(leads.values.map { orderKey($0, .step) })
    }

    /// Moves a lead from its state before an event to its state after it (either may be nil).
    public mutating func update(from old: LeadState?, to new: LeadState?) {
        guard let id = new?.id ?? old?.id else { return }
        leads[id] = new
        let oldLive = old?.isLive ?? false
        let newLive = new?.isLive ?? false
        func live<K>(_ state: LeadState?, _ isLive: Bool, _ keys: (LeadState) -> [K]) -> [K] {
            guard isLive, let state else { return [] }
            return keys(state)
        }
        func reindex<K: Hashable & Sendable>(_ index: inout KeyedSets<K>, _ keys: (LeadState) -> [K]) {
            let before = live(old, oldLive, keys)
            let after = live(new, newLive, keys)
            if before != after { index.replace(id, from: Set(before), to: Set(after)) }
        }
        reindex(&byStep) { [$0.step] }
        reindex(&byResponsible) { $0.responsible.map { [$0] } ?? [] }
        reindex(&byTag) { $0.tags.map(TagName.key) }
        reindex(&bySource) { [$0.source] }
        reindex(&byWatcher) { $0.watchers }
        reindex(&byCustomer) { $0.linkedCustomer.map { [$0] } ?? [] }
        Self.setMember(&convertedLive, id, newLive && new?.converted == true)
        Self.setMember(&deletedSet, id, new.map { $0.deleted && $0.mergedInto == nil } ?? false)
        Self.setMember(&mergedSet, id, new?.mergedInto != nil)
        let pause = newLive ? new?.pausedUntil : nil
        if pausedUntil[id] != pause { pausedUntil[id] = pause }

        for sort in LeadSort.allCases {
            let before = old.map { orderKey($0, sort) }
            let after = new.map { orderKey($0, sort) }
            guard before != after else { continue }
            switch sort {
            case .updated: Self.move(&updatedOrder, before, after)
            case .created: Self.move(&createdOrder, before, after)
            case .name: Self.move(&nameOrder, before, after)
            case .step: Self.move(&stepOrder, before, after)
            }
        }

        if old?.fullName != new?.fullName || old?.company != new?.company || old?.emails != new?.emails {
            let before = old.map(LeadSearch.textTokens) ?? []
            let after = new.map(LeadSearch.textTokens) ?? []
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
