import Foundation
import LeadDomain

/// A time span for reports over lead creation time, in whole UTC days: a lead counts when the UTC day it was
/// created on is in `[day of from, day of to)` (`to` rounded up to the next day start). Nil ends are open.
public struct ReportPeriod: Sendable, Hashable, Codable {
    public var from: Timestamp?
    public var to: Timestamp?

    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    public static let allTime = ReportPeriod()

    func contains(day: Int64) -> Bool {
        if let from, day < LeadReports.day(of: from.rawValue) { return false }
        if let to, day >= LeadReports.day(of: to.rawValue + LeadReports.dayLength - 1) { return false }
        return true
    }
}

public struct FunnelStep: Sendable, Hashable, Codable {
    public var step: String
    public var name: String
    /// Live leads (created in the period) that were created on or ever marked on this step.
    public var reached: Int
    /// `reached / reached of the previous step` (nil for the first step or when the previous reached none).
    public var conversionFromPrevious: Double?
}

public struct FunnelReport: Sendable, Hashable, Codable {
    public var period: ReportPeriod
    /// Live leads created in the period.
    public var created: Int
    /// Of those, converted.
    public var converted: Int
    /// Active steps in pipeline order.
    public var steps: [FunnelStep]
}

public struct ManagerReportRow: Sendable, Hashable, Codable {
    public var admin: UUID
    public var name: String?
    /// Live leads the admin is responsible for now.
    public var responsible: Int
    /// Live leads the admin created (in the period).
    public var created: Int
    /// Live converted leads the admin is responsible for.
    public var converted: Int
    /// Actions the admin marked completed (every completion ever, deleted leads included).
    public var actionsCompleted: Int
    /// Lower median of `convertedAt - createdAt` over `converted`, in µs.
    public var medianTimeToConvert: Int64?
}

public struct SourceReportRow: Sendable, Hashable, Codable {
    public var source: String
    public var name: String
    public var count: Int
    public var converted: Int
    /// `converted / count` (0 when count is 0).
    public var conversionRate: Double
}

public struct StepTimeRow: Sendable, Hashable, Codable {
    public var step: String
    public var name: String
    /// Completed stays: a stay on a step ends at the next step change (the current stay is not counted).
    public var count: Int
    /// In µs.
    public var mean: Int64?
    /// Lower median, in µs.
    public var median: Int64?
}

public struct PausedLeadRow: Sendable, Hashable, Codable {
    public var leadId: UUID
    public var fullName: String
    public var until: Timestamp
}

public struct PausedReport: Sendable, Hashable, Codable {
    public var count: Int
    /// Soonest to resume first, at most the limit asked for.
    public var leads: [PausedLeadRow]
}

public struct CompetitorReportRow: Sendable, Hashable, Codable {
    public var competitor: String
    public var total: Int
    /// Count per assessment value (`""`: not assessed), sorted by value.
    public var assessments: [AssessmentCount]
}

public struct AssessmentCount: Sendable, Hashable, Codable {
    public var assessment: String
    public var count: Int
}

/// A duration entry of a median index: unique by its tie-breaker.
struct DurationEntry: Sendable, Hashable, Comparable {
    var duration: Int64
    var tieBreak: LeadKey
    static func < (a: DurationEntry, b: DurationEntry) -> Bool { (a.duration, a.tieBreak) < (b.duration, b.tieBreak) }
}

/// Report aggregates, maintained incrementally so `GET report` does not scan leads.
///
/// Every live lead contributes, by the UTC day it was created, to: created count, converted count, each step it
/// reached (funnel), its source (count, converted) and its creator; and, independent of time, to its
/// competitor/assessment counts and (when converted) its responsible's conversion count and time-to-convert
/// index. A lead event removes the lead's old contribution and adds the new one (when the report-relevant slice
/// changed), so deleting, merging and restoring keep reports adding up. Step stays and completed actions are
/// recorded per event and never removed: they are history. Day buckets are also summed by blocks of 32 days, so a
/// period costs O((whole blocks + at most 62 edge days) × keys); the other queries are
/// O(managers × log n).
public struct LeadReports: Sendable, Equatable {
    struct SourceCount: Sendable, Hashable {
        var count = 0
        var converted = 0
    }

