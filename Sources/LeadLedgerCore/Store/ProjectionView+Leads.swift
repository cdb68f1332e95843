import EventLog
import Foundation
import LeadDomain

/// A set of lead ids a query may be driven from, with its size known up front.
enum StoreCandidates {
    /// The members of one inverted-index key.
    case keyed(StoreKey, count: Int)
    /// The union of several keys' members.
    case union([StoreKey], count: Int)
    case set(Set<UUID>)

    /// The size, or an upper bound for a union.
    var count: Int {
        switch self {
        case .keyed(_, let count), .union(_, let count): count
        case .set(let s): s.count
        }
    }
}

extension ProjectionView {
    // MARK: - Sort keys

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
        case .step: return LeadOrderKey(primary: ranks.rank(lead.step), secondary: lead.updatedAt.rawValue, id: id)
        }
    }

    /// An ordered index a list walks: its prefix in `order` and how a `LeadOrderKey` of its sort is written in it.
    struct WalkIndex {
        /// `order`, or `recency` (live leads, whose values are `LeadSummary`s).
        var db: LMDBDatabase
        var prefix: StoreKey
        var sort: LeadSort
        var count: Int

        func key(_ k: LeadOrderKey) -> StoreKey {
            var key = prefix
            switch sort {
            case .updated, .created: key.int64(k.primary)
            case .name: key.string(k.text)
            case .step: key.int64(k.primary); key.int64(k.secondary)
            }
            key.leadKey(k.id)
            return key
        }

        /// The sort's primary part of an entry's key (updated and created orders).
        func primary(_ entry: UnsafeRawBufferPointer) -> Int64 {
            var r = StoreKeyReader(entry, skipping: prefix.bytes.count)
            return r.int64()
        }
    }

    func globalIndex(_ sort: LeadSort) throws -> WalkIndex {
        let tag: StoreSchema.OrderTag =
            switch sort {
            case .updated: .updated
            case .created: .created
            case .name: .name
            case .step: .step
            }
        return WalkIndex(db: dbs.order, prefix: StoreKey(tag.rawValue), sort: sort, count: try leadCount())
    }

    // MARK: - Lists

    /// One page of leads matching `query` at `now`; the same plan as the in-memory directory had (see
    /// `query(_:now:broadSearch:)`), over the store's indexes.
    public func leads(_ query: LeadQuery, now: Timestamp) throws -> LeadPage {
        let n = try leadCount()
        return try self.query(query, now: now, broadSearch: Int((150 * Double(Swift.max(n, 1))).squareRoot()), leadCount: n)
    }

    /// Strategy: every filter with an index offers a candidate set (a step, responsible, tag, source, watcher or
    /// customer key when only live statuses are asked for; the status sets when `active` is not; the visibility
    /// union `responsible ∪ watcher`; the search matches). Several large sets are intersected first when that
    /// costs less than the walk they would need (`recordReadCost`). A small smallest set (≤ 2,000, or `m² ≤ 4·limit·n`) is
    /// tested, sorted and cut at the cursor: O(m log m). Otherwise the sort's ordered index is walked from the
    /// cursor, testing each lead, until `limit + 1` match: O(limit / selectivity). Totals come from counters where
    /// the filter allows, else from testing the smallest candidate set (or a time range, or every lead).
    ///
    /// Search: a query token matching at most `broadSearch` leads (√(150·n)) is looked up and its matches
    /// collected; a broader one is tested on each lead the walk passes, and when the walk passes four times the
    /// leads it should have needed, the tokens are collected instead.
    func query(_ query: LeadQuery, now: Timestamp, broadSearch: Int, leadCount count: Int) throws -> LeadPage {
        let limit = Swift.min(Swift.max(query.limit, 1), LeadQuery.maxLimit)
        let filter = query.filter
        var search: Set<UUID>?
        var searchTests: [LeadSearch.QueryToken] = []
        if let q = query.q {
            let tokens = LeadSearch.queryTokens(q)
            let cap = query.includeTotal ? Int.max : broadSearch
            var narrow: [LeadSearch.QueryToken] = []
            for token in tokens {
                if try estimatedMatches(token, above: cap) > cap { searchTests.append(token) } else { narrow.append(token) }
            }
            if !narrow.isEmpty {
                search = try searchMatches(narrow)
                if search?.isEmpty == true { return LeadPage(records: [], next: nil, total: query.includeTotal ? 0 : nil) }
            }
        }
        let cursor = query.after?.sort == query.sort ? query.after?.key : nil
        let descending = query.order == .descending
        let visibleTo = query.visibleTo
        let matcher = LeadMatcher(filter, visibleTo: visibleTo, search: search, searchTests: searchTests, now: now)
        let dealTests = Self.dealTests(filter)
        func accepts(_ record: LeadRecord) throws -> Bool {
            guard record.matches(matcher) else { return false }
            for test in dealTests where try test.prefixes.contains(where: { try contains($0, record.state.id) }) != test.member {
                return false
            }
            return true
        }
        let candidates = try candidateSets(filter, visibleTo: visibleTo, search: search, now: now).sorted { $0.count < $1.count }
        var best = candidates.first
        if let smallest = best, candidates.count >= 2, smallest.count > 2_000 {
            // Intersecting costs a membership lookup per member of the smallest set; walking costs a record read
            // (several lookups' worth) per lead passed, and passes about (limit + 1) / selectivity of them.
            let selectivity = candidates.reduce(1.0) { $0 * Double($1.count) / Double(Swift.max(count, 1)) }
            if Self.recordReadCost * Double(limit + 1) / Swift.max(selectivity, 1e-12) > Double(smallest.count) {
                var ids = Set<UUID>()
                let others = candidates.dropFirst()
                try forEach(smallest) { id in
                    if try others.allSatisfy({ try contains($0, id) }) { ids.insert(id) }
                }
                best = .set(ids)
            }
        }

        if let best, best.count <= 2_000 || best.count * best.count <= 4 * limit * Swift.max(count, 1) {
            var keyed: [(key: LeadOrderKey, record: LeadRecord)] = []
            var total = 0
            try forEach(best) { id in
                guard let record = try record(id), try accepts(record) else { return }
                total += 1
                let key = orderKey(record, query.sort)
                if let cursor, descending ? key >= cursor : key <= cursor { return }
                keyed.append((key, record))
            }
            keyed.sort { descending ? $0.key > $1.key : $0.key < $1.key }
            let rows = keyed.prefix(limit)
            let more = keyed.count > limit
            let next = more ? rows.last.map { LeadCursor(sort: query.sort, key: $0.key) } : nil
            return LeadPage(records: rows.map(\.record), next: next, total: query.includeTotal ? total : nil)
        }

        var rows: [LeadRecord] = []
        var lastKey: LeadOrderKey?
        var more = false
        let index = try walkIndex(filter, query.sort)
        let (start, stop) = walkBounds(filter, query.sort, descending: descending, cursor: cursor)
        // A walk that tests summaries (no record read per lead) may pass eight times as many leads as one that reads
        // each record before giving up and collecting the tokens.
        let summarized = index.db == dbs.recency
        let budget =
            searchTests.isEmpty
            ? Int.max : (summarized ? 32 : 4) * (limit + 1) * Swift.max(count, 1) / Swift.max(broadSearch, 1)
        var visited = 0
        var abandoned = false
        try walkEntries(index.db, prefix: index.prefix, after: start.map(index.key), descending: descending) { entry, value in
            if stop.reached(index.sort == .updated || index.sort == .created ? index.primary(entry) : 0) { return false }
            visited += 1
            if visited > budget {
                abandoned = true
                return false
            }
            if summarized, !matcher.mayMatch(LeadSummary(value)) { return true }
            // Every entry ends in the lead id: a collected search is tested before the record is read.
            let id = StoreKeyReader(entry).trailingUUID()
            if let search, !search.contains(id) { return true }
            guard let record = try record(id), try accepts(record) else { return true }
            if rows.count == limit {
                more = true
                return false
            }
            rows.append(record)
            lastKey = orderKey(record, query.sort)
            return true
        }
        if abandoned { return try self.query(query, now: now, broadSearch: .max, leadCount: count) }
        let next = more ? lastKey.map { LeadCursor(sort: query.sort, key: $0) } : nil
        var total: Int?
        if query.includeTotal {
            total = try self.count(filter, visibleTo: visibleTo, search: search, best: best, now: now, accepts: accepts)
        }
        return LeadPage(records: rows, next: next, total: total)
    }

    /// How many leads match, without fetching them (the `total` of `leads`).
    public func count(_ query: LeadQuery, now: Timestamp) throws -> Int {
        var copy = query
        copy.limit = 1
        copy.includeTotal = true
        return try leads(copy, now: now).total ?? 0
    }

    public func kanban(_ query: KanbanQuery, now: Timestamp) throws -> KanbanBoard {
        let steps = settings.activeSteps.filter { step in query.steps.map { $0.contains(step.key) } ?? true }
        let columns = try steps.map { step in
            var filter = query.filter
            filter.step = [step.key]
            let page = try leads(
                LeadQuery(
                    filter: filter, q: query.q, sort: query.sort, order: query.order, after: query.cursors[step.key],
                    limit: query.pageSize, includeTotal: true, visibleTo: query.visibleTo),
                now: now)
            return KanbanColumn(step: step, count: page.total ?? 0, page: page)
        }
        return KanbanBoard(columns: columns)
    }

    /// Leads `admin` watches, paged like any list (the list query with `watcher` set).
    public func watchedLeads(by admin: UUID, _ query: LeadQuery = LeadQuery(), now: Timestamp) throws -> LeadPage {
        var copy = query
        copy.filter.watcher = [admin]
        return try leads(copy, now: now)
    }

    // MARK: - Status counts and pauses

    /// Counts of leads in each status at `now`: counters plus the keys of the leads paused now.
    public func statusCounts(now: Timestamp) throws -> [LeadStatus: Int] {
        let (pausedNow, pausedConverted) = try pausedCounts(step: nil, responsible: nil, at: now)
        let deleted = try counter(StoreSchema.setPrefix(.deleted))
        let merged = try counter(StoreSchema.setPrefix(.merged))
        let live = try leadCount() - deleted - merged
        let converted = try counter(StoreSchema.setPrefix(.convertedLive)) - pausedConverted
        return [
            .active: live - pausedNow - converted, .paused: pausedNow, .converted: converted, .deleted: deleted,
            .merged: merged,
        ]
    }

    /// Visits the live leads of a `(step?, responsible?)` cell paused at `now` (pause date after it), with whether
    /// each is converted, from `OrderTag.pausedByCell` keys alone.
    func forEachPaused(step: String? = nil, responsible: UUID? = nil, at now: Timestamp, _ body: (UUID, _ converted: Bool) throws -> Void) throws {
        let prefix = StoreSchema.cell(StoreSchema.OrderTag.pausedByCell.rawValue, step: step, responsible: responsible)
        var start = prefix
        start.int64(now.rawValue == .max ? .max : now.rawValue + 1)
        try forEach(dbs.order, prefix: prefix, from: start) { key, _ in
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            _ = r.int64()
            let converted = r.byte() == 1
            try body(r.uuid(), converted)
            return true
        }
    }

    /// How many live leads of a cell are paused at `now`, and how many of those are converted.
    private func pausedCounts(step: String?, responsible: UUID?, at now: Timestamp) throws -> (Int, Int) {
        var paused = 0
        var converted = 0
        try forEachPaused(step: step, responsible: responsible, at: now) { _, isConverted in
            paused += 1
            if isConverted { converted += 1 }
        }
        return (paused, converted)
    }

    /// Visits the live leads paused at `now`, earliest pause end first, until `body` returns false.
    func forEachPausedSoonestFirst(at now: Timestamp, _ body: (LeadRecord) throws -> Bool) throws {
        let index = WalkIndex(db: dbs.order, prefix: StoreKey(StoreSchema.OrderTag.paused.rawValue), sort: .updated, count: 0)
        let bound = index.key(LeadOrderKey(primary: now.rawValue, id: .max))
        try walk(dbs.order, prefix: index.prefix, after: bound, descending: false) { entry in
            guard let record = try record(StoreKeyReader(entry).trailingUUID()) else { return true }
            return try body(record)
        }
    }

    /// How many live leads are paused at `now`.
    public func pausedCount(at now: Timestamp) throws -> Int {
        var n = 0
        try forEachPausedSoonestFirst(at: now) { _ in n += 1; return true }
        return n
    }

    // MARK: - Planning

    /// The deal filters, tested on the store's deal sets: the lead is (`member`) or is not in one of `prefixes`.
    static func dealTests(_ f: LeadFilter) -> [(prefixes: [StoreKey], member: Bool)] {
        var tests: [(prefixes: [StoreKey], member: Bool)] = []
        if let has = f.hasDeals { tests.append(([StoreSchema.setPrefix(.withDeals)], has)) }
        if let stages = f.dealStage { tests.append((stages.values.map { StoreSchema.setPrefix(.dealStage, $0) }, true)) }
        return tests
    }

    /// A record read and test during a walk, in membership lookups (measured: a decoded record costs several
    /// B-tree lookups of a set key).
    static let recordReadCost = 8.0

    /// How many ids a range filter (custom field range, overdue tasks) collects before the planner leaves it
    /// to the matcher: a broad range is no help in choosing where to start.
    static let maxCollectedRange = 50_000

    /// The inverted-index keys of the filters whose sets hold live leads only, one group per filter (a lead
    /// matches a group when it is in one of its keys).
    private func liveKeyGroups(_ f: LeadFilter) -> [[StoreKey]] {
        var groups: [[StoreKey]] = []
        if let v = f.step { groups.append(v.values.map { StoreSchema.setPrefix(.step, $0) }) }
        if let v = f.responsible { groups.append(v.values.map { StoreSchema.setPrefix(.responsible, $0) }) }
        if let v = f.tag { groups.append(Set(v.values.map(TagName.key)).sorted().map { StoreSchema.setPrefix(.tag, $0) }) }
        if let v = f.source { groups.append(v.values.map { StoreSchema.setPrefix(.source, $0) }) }
        if let v = f.watcher { groups.append(v.values.map { StoreSchema.setPrefix(.watcher, $0) }) }
        if let v = f.customer { groups.append(v.values.map { StoreSchema.setPrefix(.customer, $0) }) }
        if let v = f.createdBy { groups.append(v.values.map { StoreSchema.setPrefix(.creator, $0) }) }
        if let v = f.updatedBy { groups.append(v.values.map { StoreSchema.setPrefix(.modifier, $0) }) }
        for (key, value) in f.customFields.sorted(by: { $0.key < $1.key }) {
            groups.append([CustomFieldIndex.valuePrefix(key, CustomFieldIndex.text(value))])
        }
        if f.hasTasks == true { groups.append([StoreSchema.setPrefix(.openTasks)]) }
        if f.converted == true { groups.append([StoreSchema.setPrefix(.convertedLive)]) }
        return groups
    }

    private func candidateSets(_ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, now: Timestamp) throws -> [StoreCandidates] {
        var result: [StoreCandidates] = []
        func keyed(_ keys: [StoreKey]) throws -> StoreCandidates {
            keys.count == 1
                ? .keyed(keys[0], count: try counter(keys[0])) : .union(keys, count: try keys.reduce(0) { $0 + (try counter($1)) })
        }
        if let search { result.append(.set(search)) }
        if f.states.isSubset(of: LeadStatus.live) {
            for group in liveKeyGroups(f) { result.append(try keyed(group)) }
            if let viewer = visibleTo {
                result.append(try keyed([StoreSchema.setPrefix(.responsible, viewer), StoreSchema.setPrefix(.watcher, viewer)]))
            }
            for (key, range) in f.customFieldRanges.sorted(by: { $0.key < $1.key }) {
                if let ids = try collect(customField: key, range) { result.append(.set(ids)) }
            }
            if f.hasOverdueTasks == true, let ids = try collectOverdue(now: now) { result.append(.set(ids)) }
        }
        // Deal sets hold leads of every status.
        if f.hasDeals == true { result.append(try keyed([StoreSchema.setPrefix(.withDeals)])) }
        if let stages = f.dealStage { result.append(try keyed(stages.values.map { StoreSchema.setPrefix(.dealStage, $0) })) }
        if !f.states.contains(.active) {
            var keys: [StoreKey] = []
            if f.states.contains(.converted) { keys.append(StoreSchema.setPrefix(.convertedLive)) }
            if f.states.contains(.deleted) { keys.append(StoreSchema.setPrefix(.deleted)) }
            if f.states.contains(.merged) { keys.append(StoreSchema.setPrefix(.merged)) }
            if f.states.contains(.paused) {
                // Only the leads paused at `now`, not every lead with a (maybe past) pause date.
                var pausedNow = Set<UUID>()
                try forEachPaused(at: now) { id, _ in pausedNow.insert(id) }
                if keys.isEmpty {
                    result.append(.set(pausedNow))
                } else {
                    for key in keys { try forEachMember(key) { pausedNow.insert($0); return true } }
                    result.append(.set(pausedNow))
                }
            } else {
                result.append(.union(keys, count: try keys.reduce(0) { $0 + (try counter($1)) }))
            }
        }
        return result
    }

    /// The live leads whose number or date custom field `key` lies in `range`, from `OrderTag.customFieldOrder`;
    /// nil when more than `maxCollectedRange` do.
    private func collect(customField key: String, _ range: CustomFieldRange) throws -> Set<UUID>? {
        // A range without ends only asks for a value of the range's types: left to the matcher.
        guard range.min != nil || range.max != nil else { return nil }
        let prefix = CustomFieldIndex.orderPrefix(key)
        let start = range.min.flatMap { CustomFieldIndex.orderPrefix(key, $0) }
        var ids = Set<UUID>()
        var complete = true
        try forEach(dbs.order, prefix: prefix, from: start) { entry, _ in
            var r = StoreKeyReader(entry, skipping: prefix.bytes.count)
            let value: CustomFieldValue
            switch range.min ?? range.max {
            case .int?: value = .int(r.int64())
            case .date?: value = .date(r.string())
            default: return false
            }
            guard range.contains(value) else { return false }
            guard ids.count < Self.maxCollectedRange else {
                complete = false
                return false
            }
            ids.insert(StoreKeyReader(entry).trailingUUID())
            return true
        }
        return complete ? ids : nil
    }

    /// The live leads with an open task due before `now` (`OrderTag.earliestOpenTask`); nil when more than
    /// `maxCollectedRange` have one.
    private func collectOverdue(now: Timestamp) throws -> Set<UUID>? {
        let prefix = StoreKey(StoreSchema.OrderTag.earliestOpenTask.rawValue)
        var ids = Set<UUID>()
        var complete = true
        try forEach(dbs.order, prefix: prefix) { entry, _ in
            var r = StoreKeyReader(entry, skipping: prefix.bytes.count)
            guard r.int64() < now.rawValue else { return false }
            guard ids.count < Self.maxCollectedRange else {
                complete = false
                return false
            }
            ids.insert(StoreKeyReader(entry).trailingUUID())
            return true
        }
        return complete ? ids : nil
    }

    func forEach(_ candidates: StoreCandidates, _ body: (UUID) throws -> Void) throws {
        switch candidates {
        case .set(let s): for id in s { try body(id) }
        case .keyed(let prefix, _): try forEachMember(prefix) { try body($0); return true }
        case .union(let keys, _):
            if keys.count == 1 {
                try forEachMember(keys[0]) { try body($0); return true }
            } else {
                var seen = Set<UUID>()
                for key in keys { try forEachMember(key) { if seen.insert($0).inserted { try body($0) }; return true } }
            }
        }
    }

    func contains(_ candidates: StoreCandidates, _ id: UUID) throws -> Bool {
        switch candidates {
        case .set(let s): s.contains(id)
        case .keyed(let prefix, _): try contains(prefix, id)
        case .union(let keys, _): try keys.contains { try contains($0, id) }
        }
    }

    /// The ordered index a page walks: for the `updated` sort over live statuses, the smallest of the live leads'
    /// `recency` order and the step's and the responsible's own orders when the filter names them; the sort's
    /// global order otherwise.
    private func walkIndex(_ f: LeadFilter, _ sort: LeadSort) throws -> WalkIndex {
        guard sort == .updated, f.states.isSubset(of: LeadStatus.live) else { return try globalIndex(sort) }
        let live = try leadCount() - counter(StoreSchema.setPrefix(.deleted)) - counter(StoreSchema.setPrefix(.merged))
        var candidates = [WalkIndex(db: dbs.recency, prefix: StoreKey(StoreSchema.OrderTag.updated.rawValue), sort: .updated, count: live)]
        if let step = f.step?.single {
            var prefix = StoreKey(StoreSchema.OrderTag.updatedByStep.rawValue)
            prefix.string(step)
            candidates.append(WalkIndex(db: dbs.order, prefix: prefix, sort: .updated, count: try counter(StoreSchema.setPrefix(.step, step))))
        }
        if let responsible = f.responsible?.single {
            var prefix = StoreKey(StoreSchema.OrderTag.updatedByResponsible.rawValue)
            prefix.uuid(responsible)
            candidates.append(
                WalkIndex(
                    db: dbs.order, prefix: prefix, sort: .updated,
                    count: try counter(StoreSchema.setPrefix(.responsible, responsible))))
        }
        return candidates.min { $0.count < $1.count }!
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
                let bound = LeadOrderKey(primary: from.rawValue - 1, id: .max)
                if start.map({ $0 < bound }) ?? true { start = bound }
            }
            if let to = range.1 { stop.atOrAbove = to.rawValue }
        }
        return (start, stop)
    }

    private func count(
        _ f: LeadFilter, visibleTo: UUID?, search: Set<UUID>?, best: StoreCandidates?, now: Timestamp,
        accepts: (LeadRecord) throws -> Bool
    ) throws -> Int {
        if search == nil, visibleTo == nil {
            if f.constrainsOnlyStates {
                let counts = try statusCounts(now: now)
                return f.states.reduce(0) { $0 + (counts[$1] ?? 0) }
            }
            // "Without tasks", "no overdue tasks", "without deals" alone: the statuses' total less the leads that
            // have them (a negation has no index of its own to walk).
            for flag in [\LeadFilter.hasTasks, \LeadFilter.hasOverdueTasks, \LeadFilter.hasDeals] where f[keyPath: flag] == false {
                var rest = f
                rest[keyPath: flag] = nil
                guard rest.constrainsOnlyStates else { continue }
                var having = rest
                having[keyPath: flag] = true
                return try self.count(LeadQuery(filter: rest), now: now) - self.count(LeadQuery(filter: having), now: now)
            }
            if f.states.isSubset(of: LeadStatus.live), let total = try countedByStepAndResponsible(f, now: now) {
                return total
            }
            if f.states.isSubset(of: LeadStatus.live), let key = singleKey(f) {
                return try total(ofMembers: try counter(key), among: LeadStatus.live, in: f.states, now: now) {
                    try contains(key, $0)
                }
            }
            if let key = dealKey(f) {
                return try total(ofMembers: try counter(key), among: Set(LeadStatus.allCases), in: f.states, now: now) {
                    try contains(key, $0)
                }
            }
            var rest = f
            rest.hasOverdueTasks = nil
            if f.hasOverdueTasks == true, rest.constrainsOnlyStates {
                // Live leads from the overdue counters; deleted and merged ones (not indexed) tested one by one.
                func overdue(_ id: UUID) throws -> Bool { try record(id)?.state.hasOverdueTask(at: now) == true }
                let live = f.states.intersection(LeadStatus.live)
                var total = live.isEmpty
                    ? 0 : try self.total(ofMembers: try overdueCount(now: now), among: LeadStatus.live, in: live, now: now, contains: overdue)
                for status in [LeadStatus.deleted, .merged] where f.states.contains(status) {
                    try forEachMember(StoreSchema.setPrefix(status == .deleted ? .deleted : .merged)) {
                        if try overdue($0) { total += 1 }
                        return true
                    }
                }
                return total
            }
        }
        var total = 0
        if let best {
            try forEach(best) { id in if let record = try record(id), try accepts(record) { total += 1 } }
        } else if f.createdFrom != nil || f.createdTo != nil || f.updatedFrom != nil || f.updatedTo != nil {
            // A time range bounds a walk of its ordered index: O(leads in the range).
            let sort: LeadSort = f.createdFrom != nil || f.createdTo != nil ? .created : .updated
            let index = try globalIndex(sort)
            let (start, stop) = walkBounds(f, sort, descending: false, cursor: nil)
            try walk(index.db, prefix: index.prefix, after: start.map(index.key), descending: false) { entry in
                if stop.reached(index.primary(entry)) { return false }
                if let record = try record(StoreKeyReader(entry).trailingUUID()), try accepts(record) { total += 1 }
                return true
            }
        } else {
            try txn.withCursor(dbs.leads) { cursor in
                try cursor.scan(from: nil) { _, value in
                    if try accepts(try LeadStoreRecord.decode(value).record) { total += 1 }
                    return true
                }
            }
        }
        return total
    }

    /// The total over `states` of `size` leads of the statuses `among` (the members of one index), from the
    /// index alone: the small status sets (deleted, merged, paused now) are tested with `contains` and taken
    /// off; only telling active from converted leads apart visits the converted leads.
    private func total(
        ofMembers size: Int, among: Set<LeadStatus>, in states: Set<LeadStatus>, now: Timestamp,
        contains: (UUID) throws -> Bool
    ) throws -> Int {
        func members(of set: StoreKey) throws -> Int {
            var n = 0
            try forEachMember(set) { if try contains($0) { n += 1 }; return true }
            return n
        }
        let deleted = among.contains(.deleted) ? try members(of: StoreSchema.setPrefix(.deleted)) : 0
        let merged = among.contains(.merged) ? try members(of: StoreSchema.setPrefix(.merged)) : 0
        let live = size - deleted - merged
        var total = (states.contains(.deleted) ? deleted : 0) + (states.contains(.merged) ? merged : 0)
        let liveStates = states.intersection(LeadStatus.live)
        if liveStates.isEmpty { return total }
        if liveStates == LeadStatus.live { return total + live }
        var paused = 0
        var pausedConverted = 0
        try forEachPaused(at: now) { id, converted in
            guard try contains(id) else { return }
            paused += 1
            if converted { pausedConverted += 1 }
        }
        if liveStates == LeadStatus.defaultVisible { return total + live - paused }
        let converted = try members(of: StoreSchema.setPrefix(.convertedLive)) - pausedConverted
        if liveStates.contains(.paused) { total += paused }
        if liveStates.contains(.converted) { total += converted }
        if liveStates.contains(.active) { total += live - paused - converted }
        return total
    }

    /// The one deal set (`withDeals`, or one `dealStage`) a filter asks for besides statuses, nil otherwise.
    private func dealKey(_ f: LeadFilter) -> StoreKey? {
        var rest = f
        let key: StoreKey
        if let stage = f.dealStage?.single, f.hasDeals != false {
            key = StoreSchema.setPrefix(.dealStage, stage)  // a lead with a deal on the stage has deals
        } else if f.hasDeals == true, f.dealStage == nil {
            key = StoreSchema.setPrefix(.withDeals)
        } else {
            return nil
        }
        rest.hasDeals = nil
        rest.dealStage = nil
        return rest.constrainsOnlyStates ? key : nil
    }

    /// How many live leads have an open task due before `now`: the day counters of the UTC days before `now`'s,
    /// then the `earliestOpenTask` keys of that day up to `now`.
    func overdueCount(now: Timestamp) throws -> Int {
        let today = ReportDays.day(of: now.rawValue)
        let days = StoreSchema.counter(.earliestOpenTaskOnDay)
        var total = 0
        try forEach(dbs.counts, prefix: days) { key, value in
            var r = StoreKeyReader(key, skipping: days.bytes.count)
            guard r.int64() < today else { return false }
            total += Int(Int64(bitPattern: UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))))
            return true
        }
        let prefix = StoreKey(StoreSchema.OrderTag.earliestOpenTask.rawValue)
        var start = prefix
        start.int64(today * ReportDays.length)
        try forEach(dbs.order, prefix: prefix, from: start) { key, _ in
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            guard r.int64() < now.rawValue else { return false }
            total += 1
            return true
        }
        return total
    }

    /// The total of a filter on one step, one responsible or both (and live statuses) from the live counters,
    /// less the leads paused at `now` in that bucket. Nil when the filter has anything else.
    private func countedByStepAndResponsible(_ f: LeadFilter, now: Timestamp) throws -> Int? {
        let step = f.step?.single
        let responsible = f.responsible?.single
        guard step != nil || responsible != nil, (f.step == nil) == (step == nil), (f.responsible == nil) == (responsible == nil)
        else { return nil }
        var rest = f
        rest.step = nil
        rest.responsible = nil
        guard rest.constrainsOnlyStates else { return nil }
        let live = try counter(StoreSchema.bucket(.live, step: step, responsible: responsible))
        let converted = try counter(StoreSchema.bucket(.liveConverted, step: step, responsible: responsible))
        let (paused, pausedConverted) = try pausedCounts(step: step, responsible: responsible, at: now)
        var total = 0
        if f.states.contains(.active) { total += live - converted - (paused - pausedConverted) }
        if f.states.contains(.converted) { total += converted - pausedConverted }
        if f.states.contains(.paused) { total += paused }
        return total
    }

    /// The inverted-index key of the one single-valued live-set filter when it is the only constraint besides
    /// `states`.
    private func singleKey(_ f: LeadFilter) -> StoreKey? {
        let groups = liveKeyGroups(f)
        guard groups.count == 1, groups[0].count == 1 else { return nil }
        // The one group must be the filter's only constraint: the filter without it is `states` alone.
        var rest = f
        rest.step = nil; rest.responsible = nil; rest.tag = nil; rest.source = nil; rest.watcher = nil
        rest.customer = nil; rest.createdBy = nil; rest.updatedBy = nil
        if rest.hasTasks == true { rest.hasTasks = nil }
        if rest.converted == true { rest.converted = nil }
        rest.customFields = [:]
        return rest.constrainsOnlyStates ? groups[0][0] : nil
    }

    // MARK: - Search

    /// Leads whose search tokens match every token of `q`; nil when `q` has no tokens.
    public func searchMatches(_ q: String) throws -> Set<UUID>? { try searchMatches(LeadSearch.queryTokens(q)) }

    /// How many leads `token` matches, counted until the count passes `cap`: the sum of the members of the keys
    /// it matches (a lead matching through two keys counts twice).
    ///
    /// A token that matches more than `maxEstimatedKeys` keys counts as matching more than `cap` (each
    /// key has a member): collecting that many keys costs a seek each, and an e-mail's unique local parts
    /// (`petrauskas.123456`) would otherwise make a prefix like `petr` count thousands of keys per request.
    func estimatedMatches(_ token: LeadSearch.QueryToken, above cap: Int) throws -> Int {
        guard cap < Int.max else { return 0 }
        var total = 0
        var keys = 0
        try forEachKey(matching: token) { prefix in
            keys += 1
            total += try counter(prefix)
            if keys > Self.maxEstimatedKeys { total = cap + 1 }
            return total <= cap
        }
        return total
    }

    /// How many index keys `estimatedMatches` reads before it calls a token broad.
    static let maxEstimatedKeys = 256

    func searchMatches(_ tokens: [LeadSearch.QueryToken]) throws -> Set<UUID>? {
        guard !tokens.isEmpty else { return nil }
        var result: Set<UUID>?
        for token in tokens {
            var found = Set<UUID>()
            try forEachKey(matching: token) { prefix in
                try forEachMember(prefix) { found.insert($0); return true }
                return true
            }
            result = result.map { $0.intersection(found) } ?? found
            if result?.isEmpty == true { break }
        }
        return result
    }

    /// Visits the inverted-index key (tag and key) of every search key `token` matches until `body` returns
    /// false: a text token matches text tokens by prefix; a phone token matches phone digits and text tokens by
    /// prefix and, with 4 digits or more, phone digits by suffix.
    private func forEachKey(matching token: LeadSearch.QueryToken, _ body: (StoreKey) throws -> Bool) throws {
        switch token {
        case .text(let prefix):
            try forEachKey(.textToken, withPrefix: prefix, body)
        case .phone(let digits):
            guard try forEachKey(.phoneDigits, withPrefix: digits, body),
                try forEachKey(.textToken, withPrefix: digits, body),
                digits.count >= 4
            else { return }
            try forEachKey(.phoneReversed, withPrefix: LeadSearch.reversedDigits(digits), body)
        }
    }

    /// Visits the keys of one search index that start with `prefix` (as `String.hasPrefix` decides), in order,
    /// through their counters (one entry per key); returns false when `body` stopped early.
    @discardableResult
    func forEachKey(
        _ tag: StoreSchema.SetTag, withPrefix prefix: String, _ body: (StoreKey) throws -> Bool
    ) throws -> Bool {
        var start = StoreKey(tag.rawValue)
        start.text(prefix)
        var completed = true
        try forEach(dbs.counts, prefix: start) { key, _ in
            var reader = StoreKeyReader(key, skipping: 1)
            let token = reader.string()
            guard token.hasPrefix(prefix) else { return true }
            completed = try body(StoreKey(bytes: Array(key)))
            return completed
        }
        return completed
    }
}
