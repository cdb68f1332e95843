import Foundation
import HashTreeCollections
import LeadDomain

/// Every lead's current state, with the indexes lists, kanban, watcher views and search run on.
///
/// - Inverted indexes (`KeyedSets`) by step, responsible, tag key, source, watcher and linked customer hold
///   **live** leads only (not deleted, not merged); deleted and merged leads are in their own sets, and
///   live leads with a pause date in `pausedOrder`, by pause date (paused or not is decided at query time, against
///   `now`: the leads paused now are the tail of that order). `liveCounts` counts live leads (and the converted ones)
///   by step, by responsible and by both, so list totals and kanban column counts on those filters are lookups.
/// - Ordered indexes (`SortedIndex<LeadOrderEntry>`) for the four sorts hold every lead, each entry with the
///   lead's current record.
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
    /// Live leads with a pause date (past or future), keyed `(pausedUntil, id)`.
    var pausedOrder = SortedIndex<LeadOrderEntry>()
    /// Live leads counted under `(step, nil)`, `(step, responsible)` and `(nil, responsible)`.
    var liveCounts: [LiveCountKey: LiveCount] = [:]

    var updatedOrder = SortedIndex<LeadOrderEntry>()
    var createdOrder = SortedIndex<LeadOrderEntry>()
    var nameOrder = SortedIndex<LeadOrderEntry>()
    var stepOrder = SortedIndex<LeadOrderEntry>()
    /// The `updated` order of the live leads of each step and of each responsible: a list or kanban column filtered
    /// by one of them (sorted by the default sort) walks only its own leads. Walking the global order instead had
    /// to pass every lead updated more recently in other steps or by other managers (after an import of 50,000
    /// leads into one step, every page of the other steps walked past all of them).
    var updatedByStep: [String: SortedIndex<LeadOrderEntry>] = [:]
    var updatedByResponsible: [UUID: SortedIndex<LeadOrderEntry>] = [:]
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

    func orderIndex(_ sort: LeadSort) -> SortedIndex<LeadOrderEntry> {
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
        stepOrder = SortedIndex(records.values.map { LeadOrderEntry(orderKey($0, .step), $0) })
    }

    /// Moves a lead from its state before an event to its state after it (either may be nil).
    public mutating func update(from old: LeadState?, to new: LeadState?) {
        guard let id = new?.id ?? old?.id else { return }
        let oldRecord = records[id]
        let newRecord = new.map { lead in
            let nameKey =
                oldRecord.flatMap { $0.state.fullName == lead.fullName ? $0.nameKey : nil } ?? LeadSearch.nameKey(of: lead)
            let sameText = oldRecord.map {
                $0.state.fullName == lead.fullName && $0.state.company == lead.company && $0.state.emails == lead.emails
            }
            return LeadRecord(state: lead, nameKey: nameKey, textTokens: sameText == true ? oldRecord?.textTokens : nil)
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
        let pauseBefore = oldLive ? oldRecord.flatMap(Self.pauseKey) : nil
        let pauseAfter = newLive ? newRecord.flatMap { record in Self.pauseKey(record).map { LeadOrderEntry($0, record) } } : nil
        if pauseBefore != nil || pauseAfter != nil { Self.move(&pausedOrder, pauseBefore, pauseAfter) }
        if !(sameLiveness && old?.step == new?.step && old?.responsible == new?.responsible
            && old?.converted == new?.converted)
        {
            if oldLive, let old { Self.count(old, -1, into: &liveCounts) }
            if newLive, let new { Self.count(new, 1, into: &liveCounts) }
        }

        Self.moveKeyed(
            &updatedByStep, from: oldLive ? oldRecord.map { ($0.step, orderKey($0, .updated)) } : nil,
            to: newLive ? newRecord.map { ($0.step, LeadOrderEntry(orderKey($0, .updated), $0)) } : nil)
        Self.moveKeyed(
            &updatedByResponsible,
            from: oldLive ? oldRecord.flatMap { r in r.responsible.map { ($0, orderKey(r, .updated)) } } : nil,
            to: newLive ? newRecord.flatMap { r in r.responsible.map { ($0, LeadOrderEntry(orderKey(r, .updated), r)) } } : nil)

        // Every entry of the lead moves or, when its key stayed, takes the new record.
        for sort in LeadSort.allCases {
            let before = oldRecord.map { orderKey($0, sort) }
            let after = newRecord.map { LeadOrderEntry(orderKey($0, sort), $0) }
            switch sort {
            case .updated: Self.move(&updatedOrder, before, after)
            case .created: Self.move(&createdOrder, before, after)
            case .name: Self.move(&nameOrder, before, after)
            case .step: Self.move(&stepOrder, before, after)
            }
        }

        if old?.fullName != new?.fullName || old?.company != new?.company || old?.emails != new?.emails {
            let before = oldRecord?.textTokenSet ?? []
            let after = newRecord?.textTokenSet ?? []
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
                phoneReversedOrder.remove(LeadSearch.reversedDigits(digits))
            }
            for digits in appeared {
                phoneOrder.insert(digits)
                phoneReversedOrder.insert(LeadSearch.reversedDigits(digits))
            }
        }
    }

    /// Whether each ordered index holds one entry per lead, with the lead's current record and key. Entries compare
    /// by key, so `==` cannot see a stale record; tests check this after replays.
    var orderedEntriesAreCurrent: Bool {
        func current(_ index: SortedIndex<LeadOrderEntry>, count: Int, key: (LeadRecord) -> LeadOrderKey?) -> Bool {
            guard index.count == count else { return false }
            var current = true
            index.forEach { entry in
                guard let record = entry.record, let stored = records[record.state.id], stored === record,
                    key(record) == entry.key
                else {
                    current = false
                    return false
                }
                return true
            }
            return current
        }
        let live = records.values.filter(\.isLive)
        let paused = live.filter { $0.state.pausedUntil != nil }.count
        let byStep = Dictionary(grouping: live, by: \.step).mapValues(\.count)
        let byResponsible = Dictionary(grouping: live.filter { $0.responsible != nil }, by: { $0.responsible! })
            .mapValues(\.count)
        return current(pausedOrder, count: paused) { $0.isLive ? Self.pauseKey($0) : nil }
            && LeadSort.allCases.allSatisfy { sort in
                current(orderIndex(sort), count: records.count) { orderKey($0, sort) }
            }
            && Set(updatedByStep.keys) == Set(byStep.keys)
            && updatedByStep.allSatisfy { step, index in
                current(index, count: byStep[step] ?? 0) { $0.isLive && $0.step == step ? orderKey($0, .updated) : nil }
            }
            && Set(updatedByResponsible.keys) == Set(byResponsible.keys)
            && updatedByResponsible.allSatisfy { manager, index in
                current(index, count: byResponsible[manager] ?? 0) {
                    $0.isLive && $0.responsible == manager ? orderKey($0, .updated) : nil
                }
            }
    }

    /// Moves a lead's entry between the ordered indexes of a key (its step or responsible): in place when the key
    /// stayed, out of the old key's index (dropped when emptied) and into the new one's otherwise.
    private static func moveKeyed<K: Hashable>(
        _ indexes: inout [K: SortedIndex<LeadOrderEntry>], from old: (K, LeadOrderKey)?, to new: (K, LeadOrderEntry)?
    ) {
        if let old, let new, old.0 == new.0 {
            move(&indexes[old.0, default: SortedIndex()], old.1, new.1)
            return
        }
        if let old {
            indexes[old.0]?.remove(LeadOrderEntry(bound: old.1))
            if indexes[old.0]?.isEmpty == true { indexes[old.0] = nil }
        }
        if let new { indexes[new.0, default: SortedIndex()].insert(new.1) }
    }

    /// A lead's key in `pausedOrder`: `(pausedUntil, id)`; nil without a pause date.
    static func pauseKey(_ record: LeadRecord) -> LeadOrderKey? {
        record.state.pausedUntil.map { LeadOrderKey(primary: $0.rawValue, id: LeadKey(record.state.id)) }
    }

    /// Adds (`sign` 1) or removes (-1) a live lead from `liveCounts`.
    static func count(_ lead: LeadState, _ sign: Int, into counts: inout [LiveCountKey: LiveCount]) {
        func bump(_ key: LiveCountKey) {
            var count = counts[key, default: LiveCount()]
            count.live += sign
            if lead.converted { count.converted += sign }
            counts[key] = count.live == 0 ? nil : count
        }
        bump(LiveCountKey(step: lead.step, responsible: nil))
        if let responsible = lead.responsible {
            bump(LiveCountKey(step: lead.step, responsible: responsible))
            bump(LiveCountKey(step: nil, responsible: responsible))
        }
    }

    private static func setMember(_ set: inout TreeSet<UUID>, _ id: UUID, _ member: Bool) {
        if member { if !set.contains(id) { set.insert(id) } } else if set.contains(id) { set.remove(id) }
    }

    private static func move(_ index: inout SortedIndex<LeadOrderEntry>, _ old: LeadOrderKey?, _ new: LeadOrderEntry?) {
        if let old, let new, old == new.key {
            index.replace(new)
            return
        }
        if let old { index.remove(LeadOrderEntry(bound: old)) }
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

/// A bucket of `LeadDirectory.liveCounts`: a step, a responsible, or both.
struct LiveCountKey: Hashable, Sendable {
    var step: String?
    var responsible: UUID?
}

/// Live leads in a bucket, and how many of them are converted (paused or not).
struct LiveCount: Hashable, Sendable {
    var live = 0
    var converted = 0
}

/// One lead in the directory: its state and its precomputed name sort key. Immutable; replaced on change.
///
/// The fields list filters test on every lead a walk passes (step, responsible, pause date, live and converted)
/// are copied ahead of the state, so they share the object's first cache line: a filtered page at 10^6 leads visits
/// thousands of records scattered in memory, and reading them from the 400-byte state cost several cache misses
/// per lead.
public final class LeadRecord: Sendable, Equatable {
    let step: String
    /// `pausedUntil` in microseconds, `Int64.min` when the lead has no pause date.
    let pausedUntilMicros: Int64
    let responsible: UUID?
    let flags: Flags
    public let state: LeadState
    /// `SearchText.fold(fullName)`.
    public let nameKey: String
    /// The lead's text search tokens (`LeadSearch.forEachTextToken`) joined by "\n": a search token too common
    /// to collect from the index is tested against these on each lead a walk passes.
    let textTokens: String

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let merged = Flags(rawValue: 1)
        static let deleted = Flags(rawValue: 2)
        static let converted = Flags(rawValue: 4)
    }

    init(state: LeadState, nameKey: String, textTokens: String? = nil) {
        step = state.step
        pausedUntilMicros = state.pausedUntil?.rawValue ?? .min
        responsible = state.responsible
        var flags: Flags = []
        if state.mergedInto != nil { flags.insert(.merged) }
        if state.deleted { flags.insert(.deleted) }
        if state.converted { flags.insert(.converted) }
        self.flags = flags
        self.state = state
        self.nameKey = nameKey
        self.textTokens = textTokens ?? Self.joinedTextTokens(of: state, nameKey: nameKey)
    }

    static func joinedTextTokens(of lead: LeadState, nameKey: String) -> String {
        var joined = ""
        LeadSearch.forEachTextToken(of: lead, nameKey: nameKey) { token in
            if !joined.isEmpty { joined.append("\n") }
            joined.append(token)
        }
        return joined
    }

    /// A lead's record, its keys computed.
    public convenience init(state: LeadState) {
        self.init(state: state, nameKey: LeadSearch.nameKey(of: state))
    }

    /// The text search tokens, each once.
    var textTokenSet: Set<String> {
        var set = Set<String>()
        forEachTextToken { set.insert($0) }
        return set
    }

    /// Calls `body` with each text search token.
    func forEachTextToken(_ body: (String) -> Void) {
        var tokens = textTokens
        tokens.withUTF8 { t in
            var start = 0
            for index in 0...t.count where index == t.count || t[index] == UInt8(ascii: "\n") {
                if index > start { body(String(decoding: UnsafeBufferPointer(rebasing: t[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
        }
    }

    /// Whether one of the text search tokens starts with `prefix`, as `String.hasPrefix` decides (like the index).
    ///
    /// Tokens and query words are folded the same way (no combining marks), so a prefix in characters is also one
    /// in UTF-8 bytes: the bytes are compared first, and only a byte match is confirmed with `hasPrefix` (which
    /// also requires the prefix to end on a character boundary, e.g. inside a Hangul syllable it does not).
    func hasTextToken(withPrefix prefix: String) -> Bool {
        var tokens = textTokens
        var prefix = prefix
        return tokens.withUTF8 { t in
            prefix.withUTF8 { p in
                let n = t.count
                let k = p.count
                var start = 0
                while start < n {
                    var end = start
                    while end < n && t[end] != UInt8(ascii: "\n") { end += 1 }
                    if end - start >= k && (k == 0 || memcmp(t.baseAddress! + start, p.baseAddress!, k) == 0) {
                        let token = String(decoding: UnsafeBufferPointer(rebasing: t[start..<end]), as: UTF8.self)
                        if token.hasPrefix(String(decoding: p, as: UTF8.self)) { return true }
                    }
                    start = end + 1
                }
                return false
            }
        }
    }

    /// `state.status(at:)` from the copied fields.
    func status(at now: Timestamp) -> LeadStatus {
        if flags.contains(.merged) { return .merged }
        if flags.contains(.deleted) { return .deleted }
        if now.rawValue < pausedUntilMicros { return .paused }
        if flags.contains(.converted) { return .converted }
        return .active
    }

    /// Neither deleted nor merged.
    var isLive: Bool { flags.isDisjoint(with: [.merged, .deleted]) }

    public static func == (a: LeadRecord, b: LeadRecord) -> Bool { a === b || (a.state == b.state && a.nameKey == b.nameKey) }
}
