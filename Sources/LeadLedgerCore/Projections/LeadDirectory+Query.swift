import Foundation
import HashTreeCollections
import LeadDomain

/// A set of lead ids a query may be driven from, with its size known up front.
enum CandidateSet {
    case tree(TreeSet<UUID>)
    case union([TreeSet<UUID>])
    case set(Set<UUID>)

    /// The size, or an upper bound for a union.
    var count: Int {
        switch self {
        case .tree(let s): s.count
        case .union(let sets): sets.reduce(0) { $0 + $1.count }
        case .set(let s): s.count
        }
    }

    func contains(_ id: UUID) -> Bool {
        switch self {
        case .tree(let s): s.contains(id)
        case .union(let sets): sets.contains { $0.contains(id) }
        case .set(let s): s.contains(id)
        }
    }

    func forEach(_ body: (UUID) -> Void) {
        switch self {
        case .tree(let s): for id in s { body(id) }
        case .set(let s): for id in s { body(id) }
        case .union(let sets):
            if sets.count == 1 {
                for id in sets[0] { body(id) }
            } else {
                var seen = Set<UUID>()
                for set in sets { for id in set where seen.insert(id).inserted { body(id) } }
            }
        }
    }
}

extension LeadDirectory {
    /// One page of leads matching `query` at `now`.
    ///
    /// Strategy: every filter that has an index offers a candidate set (a step, responsible, tag, source,
    /// watcher or customer set when only live statuses are asked for; the status sets when `active` is not
    /// asked for; the visibility set `responsible ∪ watcher`; the search matches). If the smallest is small
    /// (≤ 2,000, or `m² ≤ 4·limit·n`) its leads are tested, sorted and cut at the cursor: O(m log m).
    /// Otherwise the ordered index of the sort is walked from the cursor, testing each lead, until `limit + 1`
    /// rows match: O(limit / selectivity). A total is counted from status counters when only statuses are
    /// filtered, from the index set size when one key filter is the only constraint, and otherwise by testing
    /// the smallest candidate set (or every lead): O(m).
    ///
    /// Search: a query token matching at most `broadSearch` leads (by default √(150·n): about 12,000 at 10^6) is
    /// looked up in the search indexes and its matches collected; a broader one (a common name prefix, "+370") is
    /// instead tested on each lead the walk passes, since collecting 10^5 matches cost far more than testing the
    /// few thousand leads a page visits. Totals always collect.
    public func query(_ query: LeadQuery, now: Timestamp) -> LeadPage {
        self.query(query, now: now, broadSearch: Int((150 * Double(Swift.max(count, 1))).squareRoot()))
    }

