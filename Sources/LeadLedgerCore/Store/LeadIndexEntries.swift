import Foundation
import LeadDomain

/// Every index entry one lead has in the projection store: its ordered-index keys, the inverted-index keys it is
/// a member of, and the counter buckets it adds one to. A lead's change is applied as the difference between its
/// entries before and after, so there is one definition of where a lead is indexed, for the incremental path and
/// the bulk build alike.
struct LeadIndexEntries {
    /// Full `order` keys (ending in the id).
    var order: [StoreKey] = []
    /// The `recency` entry of a live lead: `[updatedAt][id]` and its `LeadSummary`.
    var recency: (key: StoreKey, summary: [UInt8])?
    /// `sets` prefixes (tag and key, without the id).
    var sets: [StoreKey] = []
    /// `CountTag` buckets, each counting the lead once.
    var buckets: [StoreKey] = []

    init(_ record: LeadStoreRecord, stepRanks: StepRanks) {
        let lead = record.state
        let id = lead.id
        let live = lead.isLive
        func orderKey(_ tag: StoreSchema.OrderTag, _ fill: (inout StoreKey) -> Void) {
            var key = StoreKey(tag.rawValue)
            fill(&key)
            key.uuid(id)
            order.append(key)
        }
        orderKey(.updated) { $0.int64(lead.updatedAt.rawValue) }
        orderKey(.created) { $0.int64(lead.createdAt.rawValue) }
        orderKey(.name) { $0.string(record.nameKey) }
        orderKey(.step) { $0.int64(stepRanks.rank(lead.step)); $0.int64(lead.updatedAt.rawValue) }

        if live {
            var recent = StoreKey(StoreSchema.OrderTag.updated.rawValue)
            recent.int64(lead.updatedAt.rawValue)
            recent.uuid(id)
            recency = (recent, LeadSummary.encode(record))
            if let until = lead.pausedUntil { orderKey(.paused) { $0.int64(until.rawValue) } }
            orderKey(.updatedByStep) { $0.string(lead.step); $0.int64(lead.updatedAt.rawValue) }
            if let responsible = lead.responsible {
                orderKey(.updatedByResponsible) { $0.uuid(responsible); $0.int64(lead.updatedAt.rawValue) }
            }
            sets.append(StoreSchema.setPrefix(.step, lead.step))
            if let responsible = lead.responsible { sets.append(StoreSchema.setPrefix(.responsible, responsible)) }
            for tag in Set(lead.tags.map(TagName.key)) { sets.append(StoreSchema.setPrefix(.tag, tag)) }
            sets.append(StoreSchema.setPrefix(.source, lead.source))
            for watcher in Set(lead.watchers) { sets.append(StoreSchema.setPrefix(.watcher, watcher)) }
            if let customer = lead.linkedCustomer { sets.append(StoreSchema.setPrefix(.customer, customer)) }
            if lead.converted { sets.append(StoreSchema.setPrefix(.convertedLive)) }

            var cells: [(String?, UUID?)] = [(lead.step, nil)]
            if let responsible = lead.responsible { cells += [(lead.step, responsible), (nil, responsible)] }
            for (step, responsible) in cells {
                buckets.append(StoreSchema.bucket(.live, step: step, responsible: responsible))
                if lead.converted { buckets.append(StoreSchema.bucket(.liveConverted, step: step, responsible: responsible)) }
            }
            if let until = lead.pausedUntil {
                for (step, responsible) in cells + [(nil, nil)] {
                    var k = StoreSchema.cell(StoreSchema.OrderTag.pausedByCell.rawValue, step: step, responsible: responsible)
                    k.int64(until.rawValue)
                    k.byte(lead.converted ? 1 : 0)
                    k.uuid(id)
                    order.append(k)
                }
            }
        }
        if live {
            for key in DuplicateKey.keys(of: lead) {
                var k = StoreKey(StoreSchema.SetTag.duplicate.rawValue)
                k.string(key.kind.rawValue); k.string(key.value)
                sets.append(k)
            }
            for action in lead.actions where !action.completed {
                guard let planned = action.plannedAt else { continue }
                var k = StoreKey(StoreSchema.OrderTag.agenda.rawValue)
                k.uuid(Agenda.owner(action)); k.int64(planned.rawValue); k.uuid(id); k.uuid(action.id)
                order.append(k)
            }
            if let facts = record.facts { addReportEntries(lead, facts) }
            addTaskEntries(lead)
            sets.append(StoreSchema.setPrefix(.creator, lead.createdBy))
            sets.append(StoreSchema.setPrefix(.modifier, lead.updatedBy))
            for (key, value) in lead.customFields {
                sets.append(CustomFieldIndex.valuePrefix(key, CustomFieldIndex.text(value)))
                if var k = CustomFieldIndex.orderPrefix(key, value) {
                    k.uuid(id)
                    order.append(k)
                }
            }
        }
        if lead.deleted && lead.mergedInto == nil { sets.append(StoreSchema.setPrefix(.deleted)) }
        if lead.mergedInto != nil { sets.append(StoreSchema.setPrefix(.merged)) }

        var tokens = Set<String>()
        LeadRecord.forEachToken(in: record.textTokens) { tokens.insert($0) }
        for token in tokens { sets.append(StoreSchema.setPrefix(.textToken, token)) }
        for digits in LeadSearch.phoneTokens(of: lead) {
            sets.append(StoreSchema.setPrefix(.phoneDigits, digits))
            sets.append(StoreSchema.setPrefix(.phoneReversed, LeadSearch.reversedDigits(digits)))
        }
    }