    struct DayBucket: Sendable, Hashable {
        var created = 0
        var converted = 0
        var reached: [String: Int] = [:]
        var sources: [String: SourceCount] = [:]
        var createdBy: [UUID: Int] = [:]
        var isEmpty: Bool { created == 0 && converted == 0 && reached.isEmpty && sources.isEmpty && createdBy.isEmpty }

        /// Adds (`sign` 1) or removes (-1) one lead's contribution.
        mutating func add(_ s: Slice, _ sign: Int) {
            created += sign
            if s.converted { converted += sign }
            for step in s.facts.reached { LeadReports.bump(&reached, step, sign) }
            sources[s.source, default: SourceCount()].count += sign
            if s.converted { sources[s.source]!.converted += sign }
            if sources[s.source] == SourceCount() { sources[s.source] = nil }
            LeadReports.bump(&createdBy, s.createdBy, sign)
        }
    }

    struct StepDwell: Sendable, Equatable {
        var sum: Int64 = 0
        var durations = SortedIndex<DwellEntry>()

        mutating func add(duration: Int64, position: UInt64) {
            sum += duration
            durations.insert(DwellEntry(duration: duration, position: position))
        }
    }

    struct DwellEntry: Sendable, Hashable, Comparable {
        var duration: Int64
        var position: UInt64
        static func < (a: DwellEntry, b: DwellEntry) -> Bool { (a.duration, a.position) < (b.duration, b.position) }
    }

    static let dayLength: Int64 = 86_400_000_000
    static func day(of micros: Int64) -> Int64 {
        micros >= 0 ? micros / dayLength : (micros - dayLength + 1) / dayLength
    }

    private(set) var days: [Int64: DayBucket] = [:]
    /// The sums of the day buckets of each block of `blockDays` days (block `b`: days `b·32 ..< b·32 + 32`): a period
    /// adds up its whole blocks and only the days at its two ends, not every day (2.8 years of data is 1,000 days).
    private(set) var blocks: [Int64: DayBucket] = [:]
    static let blockDays: Int64 = 32
    private(set) var convertedBy: [UUID: SortedIndex<DurationEntry>] = [:]
    private(set) var competitors: [String: [String: Int]] = [:]
    private(set) var actionsCompleted: [UUID: Int] = [:]
    private(set) var dwell: [String: StepDwell] = [:]

    public init() {}

    /// The slice of a lead reports depend on; contributions are redone only when it changes.
    struct Slice: Equatable {
        var createdAt: Timestamp
        var createdBy: UUID
        var source: String
        var responsible: UUID?
        var converted: Bool
        var competitor: String?
        var assessment: String?
        var facts: LeadFacts
        var id: UUID

        init?(_ lead: LeadState?, _ facts: LeadFacts?) {
            guard let lead, let facts, lead.isLive else { return nil }
            createdAt = lead.createdAt
            createdBy = lead.createdBy
            source = lead.source
            responsible = lead.responsible
            converted = lead.converted
            competitor = lead.competitor
            assessment = lead.assessment
            self.facts = facts
            id = lead.id
        }
    }

    mutating func update(from old: Slice?, to new: Slice?) {
        guard old != new else { return }
        if let old { contribute(old, -1) }
        if let new { contribute(new, 1) }
    }

    fileprivate static func bump<K: Hashable>(_ dict: inout [K: Int], _ key: K, _ delta: Int) {
        let value = (dict[key] ?? 0) + delta
        dict[key] = value == 0 ? nil : value
    }