    func query(_ query: LeadQuery, now: Timestamp, broadSearch: Int) -> LeadPage {
        let limit = Swift.min(Swift.max(query.limit, 1), LeadQuery.maxLimit)
        let filter = query.filter
        var search: Set<UUID>?
        var searchTests: [LeadSearch.QueryToken] = []
        if let q = query.q {
            let tokens = LeadSearch.queryTokens(q)
            let cap = query.includeTotal ? Int.max : broadSearch
            var narrow: [LeadSearch.QueryToken] = []
            for token in tokens {
                if estimatedMatches(token, above: cap) > cap { searchTests.append(token) } else { narrow.append(token) }
            }
            if !narrow.isEmpty {
                search = searchMatches(narrow)
                if search?.isEmpty == true { return LeadPage(records: [], next: nil, total: query.includeTotal ? 0 : nil) }
            }
        }
        let cursor = query.after?.sort == query.sort ? query.after?.key : nil
        let descending = query.order == .descending
        let visibleTo = query.visibleTo
        let matcher = LeadMatcher(
            filter, visibleTo: visibleTo, search: search, searchTests: searchTests, now: now, byTag: byTag)
        let accepts = { (record: LeadRecord) -> Bool in record.matches(matcher) }
        let candidates = candidateSets(filter, visibleTo: visibleTo, search: search, now: now).sorted { $0.count < $1.count }
        var best = candidates.first
        if let smallest = best, candidates.count >= 2, smallest.count > 2_000 {
            // Several large sets: if walking the sort index is expected to visit more leads than the smallest
            // set holds (limit / product of selectivities), intersect the sets by membership first.
            let n = Double(Swift.max(count, 1))
            let selectivity = candidates.reduce(1.0) { $0 * Double($1.count) / n }
            // A membership test costs about what testing a lead on the walk costs, so the cheaper plan is the one
            // that touches fewer ids (measured: intersecting a manager's 10,000 leads with a step for every page
            // cost ~8 ms, walking the ~2,500 leads the estimate predicts ~1 ms).
            if Double(limit + 1) / Swift.max(selectivity, 1e-12) > Double(smallest.count) {
                var ids = Set<UUID>()
                let others = candidates.dropFirst()
                smallest.forEach { id in if others.allSatisfy({ $0.contains(id) }) { ids.insert(id) } }
                best = .set(ids)
            }
        }

        if let best, best.count <= 2_000 || best.count * best.count <= 4 * limit * Swift.max(count, 1) {
            // (key, reference) pairs past the cursor, sorted; only the rows of the page are copied out.
            var keyed: [(key: LeadOrderKey, record: LeadRecord)] = []
            var total = 0
            best.forEach { id in
                guard let record = records[id], accepts(record) else { return }
                total += 1
                let key = orderKey(record, query.sort)
                if let cursor, descending ? key >= cursor : key <= cursor { return }
                keyed.append((key, record))
            }
            keyed.sort { descending ? $0.key > $1.key : $0.key < $1.key }
            var rows: [LeadRecord] = []
            rows.reserveCapacity(Swift.min(limit, keyed.count))
            var lastKey: LeadOrderKey?
            var more = false
            for (key, record) in keyed {
                if rows.count == limit {
                    more = true
                    break
                }
                rows.append(record)
                lastKey = key
            }
            let next = more ? lastKey.map { LeadCursor(sort: query.sort, key: $0) } : nil
            return LeadPage(records: rows, next: next, total: query.includeTotal ? total : nil)
        }

        var rows: [LeadRecord] = []
        var lastKey: LeadOrderKey?
        var more = false
        let (start, stop) = walkBounds(filter, query.sort, descending: descending, cursor: cursor)
        let index = walkIndex(filter, query.sort)
        // A broad search token matches at least `broadSearch` leads, so a walk should find a page within about
        // (limit + 1) · n / broadSearch leads. When the matches sit far down the order (behind a block of newer
        // leads that do not match), the walk gives up after four times that and the tokens are collected instead.
        let budget = searchTests.isEmpty ? Int.max : 4 * (limit + 1) * Swift.max(count, 1) / Swift.max(broadSearch, 1)
        var visited = 0
        var abandoned = false
        index.forEachAddress(after: start.map(LeadOrderEntry.init(bound:)), descending: descending) { entry in
            if stop.reached(entry.pointee.key.primary) { return false }
            visited += 1
            if visited > budget {
                abandoned = true
                return false
            }
            // The record is tested unretained, as a guaranteed reference (the index holds it, unchanged under the
            // read lock): no reference counting per lead passed.
            guard let record = entry.unretainedRecord, record._withUnsafeGuaranteedRef({ $0.matches(matcher) }) else {
                return true
            }
            if rows.count == limit {
                more = true
                return false
            }
            rows.append(record.takeUnretainedValue())
            lastKey = entry.pointee.key
            return true
        }
        if abandoned { return self.query(query, now: now, broadSearch: .max) }
        let next = more ? lastKey.map { LeadCursor(sort: query.sort, key: $0) } : nil
        var total: Int?
        if query.includeTotal {
            total = count(filter, visibleTo: visibleTo, search: search, best: best, now: now, accepts: accepts)
        }
        return LeadPage(records: rows, next: next, total: total)
    }

    /// How many leads match, without fetching them (the `total` of `query`).
    public func count(_ query: LeadQuery, now: Timestamp) -> Int {
        var copy = query
        copy.limit = 1
        copy.includeTotal = true
        return self.query(copy, now: now).total ?? 0
    }