    init() {}

    static func == (a: LeadIndexEntries, b: LeadIndexEntries) -> Bool {
        a.order == b.order && a.sets == b.sets && a.buckets == b.buckets && a.recency?.key == b.recency?.key
            && a.recency?.summary == b.recency?.summary
    }

    /// A live lead's tasks by owner and due date, whether it has an open one, and its earliest open due date.
    private mutating func addTaskEntries(_ lead: LeadState) {
        var earliest: Int64?
        var open = false
        for task in lead.tasks {
            order.append(contentsOf: TaskIndexEntries.keys(task, on: .lead, lead.id))
            if !task.closed {
                open = true
                if let due = task.due?.rawValue { earliest = Swift.min(earliest ?? .max, due) }
            }
        }
        if open { sets.append(StoreSchema.setPrefix(.openTasks)) }
        if let earliest {
            var k = StoreKey(StoreSchema.OrderTag.earliestOpenTask.rawValue)
            k.int64(earliest); k.uuid(lead.id)
            order.append(k)
            var day = StoreSchema.counter(.earliestOpenTaskOnDay)
            day.int64(ReportDays.day(of: earliest))
            buckets.append(day)
        }
    }

    /// A live lead's report contributions (`LeadReports.Slice`).
    private mutating func addReportEntries(_ lead: LeadState, _ facts: LeadFacts) {
        let day = ReportDays.day(of: lead.createdAt.rawValue)
        let span = ReportDays.span(of: day)
        func bucket(_ tag: StoreSchema.CountTag, _ fill: (inout StoreKey) -> Void = { _ in }) {
            var k = StoreKey(tag.rawValue)
            k.int64(day)
            fill(&k)
            buckets.append(k)
            var s = StoreKey(tag.span.rawValue)
            s.int64(span)
            fill(&s)
            buckets.append(s)
        }
        bucket(.createdOnDay)
        if lead.converted { bucket(.convertedOnDay) }
        for step in facts.reached { bucket(.reachedOnDay) { $0.string(step) } }
        bucket(.sourceOnDay) { $0.string(lead.source) }
        if lead.converted { bucket(.sourceConvertedOnDay) { $0.string(lead.source) } }
        bucket(.creatorOnDay) { $0.uuid(lead.createdBy) }
        if let competitor = lead.competitor, !competitor.isEmpty {
            var k = StoreKey(StoreSchema.CountTag.competitor.rawValue)
            k.string(competitor); k.string(lead.assessment ?? "")
            buckets.append(k)
        }
        if lead.converted, let responsible = lead.responsible {
            let duration = (facts.convertedAt ?? lead.createdAt).rawValue - lead.createdAt.rawValue
            var k = StoreKey(StoreSchema.OrderTag.conversions.rawValue)
            k.uuid(responsible); k.int64(duration); k.uuid(lead.id)
            order.append(k)
            var c = StoreKey(StoreSchema.CountTag.conversions.rawValue)
            c.uuid(responsible)
            buckets.append(c)
            var b = StoreKey(StoreSchema.CountTag.conversionBuckets.rawValue)
            b.uuid(responsible); b.int64(StoreSchema.MedianBucket.lowerBound(duration))
            buckets.append(b)
        }
    }
}

/// Pipeline rank of each step key: its index in `SettingsState.steps` (active steps in pipeline order, retired
/// ones keep their place); unknown steps sort last.
struct StepRanks: Equatable, Sendable {
    private var ranks: [String: Int64] = [:]

    init(_ settings: SettingsState) {
        for (index, step) in settings.steps.enumerated() where ranks[step.key] == nil { ranks[step.key] = Int64(index) }
    }

