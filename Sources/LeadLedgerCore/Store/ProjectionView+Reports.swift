import EventLog
import Foundation
import LeadDomain

extension ProjectionView {
    /// Visits the counters of the day counter `tag` for the days in `period` (UTC days of lead creation), with a
    /// reader past the day (or span) and the counter's value: the spans wholly inside the period from the span
    /// counters, the days at its edges from the day counters. A key part after the day may be visited more than
    /// once (once per span or day); callers sum.
    private func forEachDay(
        _ tag: StoreSchema.CountTag, _ period: ReportPeriod, _ body: (inout StoreKeyReader, Int) throws -> Void
    ) throws {
        try forEachDayValue(tag, period) { r, value in try body(&r, Int(UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)))) }
    }

    /// `forEachDay` with each counter's stored bytes (a u64, or `DealTotals` for the deal counters).
    private func forEachDayValue(
        _ tag: StoreSchema.CountTag, _ period: ReportPeriod, _ body: (inout StoreKeyReader, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let from = period.from.map { ReportDays.day(of: $0.rawValue) }
        let to = period.to.map { ReportDays.day(of: $0.rawValue + ReportDays.length - 1) }
        if let from, let to, from >= to { return }
        // Spans [firstSpan, endSpan) lie wholly inside [from, to).
        let firstSpan = from.map { ReportDays.span(of: $0 + ReportDays.span - 1) }
        let endSpan = to.map { ReportDays.span(of: $0) }
        if let firstSpan, let endSpan, firstSpan >= endSpan {
            try forEachCounter(tag, from: from, to: to, body)
            return
        }
        if let from, let firstSpan { try forEachCounter(tag, from: from, to: firstSpan * ReportDays.span, body) }
        try forEachCounter(tag.span, from: firstSpan, to: endSpan, body)
        if let to, let endSpan { try forEachCounter(tag, from: endSpan * ReportDays.span, to: to, body) }
    }

    /// Visits the counters of `tag` whose first key part (an int64) is in `[from, to)`.
    private func forEachCounter(
        _ tag: StoreSchema.CountTag, from: Int64?, to: Int64?, _ body: (inout StoreKeyReader, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if let from, let to, from >= to { return }
        let prefix = StoreSchema.counter(tag)
        var start = prefix
        if let from { start.int64(from) }
        try forEach(dbs.counts, prefix: prefix, from: start) { key, value in
            var r = StoreKeyReader(key, skipping: 1)
            let first = r.int64()
            if let to, first >= to { return false }
            try body(&r, value)
            return true
        }
    }

    /// The keys under a counter prefix, decoded by `key`, with their values.
    private func counters<K>(_ prefix: StoreKey, _ key: (inout StoreKeyReader) -> K) throws -> [(K, Int)] {
        var result: [(K, Int)] = []
        try forEach(dbs.counts, prefix: prefix) { k, value in
            var r = StoreKeyReader(k, skipping: prefix.bytes.count)
            result.append((key(&r), Int(Int64(bitPattern: UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))))))
            return true
        }
        return result
    }

    /// The lower median of the int64 right after `prefix` in the `count` entries of an ordered index, whose
    /// members are counted by `MedianBucket` under `buckets`: the buckets are summed up to the one that holds
    /// the median, and only that bucket's entries are stepped through.
    private func lowerMedian(_ prefix: StoreKey, buckets: StoreKey, count: Int) throws -> Int64? {
        guard count > 0 else { return nil }
        var rank = (count - 1) / 2
        var bucket: Int64?
        try forEach(dbs.counts, prefix: buckets) { key, value in
            let n = Int(UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)))
            if rank < n {
                var r = StoreKeyReader(key, skipping: buckets.bytes.count)
                bucket = r.int64()
                return false
            }
            rank -= n
            return true
        }
        guard let bucket else { return nil }
        var start = prefix
        start.int64(bucket)
        var found: Int64?
        try forEach(dbs.order, prefix: prefix, from: start) { key, _ in
            if rank > 0 {
                rank -= 1
                return true
            }
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            found = r.int64()
            return false
        }
        return found
    }

    public func funnel(_ period: ReportPeriod = .allTime) throws -> FunnelReport {
        var created = 0
        var converted = 0
        var reached: [String: Int] = [:]
        try forEachDay(.createdOnDay, period) { _, n in created += n }
        try forEachDay(.convertedOnDay, period) { _, n in converted += n }
        try forEachDay(.reachedOnDay, period) { r, n in reached[r.string(), default: 0] += n }
        var steps: [FunnelStep] = []
        for step in settings.activeSteps {
            let n = reached[step.key] ?? 0
            let previous = steps.last?.reached
            let rate = previous.flatMap { $0 > 0 ? Double(n) / Double($0) : nil }
            steps.append(FunnelStep(step: step.key, name: step.name, reached: n, conversionFromPrevious: rate))
        }
        return FunnelReport(period: period, created: created, converted: converted, steps: steps)
    }

    public func perSource(_ period: ReportPeriod = .allTime) throws -> [SourceReportRow] {
        var counts: [String: Int] = [:]
        var converted: [String: Int] = [:]
        try forEachDay(.sourceOnDay, period) { r, n in counts[r.string(), default: 0] += n }
        try forEachDay(.sourceConvertedOnDay, period) { r, n in converted[r.string(), default: 0] += n }
        return counts.keys.sorted().map { key in
            let count = counts[key]!
            let done = converted[key] ?? 0
            let name = settings.sources.first { $0.key == key }?.name ?? key
            return SourceReportRow(
                source: key, name: name, count: count, converted: done,
                conversionRate: count == 0 ? 0 : Double(done) / Double(count))
        }
    }

    /// One row per admin who is responsible for, created, converted or completed anything, or exists (by id).
    public func perManager(_ period: ReportPeriod = .allTime) throws -> [ManagerReportRow] {
        var created: [UUID: Int] = [:]
        try forEachDay(.creatorOnDay, period) { r, n in created[r.uuid(), default: 0] += n }
        let conversions = Dictionary(uniqueKeysWithValues: try counters(StoreSchema.counter(.conversions)) { $0.uuid() })
        let completed = Dictionary(uniqueKeysWithValues: try counters(StoreSchema.counter(.actionsCompleted)) { $0.uuid() })
        let responsible = Dictionary(uniqueKeysWithValues: try counters(StoreSchema.setPrefix(.responsible)) { $0.uuid() })
        let admins = Dictionary(uniqueKeysWithValues: try self.admins().map { ($0.id, $0) })
        var ids = Set(created.keys).union(conversions.keys).union(completed.keys).union(responsible.keys)
        ids.formUnion(admins.keys)
        return try ids.sorted(by: UUID.canonicalOrder).map { id in
            let converted = conversions[id] ?? 0
            var prefix = StoreKey(StoreSchema.OrderTag.conversions.rawValue)
            prefix.uuid(id)
            var buckets = StoreKey(StoreSchema.CountTag.conversionBuckets.rawValue)
            buckets.uuid(id)
            return ManagerReportRow(
                admin: id, name: admins[id]?.name, responsible: responsible[id] ?? 0, created: created[id] ?? 0,
                converted: converted, actionsCompleted: completed[id] ?? 0,
                medianTimeToConvert: try lowerMedian(prefix, buckets: buckets, count: converted))
        }
    }

    /// Time spent on each step (active steps in pipeline order, then any other step with stays, by key).
    public func timeInStep() throws -> [StepTimeRow] {
        let counts = Dictionary(uniqueKeysWithValues: try counters(StoreSchema.counter(.stays)) { $0.string() })
        let sums = Dictionary(uniqueKeysWithValues: try counters(StoreSchema.counter(.staySum)) { $0.string() })
        let active = settings.activeSteps.map(\.key)
        let others = counts.keys.filter { !active.contains($0) }.sorted()
        return try (active + others).map { key in
            let count = counts[key] ?? 0
            let name = settings.steps.first { $0.key == key }?.name ?? key
            var prefix = StoreKey(StoreSchema.OrderTag.stays.rawValue)
            prefix.string(key)
            var buckets = StoreKey(StoreSchema.CountTag.stayBuckets.rawValue)
            buckets.string(key)
            return StepTimeRow(
                step: key, name: name, count: count,
                mean: count == 0 ? nil : Int64(sums[key] ?? 0) / Int64(count),
                median: try lowerMedian(prefix, buckets: buckets, count: count))
        }
    }

    /// Live leads paused at `now`, soonest back first; with `visibleTo`, only the leads that admin owns or
    /// watches, and their count.
    public func pausedLeads(now: Timestamp, limit: Int = 100, visibleTo: UUID? = nil) throws -> PausedReport {
        var rows: [PausedLeadRow] = []
        var visibleCount = 0
        let limit = Swift.max(0, limit)
        if limit > 0 || visibleTo != nil {
            try forEachPausedSoonestFirst(at: now) { record in
                if let viewer = visibleTo, !record.state.isOwnedOrWatched(by: viewer) { return true }
                visibleCount += 1
                if rows.count < limit {
                    rows.append(
                        PausedLeadRow(
                            leadId: record.state.id, fullName: record.state.fullName,
                            until: record.state.pausedUntil ?? now))
                }
                return visibleTo != nil || rows.count < limit
            }
        }
        return PausedReport(count: visibleTo == nil ? try pausedCount(at: now) : visibleCount, leads: rows)
    }

    /// The deal funnel: per stage (active ones in order, then retired ones that still hold deals, by key) and
    /// currency, the deals' count, budget sum and probability-weighted sum, from the `dealTotals` counters.
    public func dealFunnel(responsible: UUID? = nil) throws -> [DealStageReportRow] {
        var prefix = StoreSchema.counter(responsible == nil ? .dealTotals : .dealTotalsByResponsible)
        if let responsible { prefix.uuid(responsible) }
        var totals: [String: [(currency: String, totals: DealTotals)]] = [:]
        try forEach(dbs.counts, prefix: prefix) { key, value in
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            let stage = r.string()
            totals[stage, default: []].append((r.string(), try DealTotals(bytes: value)))
            return true
        }
        let active = settings.activeDealStages.map(\.key)
        let retired = totals.keys.filter { !active.contains($0) }.sorted()
        return (active + retired).flatMap { key -> [DealStageReportRow] in
            let stage = settings.dealStages.first { $0.key == key }
            let kind = stage?.kind ?? .open
            return (totals[key] ?? []).map { row in
                DealStageReportRow(
                    stage: key, name: stage?.name ?? key, kind: kind, currency: row.currency, count: Int(row.totals.count),
                    amount: DealAmount.text(row.totals.units, scale: 4),
                    weighted: DealAmount.text(row.totals.weighted(kind: kind, probability: stage?.probability ?? 0), scale: 6),
                    units: row.totals.units, weightedUnits: row.totals.weighted(kind: kind, probability: stage?.probability ?? 0))
            }
        }
    }

    /// The admins with deals (not deleted) they are responsible for, in id order.
    public func dealResponsibles() throws -> [UUID] {
        let prefix = StoreSchema.counter(.dealTotalsByResponsible)
        var ids: [UUID] = []
        try forEach(dbs.counts, prefix: prefix) { key, _ in
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            let id = r.uuid()
            if ids.last != id { ids.append(id) }
            return true
        }
        return ids
    }

    /// Won and lost deals (not deleted) closed in `period` (UTC days of closing), by outcome and currency, and
    /// by manager; from the day and span counters.
    public func dealOutcomes(_ period: ReportPeriod) throws -> DealOutcomeReport {
        var totals: [DealOutcomeReport.Key: DealTotals] = [:]
        try forEachDayValue(.dealsClosedOnDay, period) { r, value in
            let key = DealOutcomeReport.Key(outcome: r.string(), currency: r.string(), responsible: r.uuid())
            totals[key, default: DealTotals()].add(try DealTotals(bytes: value), sign: 1)
        }
        return DealOutcomeReport(period: period, totals: totals)
    }

    /// Assessment distribution per competitor over live leads, by competitor name.
    public func competitors() throws -> [CompetitorReportRow] {
        var byCompetitor: [String: [String: Int]] = [:]
        for ((competitor, assessment), n) in try counters(StoreSchema.counter(.competitor), { ($0.string(), $0.string()) }) {
            byCompetitor[competitor, default: [:]][assessment] = n
        }
        return byCompetitor.keys.sorted().map { name in
            let counts = byCompetitor[name]!
            return CompetitorReportRow(
                competitor: name, total: counts.values.reduce(0, +),
                assessments: counts.keys.sorted().map { AssessmentCount(assessment: $0, count: counts[$0]!) })
        }
    }
}