    /// Counts of leads in each status at `now`; O(log n + leads paused at `now`).
    public func statusCounts(now: Timestamp) -> [LeadStatus: Int] {
        var pausedNow = 0
        var pausedConverted = 0
        forEachPaused(at: now) { record in
            pausedNow += 1
            if record.flags.contains(.converted) { pausedConverted += 1 }
        }
        let live = records.count - deletedSet.count - mergedSet.count
        let converted = convertedLive.count - pausedConverted
        return [
            .active: live - pausedNow - converted, .paused: pausedNow, .converted: converted,
            .deleted: deletedSet.count, .merged: mergedSet.count,
        ]
    }

    /// How many live leads are paused at `now`: O(log n + n / chunk size) over the pause order.
    public func pausedCount(at now: Timestamp) -> Int {
        pausedOrder.count(after: LeadOrderEntry(bound: Self.pausedBound(now)))
    }

    /// Visits the live leads paused at `now` (pause date after it), latest pause date first.
    func forEachPaused(at now: Timestamp, _ body: (LeadRecord) -> Void) {
        let bound = now.rawValue
        pausedOrder.forEachAddress(descending: true) { entry in
            guard entry.pointee.key.primary > bound, let record = entry.unretainedRecord else { return false }
            record._withUnsafeGuaranteedRef(body)
            return true
        }
    }

    /// Visits the live leads paused at `now`, earliest pause end first, until `body` returns false.
    func forEachPausedSoonestFirst(at now: Timestamp, _ body: (LeadRecord) -> Bool) {
        pausedOrder.forEachAddress(after: LeadOrderEntry(bound: Self.pausedBound(now))) { entry in
            guard let record = entry.unretainedRecord else { return true }
            return record._withUnsafeGuaranteedRef(body)
        }
    }

    /// The largest pause key that is not paused at `now`: every key after it has its pause date after `now`.
    private static func pausedBound(_ now: Timestamp) -> LeadOrderKey {
        LeadOrderKey(primary: now.rawValue, text: "", secondary: 0, id: .max)
    }

    private func candidateSets(_ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, now: Timestamp) -> [CandidateSet] {
        var result: [CandidateSet] = []
        if let search { result.append(.set(search)) }
        if f.states.isSubset(of: LeadStatus.live) {
            if let step = f.step { result.append(.tree(byStep[step])) }
            if let responsible = f.responsible { result.append(.tree(byResponsible[responsible])) }
            if let tag = f.tag { result.append(.tree(byTag[TagName.key(tag)])) }
            if let source = f.source { result.append(.tree(bySource[source])) }
            if let watcher = f.watcher { result.append(.tree(byWatcher[watcher])) }
            if let customer = f.customer { result.append(.tree(byCustomer[customer])) }
            if let viewer = visibleTo { result.append(.union([byResponsible[viewer], byWatcher[viewer]])) }
            if f.converted == true { result.append(.tree(convertedLive)) }
        }
        if !f.states.contains(.active) {
            var sets: [TreeSet<UUID>] = []
            if f.states.contains(.converted) { sets.append(convertedLive) }
            if f.states.contains(.deleted) { sets.append(deletedSet) }
            if f.states.contains(.merged) { sets.append(mergedSet) }
            if f.states.contains(.paused) {
                // Only the leads paused at `now`, not every lead with a (maybe past) pause date.
                var pausedNow = Set<UUID>()
                forEachPaused(at: now) { pausedNow.insert($0.state.id) }
                if sets.isEmpty { result.append(.set(pausedNow)) } else { sets.append(TreeSet(pausedNow)) }
            }
            if !sets.isEmpty || !f.states.contains(.paused) { result.append(.union(sets)) }
        }
        return result
    }

    /// The ordered index a page walks: for the `updated` sort over live statuses, the smaller of the step's and the
    /// responsible's own order when the filter names them; the sort's global order otherwise.
    private func walkIndex(_ f: LeadFilter, _ sort: LeadSort) -> SortedIndex<LeadOrderEntry> {
        guard sort == .updated, f.states.isSubset(of: LeadStatus.live) else { return orderIndex(sort) }
        var candidates: [SortedIndex<LeadOrderEntry>] = []
        if let step = f.step { candidates.append(updatedByStep[step] ?? SortedIndex()) }
        if let responsible = f.responsible { candidates.append(updatedByResponsible[responsible] ?? SortedIndex()) }
        return candidates.min { $0.count < $1.count } ?? orderIndex(sort)
    }