    // Every aggregate below is mutated in place (`dict[key, default:]`, optional chaining): reading a bucket or
    // an index out, changing it and storing it back would copy it on every event.
    private mutating func contribute(_ s: Slice, _ sign: Int) {
        let day = Self.day(of: s.createdAt.rawValue)
        days[day, default: DayBucket()].add(s, sign)
        if days[day]?.isEmpty == true { days[day] = nil }
        let block = Self.floorDivide(day, Self.blockDays)
        blocks[block, default: DayBucket()].add(s, sign)
        if blocks[block]?.isEmpty == true { blocks[block] = nil }

        if let competitor = s.competitor, !competitor.isEmpty {
            Self.bump(&competitors[competitor, default: [:]], s.assessment ?? "", sign)
            if competitors[competitor]?.isEmpty == true { competitors[competitor] = nil }
        }
        if s.converted, let responsible = s.responsible {
            let entry = DurationEntry(
                duration: (s.facts.convertedAt ?? s.createdAt).rawValue - s.createdAt.rawValue, tieBreak: LeadKey(s.id))
            if sign > 0 {
                convertedBy[responsible, default: SortedIndex()].insert(entry)
            } else {
                convertedBy[responsible]?.remove(entry)
                if convertedBy[responsible]?.isEmpty == true { convertedBy[responsible] = nil }
            }
        }
    }

    /// Records what an event adds to history: a completed step stay, a completed action.
    mutating func record(_ event: AppliedEvent, factsBefore: LeadFacts?) {
        switch event.event {
        case .leadStepMarked(let e):
            guard let facts = factsBefore else { return }
            dwell[e.from, default: StepDwell()].add(duration: e.at.rawValue - facts.stepEnteredAt.rawValue, position: event.position)
        case .actionCompleted(let e):
            Self.bump(&actionsCompleted, e.by, 1)
        default: break
        }
    }

    mutating func restoreHistory(
        actionsCompleted: [UUID: Int], stays: [(step: String, duration: Int64, position: UInt64)]
    ) {
        self.actionsCompleted = actionsCompleted
        for stay in stays { dwell[stay.step, default: StepDwell()].add(duration: stay.duration, position: stay.position) }
    }

    /// Every recorded stay, by step then order (for the canonical snapshot).
    var stays: [(step: String, duration: Int64, position: UInt64)] {
        dwell.keys.sorted().flatMap { step in dwell[step]!.durations.elements.map { (step, $0.duration, $0.position) } }
    }

