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
    public func query(_ query: LeadQuery, now: Timestamp) -> LeadPage {
        let limit = Swift.min(Swift.max(query.limit, 1), LeadQuery.maxLimit)
        let filter = query.filter
        var search: Set<UUID>?
        if let q = query.q {
            search = searchMatches(q)
            if search?.isEmpty == true { return LeadPage(rows: [], next: nil, total: query.includeTotal ? 0 : nil) }
        }
        let cursor = query.after?.sort == query.sort ? query.after?.key : nil
        let descending = query.order == .descending
        let visibleTo = query.visibleTo
        // The tag test by the live-only tag index (a lookup) instead of folding every tag of every lead tested.
        let tag = filter.tag
        let tagKey = tag.map(TagName.key)
        let byTag = self.byTag
        let accepts = { (record: LeadRecord) -> Bool in
            Self.matches(record, filter, visibleTo: visibleTo, search: search, now: now) { record in
                guard let tag, let tagKey else { return true }
                return record.state.isLive ? byTag.contains(record.state.id, for: tagKey) : record.state.hasTag(tag)
            }
        }
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
            var rows: [LeadState] = []
            rows.reserveCapacity(Swift.min(limit, keyed.count))
            var lastKey: LeadOrderKey?
            var more = false
            for (key, record) in keyed {
                if rows.count == limit {
                    more = true
                    break
                }
                rows.append(record.state)
                lastKey = key
            }
            let next = more ? lastKey.map { LeadCursor(sort: query.sort, key: $0) } : nil
            return LeadPage(rows: rows, next: next, total: query.includeTotal ? total : nil)
        }

        var rows: [LeadState] = []
        var lastKey: LeadOrderKey?
        var more = false
        let (start, stop) = walkBounds(filter, query.sort, descending: descending, cursor: cursor)
        orderIndex(query.sort).forEach(after: start, descending: descending) { key in
            if let stop, stop(key) { return false }
            guard let record = records[key.id.uuid], accepts(record) else { return true }
            if rows.count == limit {
                more = true
                return false
            }
            rows.append(record.state)
            lastKey = key
            return true
        }
        let next = more ? lastKey.map { LeadCursor(sort: query.sort, key: $0) } : nil
        var total: Int?
        if query.includeTotal {
            total = count(filter, visibleTo: visibleTo, search: search, best: best, now: now, accepts: accepts)
        }
        return LeadPage(rows: rows, next: next, total: total)
    }

    /// How many leads match, without fetching them (the `total` of `query`).
    public func count(_ query: LeadQuery, now: Timestamp) -> Int {
        var copy = query
        copy.limit = 1
        copy.includeTotal = true
        return self.query(copy, now: now).total ?? 0
    }

    /// Counts of leads in each status at `now`; O(number of leads with a pause date).
    public func statusCounts(now: Timestamp) -> [LeadStatus: Int] {
        var pausedNow = 0
        var pausedConverted = 0
        for (id, until) in pausedUntil where now < until {
            pausedNow += 1
            if convertedLive.contains(id) { pausedConverted += 1 }
        }
        let live = records.count - deletedSet.count - mergedSet.count
        let converted = convertedLive.count - pausedConverted
        return [
            .active: live - pausedNow - converted, .paused: pausedNow, .converted: converted,
            .deleted: deletedSet.count, .merged: mergedSet.count,
        ]
    }

    /// Whether a lead passes every filter. Fields are read through the record (`record.state.x`), never by
    /// copying the state out: a copy of every field of every lead visited cost as much as finding it.
    static func matches(
        _ record: LeadRecord, _ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, now: Timestamp,
        hasTag: (LeadRecord) -> Bool
    ) -> Bool {
        if let search, !search.contains(record.state.id) { return false }
        if !f.states.contains(record.state.status(at: now)) { return false }
        if let step = f.step, record.state.step != step { return false }
        if let responsible = f.responsible, record.state.responsible != responsible { return false }
        if f.tag != nil, !hasTag(record) { return false }
        if let source = f.source, record.state.source != source { return false }
        if let watcher = f.watcher, !record.state.watchers.contains(watcher) { return false }
        if let customer = f.customer, record.state.linkedCustomer != customer { return false }
        if let converted = f.converted, record.state.converted != converted { return false }
        if let from = f.createdFrom, record.state.createdAt < from { return false }
        if let to = f.createdTo, record.state.createdAt >= to { return false }
        if let from = f.updatedFrom, record.state.updatedAt < from { return false }
        if let to = f.updatedTo, record.state.updatedAt >= to { return false }
        for (key, value) in f.customFields where record.state.customFields[key] != value { return false }
        if let viewer = visibleTo, record.state.responsible != viewer, !record.state.watchers.contains(viewer) {
            return false
        }
        return true
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
                for (id, until) in pausedUntil where now < until { pausedNow.insert(id) }
                if sets.isEmpty { result.append(.set(pausedNow)) } else { sets.append(TreeSet(pausedNow)) }
            }
            if !sets.isEmpty || !f.states.contains(.paused) { result.append(.union(sets)) }
        }
        return result
    }

    /// Where to start walking an ordered index, and when to stop, given the cursor and a time range on the sort.
    private func walkBounds(
        _ f: LeadFilter, _ sort: LeadSort, descending: Bool, cursor: LeadOrderKey?
    ) -> (LeadOrderKey?, ((LeadOrderKey) -> Bool)?) {
        let range: (Timestamp?, Timestamp?)
        switch sort {
        case .created: range = (f.createdFrom, f.createdTo)
        case .updated: range = (f.updatedFrom, f.updatedTo)
        case .name, .step: return (cursor, nil)
        }
        var start = cursor
        var stop: ((LeadOrderKey) -> Bool)?
        if descending {
            if let to = range.1 {
                let bound = LeadOrderKey(primary: to.rawValue, id: .min)
                if start.map({ bound < $0 }) ?? true { start = bound }
            }
            if let from = range.0 { stop = { $0.primary < from.rawValue } }
        } else {
            if let from = range.0 {
                let bound = LeadOrderKey(primary: from.rawValue - 1, secondary: .max, id: .max)
                if start.map({ $0 < bound }) ?? true { start = bound }
            }
            if let to = range.1 { stop = { $0.primary >= to.rawValue } }
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
            if f.states.isSubset(of: LeadStatus.live), let set = singleKeySet(f) {
                if f.states == LeadStatus.live { return set.count }
                if f.states == LeadStatus.defaultVisible {
                    var pausedNow = 0
                    for (id, until) in pausedUntil where now < until && set.contains(id) { pausedNow += 1 }
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
            orderIndex(sort).forEach(after: start) { key in
                if let stop, stop(key) { return false }
                if let record = records[key.id.uuid], accepts(record) { total += 1 }
                return true
            }
        } else {
            for record in records.values where accepts(record) { total += 1 }
        }
        return total
    }

    /// The live leads of the one key filter (step, responsible, tag, source, watcher or customer) when it is the
    /// only constraint besides `states`; nil otherwise.
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
        let tokens = LeadSearch.queryTokens(q)
        guard !tokens.isEmpty else { return nil }
        var result: Set<UUID>?
        for token in tokens {
            var found = Set<UUID>()
            switch token {
            case .text(let prefix):
                Self.prefixUnion(textTokens, tokenOrder, prefix, into: &found)
            case .phone(let digits):
                Self.prefixUnion(phoneDigits, phoneOrder, digits, into: &found)
                Self.prefixUnion(textTokens, tokenOrder, digits, into: &found)
                if digits.count >= 4 {
                    let reversed = String(digits.reversed())
                    Self.forEachWithPrefix(phoneReversedOrder, reversed) { r in
                        phoneDigits.forEachMember(of: String(r.reversed())) { found.insert($0) }
                    }
                }
            }
            result = result.map { $0.intersection(found) } ?? found
            if result?.isEmpty == true { break }
        }
        return result
    }

    private static func forEachWithPrefix(_ order: SortedIndex<String>, _ prefix: String, _ body: (String) -> Void) {
        if order.contains(prefix) { body(prefix) }
        order.forEach(after: prefix) { token in
            guard token.hasPrefix(prefix) else { return false }
            body(token)
            return true
        }
    }

    private static func prefixUnion(
        _ sets: KeyedSets<String>, _ order: SortedIndex<String>, _ prefix: String, into found: inout Set<UUID>
    ) {
        forEachWithPrefix(order, prefix) { token in sets.forEachMember(of: token) { found.insert($0) } }
    }
}