    /// Where to start walking an ordered index, and when to stop, given the cursor and a time range on the sort.
    private func walkBounds(
        _ f: LeadFilter, _ sort: LeadSort, descending: Bool, cursor: LeadOrderKey?
    ) -> (LeadOrderKey?, WalkStop) {
        let range: (Timestamp?, Timestamp?)
        switch sort {
        case .created: range = (f.createdFrom, f.createdTo)
        case .updated: range = (f.updatedFrom, f.updatedTo)
        case .name, .step: return (cursor, WalkStop())
        }
        var start = cursor
        var stop = WalkStop()
        if descending {
            if let to = range.1 {
                let bound = LeadOrderKey(primary: to.rawValue, id: .min)
                if start.map({ bound < $0 }) ?? true { start = bound }
            }
            if let from = range.0 { stop.below = from.rawValue }
        } else {
            if let from = range.0 {
                let bound = LeadOrderKey(primary: from.rawValue - 1, secondary: .max, id: .max)
                if start.map({ $0 < bound }) ?? true { start = bound }
            }
            if let to = range.1 { stop.atOrAbove = to.rawValue }
        }
        return (start, stop)
    }

    private func count(
        _ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, best: CandidateSet?, now: Timestamp,
        accepts: (LeadRecord) -> Bool
    ) -> Int {
        if search == nil, visibleTo == nil {
            if f.constrainsOnlyStates {
                let counts = statusCounts(now: now)
                return f.states.reduce(0) { $0 + (counts[$1] ?? 0) }
            }
            if f.states.isSubset(of: LeadStatus.live), let total = countedByStepAndResponsible(f, now: now) {
                return total
            }
            if f.states.isSubset(of: LeadStatus.live), let set = singleKeySet(f) {
                if f.states == LeadStatus.live { return set.count }
                if f.states == LeadStatus.defaultVisible {
                    var pausedNow = 0
                    forEachPaused(at: now) { if set.contains($0.state.id) { pausedNow += 1 } }
                    return set.count - pausedNow
                }
            }
        }
        var total = 0
        if let best {
            best.forEach { id in if let record = records[id], accepts(record) { total += 1 } }
        } else if f.createdFrom != nil || f.createdTo != nil || f.updatedFrom != nil || f.updatedTo != nil {
            // A time range bounds a walk of its ordered index: O(leads in the range).
            let sort: LeadSort = f.createdFrom != nil || f.createdTo != nil ? .created : .updated
            let (start, stop) = walkBounds(f, sort, descending: false, cursor: nil)
            orderIndex(sort).forEachAddress(after: start.map(LeadOrderEntry.init(bound:))) { entry in
                if stop.reached(entry.pointee.key.primary) { return false }
                if let record = entry.unretainedRecord, record._withUnsafeGuaranteedRef(accepts) { total += 1 }
                return true
            }
        } else {
            for record in records.values where accepts(record) { total += 1 }
        }
        return total
    }

    /// The total of a filter on step, responsible or both (and live statuses) from `liveCounts`, less the leads
    /// paused at `now` in that bucket: O(log n + paused leads). Nil when the filter has anything else.
    private func countedByStepAndResponsible(_ f: LeadFilter, now: Timestamp) -> Int? {
        guard f.step != nil || f.responsible != nil else { return nil }
        var rest = f
        rest.step = nil
        rest.responsible = nil
        guard rest.constrainsOnlyStates else { return nil }
        let bucket = liveCounts[LiveCountKey(step: f.step, responsible: f.responsible)] ?? LiveCount()
        var paused = 0
        var pausedConverted = 0
        forEachPaused(at: now) { record in
            if let step = f.step, record.step != step { return }
            if let responsible = f.responsible, record.responsible != responsible { return }
            paused += 1
            if record.flags.contains(.converted) { pausedConverted += 1 }
        }
        var total = 0
        if f.states.contains(.active) { total += bucket.live - bucket.converted - (paused - pausedConverted) }
        if f.states.contains(.converted) { total += bucket.converted - pausedConverted }
        if f.states.contains(.paused) { total += paused }
        return total
    }