    func rank(_ step: String) -> Int64 { ranks[step] ?? Int64(ranks.count) }
}

/// Where a task is indexed in `order` (`OrderTag.tasksByOwner` and `tasksByDue`), on a lead or a deal.
enum TaskIndexEntries {
    static func keys(_ task: LeadTask, on kind: TaskSubject.Kind, _ subject: UUID) -> [StoreKey] {
        let due = task.due?.rawValue ?? .max
        let state: UInt8 = task.closed ? 1 : 0
        var k = StoreKey(StoreSchema.OrderTag.tasksByOwner.rawValue)
        k.uuid(TaskList.owner(task)); k.byte(state); k.int64(due); k.byte(kind.rawValue); k.uuid(subject); k.uuid(task.id)
        var d = StoreKey(StoreSchema.OrderTag.tasksByDue.rawValue)
        d.byte(state); d.int64(due); d.byte(kind.rawValue); d.uuid(subject); d.uuid(task.id)
        return [k, d]
    }
}

/// Where a deal is indexed in `order` (the one definition for the incremental and the bulk path).
enum DealIndexEntries {
    static func keys(_ deal: DealState) -> [StoreKey] {
        guard !deal.deleted else { return [] }
        var keys = deal.tasks.flatMap { TaskIndexEntries.keys($0, on: .deal, deal.id) }
        if let lead = deal.leadId {
            var k = StoreKey(StoreSchema.OrderTag.dealsByLead.rawValue)
            k.uuid(lead); k.uuid(deal.id)
            keys.append(k)
        }
        if let customer = deal.customerId {
            var k = StoreKey(StoreSchema.OrderTag.dealsByCustomer.rawValue)
            k.uuid(customer); k.uuid(deal.id)
            keys.append(k)
        }
        return keys
    }
}

/// What the deals on one stage in one currency add up to (`StoreSchema.CountTag.dealTotals`). The weighted
/// sum is kept in two parts so a change of the stage's probability changes no stored total: the units of the
/// deals that follow the stage's probability, and the units × own probability of the others.
struct DealTotals: Equatable, Sendable {
    var count: Int64 = 0
    /// Budget units of 10^-4 (`DealAmount.units`).
    var units: UInt128 = 0
    /// Units of the open deals without a probability of their own.
    var followingUnits: UInt128 = 0
    /// Σ units × own probability (0–100) of the open deals with one.
    var ownWeighted: UInt128 = 0

    static let byteCount = 8 + 3 * 16

    init() {}

    /// One deal's contribution.
    init(_ deal: DealState) {
        count = 1
        units = DealAmount.units(deal.amount)
        if deal.outcome == .open {
            if let own = deal.probability { ownWeighted = units * UInt128(own) } else { followingUnits = units }
        }
    }

    mutating func add(_ other: DealTotals, sign: Int) {
        if sign > 0 {
            count += other.count; units += other.units
            followingUnits += other.followingUnits; ownWeighted += other.ownWeighted
        } else {
            count -= other.count; units -= other.units
            followingUnits -= other.followingUnits; ownWeighted -= other.ownWeighted
        }
    }

    /// The probability-weighted sum in units of 10^-6 on a stage of `kind` with `probability`.
    func weighted(kind: DealStageKind, probability: Int64) -> UInt128 {
        switch kind {
        case .won: units * 100
        case .lost: 0
        case .open: followingUnits * UInt128(probability) + ownWeighted
        }
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.byteCount)
        let c = UInt64(bitPattern: count)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: c >> UInt64(shift))) }
        for value in [units, followingUnits, ownWeighted] {
            for shift in stride(from: 120, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt128(shift))) }
        }
        return out
    }

    init(bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count == Self.byteCount else {
            throw RecordDecodingError(reason: "deal totals of \(bytes.count) bytes", offset: 0)
        }
        count = Int64(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)))
        func u128(_ at: Int) -> UInt128 {
            var v: UInt128 = 0
            for i in 0..<16 { v = v << 8 | UInt128(bytes[at + i]) }
            return v
        }
        units = u128(8)
        followingUnits = u128(24)
        ownWeighted = u128(40)
    }
}

extension DealIndexEntries {
    /// The lead sets (`SetTag.withDeals`, `dealStage`) a lead with (not deleted) deals on `stages` is in.
    static func leadSets(stages: Set<String>) -> Set<StoreKey> {
        guard !stages.isEmpty else { return [] }
        var sets: Set<StoreKey> = [StoreSchema.setPrefix(.withDeals)]
        for stage in stages { sets.insert(StoreSchema.setPrefix(.dealStage, stage)) }
        return sets
    }