    /// Buckets that add up to the days of `period`, in no particular order (reports only add them up): the blocks
    /// wholly inside it, and the day buckets of the days at its ends outside whole blocks (fewer than 64).
    func forEachBucket(_ period: ReportPeriod, _ body: (DayBucket) -> Void) {
        let size = Self.blockDays
        let from = period.from.map { Self.day(of: $0.rawValue) }  // first day in
        let to = period.to.map { Self.day(of: $0.rawValue + Self.dayLength - 1) }  // first day out
        func eachDay(_ range: Range<Int64>) {
            for day in range { if let bucket = days[day] { body(bucket) } }
        }
        if let from, let to, from >= to { return }
        let firstBlock = from.map { -Self.floorDivide(-$0, size) }  // the first block starting at or after `from`
        let endBlock = to.map { Self.floorDivide($0, size) }  // the first block not ending by `to`
        if let from, let to, let firstBlock, let endBlock, firstBlock >= endBlock {
            eachDay(from..<to)
            return
        }
        for (block, bucket) in blocks
        where (firstBlock.map { block >= $0 } ?? true) && (endBlock.map { block < $0 } ?? true) {
            body(bucket)
        }
        if let from, let firstBlock { eachDay(from..<(firstBlock * size)) }
        if let to, let endBlock { eachDay((endBlock * size)..<to) }
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    // MARK: - Queries

    public func funnel(_ period: ReportPeriod = .allTime, settings: SettingsState) -> FunnelReport {
        var reached: [String: Int] = [:]
        var created = 0
        var converted = 0
        forEachBucket(period) { bucket in
            created += bucket.created
            converted += bucket.converted
            for (step, n) in bucket.reached { reached[step, default: 0] += n }
        }
        var steps: [FunnelStep] = []
        for step in settings.activeSteps {
            let n = reached[step.key] ?? 0
            let previous = steps.last?.reached
            let rate = previous.flatMap { $0 > 0 ? Double(n) / Double($0) : nil }
            steps.append(FunnelStep(step: step.key, name: step.name, reached: n, conversionFromPrevious: rate))
        }
        return FunnelReport(period: period, created: created, converted: converted, steps: steps)
    }

    public func perSource(_ period: ReportPeriod = .allTime, settings: SettingsState) -> [SourceReportRow] {
        var totals: [String: SourceCount] = [:]
        forEachBucket(period) { bucket in
            for (source, c) in bucket.sources {
                totals[source, default: SourceCount()].count += c.count
                totals[source, default: SourceCount()].converted += c.converted
            }
        }
        return totals.keys.sorted().map { key in
            let c = totals[key]!
            let name = settings.sources.first { $0.key == key }?.name ?? key
            return SourceReportRow(
                source: key, name: name, count: c.count, converted: c.converted,
                conversionRate: c.count == 0 ? 0 : Double(c.converted) / Double(c.count))
        }
    }

    /// One row per admin who is responsible for, created, converted or completed anything (sorted by id).
    public func perManager(
        _ period: ReportPeriod = .allTime, directory: LeadDirectory, admins: AdminDirectory
    ) -> [ManagerReportRow] {
        var created: [UUID: Int] = [:]
        forEachBucket(period) { bucket in for (admin, n) in bucket.createdBy { created[admin, default: 0] += n } }
        var ids = Set(created.keys).union(convertedBy.keys).union(actionsCompleted.keys)
        ids.formUnion(directory.byResponsible.keys)
        ids.formUnion(admins.admins.keys)
        return ids.sorted(by: UUID.canonicalOrder).map { id in
            let conversions = convertedBy[id]
            return ManagerReportRow(
                admin: id, name: admins[id]?.name, responsible: directory.byResponsible.count(id),
                created: created[id] ?? 0, converted: conversions?.count ?? 0,
                actionsCompleted: actionsCompleted[id] ?? 0,
                medianTimeToConvert: conversions.flatMap { $0.element(at: ($0.count - 1) / 2)?.duration })
        }
    }

    /// Time spent on each step (active steps in pipeline order, then any other step with stays, by key).
    public func timeInStep(settings: SettingsState) -> [StepTimeRow] {
        let active = settings.activeSteps.map(\.key)
        let others = dwell.keys.filter { !active.contains($0) }.sorted()
        return (active + others).map { key in
            let stay = dwell[key]
            let count = stay?.durations.count ?? 0
            let name = settings.steps.first { $0.key == key }?.name ?? key
            return StepTimeRow(
                step: key, name: name, count: count,
                mean: count == 0 ? nil : stay!.sum / Int64(count),
                median: stay?.durations.element(at: (count - 1) / 2)?.duration)
        }
    }

    /// Live leads paused at `now`, soonest back first: O(log n + limit) from the directory's pause order.
    /// With `visibleTo`, only the leads that admin is responsible for or watches, and their count (a walk
    /// over the paused leads).
    public func pausedLeads(now: Timestamp, limit: Int = 100, visibleTo: UUID? = nil, directory: LeadDirectory)
        -> PausedReport
    {
        var rows: [PausedLeadRow] = []
        var visibleCount = 0
        let limit = Swift.max(0, limit)
        if limit > 0 || visibleTo != nil {
            directory.forEachPausedSoonestFirst(at: now) { record in
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
        return PausedReport(count: visibleTo == nil ? directory.pausedCount(at: now) : visibleCount, leads: rows)
    }

    /// Assessment distribution per competitor over live leads, by competitor name.
    public func competitorReport() -> [CompetitorReportRow] {
        competitors.keys.sorted().map { name in
            let counts = competitors[name]!
            return CompetitorReportRow(
                competitor: name, total: counts.values.reduce(0, +),
                assessments: counts.keys.sorted().map { AssessmentCount(assessment: $0, count: counts[$0]!) })
        }
    }
}