    /// The live leads of the one key filter (tag, source, watcher or customer; step and responsible are counted by
    /// `countedByStepAndResponsible` first) when it is the only constraint besides `states`; nil otherwise.
    private func singleKeySet(_ f: LeadFilter) -> TreeSet<UUID>? {
        var rest = f
        var found: TreeSet<UUID>?
        var keys = 0
        if let v = f.step { (found, rest.step, keys) = (byStep[v], nil, keys + 1) }
        if let v = f.responsible { (found, rest.responsible, keys) = (byResponsible[v], nil, keys + 1) }
        if let v = f.tag { (found, rest.tag, keys) = (byTag[TagName.key(v)], nil, keys + 1) }
        if let v = f.source { (found, rest.source, keys) = (bySource[v], nil, keys + 1) }
        if let v = f.watcher { (found, rest.watcher, keys) = (byWatcher[v], nil, keys + 1) }
        if let v = f.customer { (found, rest.customer, keys) = (byCustomer[v], nil, keys + 1) }
        return keys == 1 && rest.constrainsOnlyStates ? found : nil
    }

    /// Leads whose search tokens match every token of `q`; nil when `q` has no tokens.
    public func searchMatches(_ q: String) -> Set<UUID>? {
        searchMatches(LeadSearch.queryTokens(q))
    }

    /// How many leads `token` matches, counted until the count passes `cap` (then some number above it): the sum
    /// of the members of the index keys it matches (a lead matching through two keys counts twice).
    func estimatedMatches(_ token: LeadSearch.QueryToken, above cap: Int) -> Int {
        var total = 0
        forEachKey(matching: token) { sets, key in
            total += sets.count(key)
            return total <= cap
        }
        return total
    }

    /// Leads matching every one of `tokens`; nil when there are none.
    func searchMatches(_ tokens: [LeadSearch.QueryToken]) -> Set<UUID>? {
        guard !tokens.isEmpty else { return nil }
        var result: Set<UUID>?
        for token in tokens {
            var found = Set<UUID>()
            forEachKey(matching: token) { sets, key in
                sets.forEachMember(of: key) { found.insert($0) }
                return true
            }
            result = result.map { $0.intersection(found) } ?? found
            if result?.isEmpty == true { break }
        }
        return result
    }

    /// Visits every search-index key `token` matches, with its index, until `body` returns false: the one
    /// definition of a match, for collecting and for estimating. A text token matches text tokens by prefix; a
    /// phone token matches phone digits and text tokens by prefix and, with 4 digits or more, phone digits by
    /// suffix (the incoming-call "last digits").
    private func forEachKey(matching token: LeadSearch.QueryToken, _ body: (KeyedSets<String>, String) -> Bool) {
        switch token {
        case .text(let prefix):
            Self.forEachWithPrefix(tokenOrder, prefix) { body(textTokens, $0) }
        case .phone(let digits):
            guard Self.forEachWithPrefix(phoneOrder, digits, { body(phoneDigits, $0) }),
                Self.forEachWithPrefix(tokenOrder, digits, { body(textTokens, $0) }),
                digits.count >= 4
            else { return }
            Self.forEachWithPrefix(phoneReversedOrder, LeadSearch.reversedDigits(digits)) { body(phoneDigits, LeadSearch.reversedDigits($0)) }
        }
    }

    /// Visits the keys of `order` starting with `prefix`, in order, until `body` returns false; returns false when
    /// it stopped early.
    @discardableResult
    private static func forEachWithPrefix(_ order: SortedIndex<String>, _ prefix: String, _ body: (String) -> Bool) -> Bool {
        if order.contains(prefix), !body(prefix) { return false }
        var completed = true
        order.forEach(after: prefix) { token in
            guard token.hasPrefix(prefix) else { return false }
            completed = body(token)
            return completed
        }
        return completed
    }
}

/// Where a walk of an ordered index ends: at the first key whose primary part is below or at/above a bound (a plain
/// value rather than a closure, so the walk's loop makes no opaque call before testing a lead).
struct WalkStop {
    var below: Int64?
    var atOrAbove: Int64?

    func reached(_ primary: Int64) -> Bool {
        if let below, primary < below { return true }
        if let atOrAbove, primary >= atOrAbove { return true }
        return false
    }
}