    /// The `DealTotals` counters a deal adds to (none when deleted): its stage and currency, the same for its
    /// responsible, and when won or lost its closing day and span.
    static func totals(_ deal: DealState) -> [StoreKey] {
        guard !deal.deleted else { return [] }
        var k = StoreKey(StoreSchema.CountTag.dealTotals.rawValue)
        k.string(deal.stage)
        k.string(deal.currency)
        var m = StoreKey(StoreSchema.CountTag.dealTotalsByResponsible.rawValue)
        m.uuid(deal.responsible)
        m.string(deal.stage)
        m.string(deal.currency)
        var keys = [k, m]
        if deal.outcome != .open, let closed = deal.closedAt {
            let day = ReportDays.day(of: closed.rawValue)
            for (tag, unit) in [(StoreSchema.CountTag.dealsClosedOnDay, day), (.dealsClosedInSpan, ReportDays.span(of: day))] {
                var c = StoreKey(tag.rawValue)
                c.int64(unit)
                c.string(deal.outcome.rawValue)
                c.string(deal.currency)
                c.uuid(deal.responsible)
                keys.append(c)
            }
        }
        return keys
    }
}

/// How custom field values are keyed in the store: equality through `SetTag.customFieldValue`, ranges of number
/// and date fields through `OrderTag.customFieldOrder`.
enum CustomFieldIndex {
    /// The value as the equality index keys it: its text, or for a value over `maxIndexedBytes` (LMDB keys are
    /// at most 511 bytes) a marker and the SHA-256 of its text, so every value, long text included, is found
    /// from the index. The marker starts with NUL, which no validated value holds.
    static func text(_ value: CustomFieldValue) -> String {
        let text: String
        switch value {
        case .string(let s), .list(let s), .url(let s), .date(let s), .text(let s): text = s
        case .int(let n): text = String(n)
        case .flag(let b): text = b ? "true" : "false"
        }
        return text.utf8.count <= maxIndexedBytes ? text : "\u{0}sha256:" + APITokenHash.sha256Hex(text)
    }

    static let maxIndexedBytes = 256

    static func valuePrefix(_ key: String, _ text: String) -> StoreKey {
        var k = StoreKey(StoreSchema.SetTag.customFieldValue.rawValue)
        k.string(key)
        k.string(text)
        return k
    }

    /// `[customFieldOrder][key]`, the start of every entry of one field.
    static func orderPrefix(_ key: String) -> StoreKey {
        var k = StoreKey(StoreSchema.OrderTag.customFieldOrder.rawValue)
        k.string(key)
        return k
    }

    /// `[customFieldOrder][key][value]` for number and date values; nil for the other types.
    static func orderPrefix(_ key: String, _ value: CustomFieldValue) -> StoreKey? {
        var k = orderPrefix(key)
        switch value {
        case .int(let n): k.int64(n)
        case .date(let d): k.string(d)
        default: return nil
        }
        return k
    }
}

/// Where a customer is indexed: its name order (live or deleted) and, when not deleted, the search, e-mail, kind
/// and company sets (the one definition for the incremental and the bulk path).
struct CustomerIndexEntries: Equatable {
    var order: [StoreKey] = []
    var sets: [StoreKey] = []

    init() {}

    init(_ customer: CustomerState) {
        var name = StoreKey((customer.deleted ? StoreSchema.OrderTag.deletedCustomers : .customers).rawValue)
        name.string(SearchText.fold(customer.fullName))
        name.uuid(customer.id)
        order = [name]
        guard !customer.deleted else { return }
        var tokens = Set<String>()
        LeadSearch.forEachTextToken(nameKey: SearchText.fold(customer.fullName), company: customer.company, emails: customer.emails) {
            tokens.insert($0)
        }
        for token in tokens.sorted() { sets.append(StoreSchema.setPrefix(.customerToken, token)) }
        for digits in Set(customer.phones.map(\.digits).filter { !$0.isEmpty }).sorted() {
            sets.append(StoreSchema.setPrefix(.customerPhone, digits))
            sets.append(StoreSchema.setPrefix(.customerPhoneReversed, LeadSearch.reversedDigits(digits)))
        }
        for email in Set(customer.emails.map(EmailAddress.normalize)).sorted() {
            sets.append(StoreSchema.setPrefix(.customerEmail, email))
        }
        sets.append(StoreSchema.setPrefix(.customerKind, customer.kind.rawValue))
        if let company = customer.companyId { sets.append(StoreSchema.setPrefix(.companyMember, company)) }
        sets.append(StoreSchema.setPrefix(.customerCreator, customer.createdBy))
    }
}