/// A lead filter prepared for testing many leads: statuses as a bit mask, each filter a plain field, absent ones
/// skipped without touching any shared storage (reading a shared `Set` or `Dictionary` per lead retains it, and two
/// threads retaining the same object contend for its cache line).
struct LeadMatcher {
    let statusMask: UInt8
    let step: String?
    let responsible: UUID?
    let tag: String?
    let source: String?
    let watcher: UUID?
    let customer: UUID?
    let converted: Bool?
    let hasTimeBounds: Bool
    let createdFrom: Timestamp?
    let createdTo: Timestamp?
    let updatedFrom: Timestamp?
    let updatedTo: Timestamp?
    /// nil when the filter has none.
    let customFields: [String: CustomFieldValue]?
    let visibleTo: UUID?
    let search: Set<UUID>?
    /// Query tokens too broad to collect: tested on each lead (`LeadSearch.matches`).
    let searchTests: [LeadSearch.QueryToken]
    let now: Timestamp
    /// The live-only tag index and the folded tag: a live lead's tag test is a lookup instead of folding its tags.
    var byTag: KeyedSets<String>?
    let tagKey: String?

    init(
        _ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, searchTests: [LeadSearch.QueryToken] = [], now: Timestamp,
        byTag: KeyedSets<String>
    ) {
        statusMask = f.states.reduce(0) { $0 | Self.bit($1) }
        step = f.step
        responsible = f.responsible
        tag = f.tag
        source = f.source
        watcher = f.watcher
        customer = f.customer
        converted = f.converted
        createdFrom = f.createdFrom
        createdTo = f.createdTo
        updatedFrom = f.updatedFrom
        updatedTo = f.updatedTo
        hasTimeBounds = f.createdFrom != nil || f.createdTo != nil || f.updatedFrom != nil || f.updatedTo != nil
        customFields = f.customFields.isEmpty ? nil : f.customFields
        self.visibleTo = visibleTo
        self.search = search
        self.searchTests = searchTests
        self.now = now
        self.byTag = f.tag == nil ? nil : byTag
        tagKey = f.tag.map(TagName.key)
    }

    /// A matcher that folds a lead's tags to test the tag filter (the projection store's leads carry no index).
    init(_ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, searchTests: [LeadSearch.QueryToken] = [], now: Timestamp) {
        self.init(f, visibleTo: visibleTo, search: search, searchTests: searchTests, now: now, byTag: KeyedSets())
        byTag = nil
    }

    static func bit(_ status: LeadStatus) -> UInt8 {
        switch status {
        case .active: 1
        case .paused: 2
        case .converted: 4
        case .merged: 8
        case .deleted: 16
        }
    }
}

extension LeadRecord {
    /// Whether this lead passes every filter of `m`. A method on the record, so a caller holding the record borrowed
    /// (an index entry) tests it without retaining it; fields are read in place, the state is never copied.
    func matches(_ m: LeadMatcher) -> Bool {
        // The record's own copies of status, step and responsible first (one cache line), then the state.
        if m.statusMask & LeadMatcher.bit(status(at: m.now)) == 0 { return false }
        if let step = m.step, self.step != step { return false }
        if let responsible = m.responsible, self.responsible != responsible { return false }
        if let tag = m.tag {
            if let tagKey = m.tagKey, let byTag = m.byTag, isLive {
                if !byTag.contains(state.id, for: tagKey) { return false }
            } else if !state.hasTag(tag) {
                return false
            }
        }
        if let source = m.source, state.source != source { return false }
        if let watcher = m.watcher, !state.watchers.contains(watcher) { return false }
        if let customer = m.customer, state.linkedCustomer != customer { return false }
        if let converted = m.converted, state.converted != converted { return false }
        if m.hasTimeBounds {
            if let from = m.createdFrom, state.createdAt < from { return false }
            if let to = m.createdTo, state.createdAt >= to { return false }
            if let from = m.updatedFrom, state.updatedAt < from { return false }
            if let to = m.updatedTo, state.updatedAt >= to { return false }
        }
        if let customFields = m.customFields {
            for (key, value) in customFields where state.customFields[key] != value { return false }
        }
        if let viewer = m.visibleTo, !state.isOwnedOrWatched(by: viewer) { return false }
        if let search = m.search, !search.contains(state.id) { return false }
        for token in m.searchTests where !LeadSearch.matches(token, record: self) { return false }
        return true
    }
}
