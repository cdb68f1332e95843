import Foundation
import LeadDomain

/// What a lead is, for lists, at a given moment. Exactly one applies, in this precedence:
/// merged, deleted, paused (`now < pausedUntil`), converted, active.
public enum LeadStatus: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case active
    case paused
    case converted
    case merged
    case deleted

    /// The statuses of leads that are still in play (neither deleted nor merged away).
    public static let live: Set<LeadStatus> = [.active, .paused, .converted]
    /// What lists show unless asked otherwise.
    public static let defaultVisible: Set<LeadStatus> = [.active, .converted]

    public static func < (a: LeadStatus, b: LeadStatus) -> Bool { a.rawValue < b.rawValue }
}

extension LeadState {
    /// The lead's status at `now` (see `LeadStatus`).
    public func status(at now: Timestamp) -> LeadStatus {
        if mergedInto != nil { return .merged }
        if deleted { return .deleted }
        if isPaused(at: now) { return .paused }
        if converted { return .converted }
        return .active
    }

    /// Neither deleted nor merged into another lead.
    public var isLive: Bool { !deleted && mergedInto == nil }
}

/// The orders a lead list can be sorted in. Every order ends in the lead id, so it is total and stable.
public enum LeadSort: String, Sendable, Hashable, Codable, CaseIterable {
    /// By `updatedAt` (the default, newest first).
    case updated
    /// By `createdAt`.
    case created
    /// By the folded full name.
    case name
    /// By pipeline position of the step, then `updatedAt`.
    case step
}

public enum PageOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case ascending = "asc"
    case descending = "desc"
}

/// The sort key of a lead in one `LeadSort`: `(primary, text, secondary, id)`.
///
/// updated: `(updatedAt, "", 0, id)`; created: `(createdAt, "", 0, id)`; name: `(0, folded name, 0, id)`;
/// step: `(pipeline rank, "", updatedAt, id)`.
public struct LeadOrderKey: Sendable, Hashable, Comparable, Codable {
    public var primary: Int64
    public var text: String
    public var secondary: Int64
    public var id: LeadKey

    public init(primary: Int64 = 0, text: String = "", secondary: Int64 = 0, id: LeadKey) {
        self.primary = primary
        self.text = text
        self.secondary = secondary
        self.id = id
    }

    public static func < (a: LeadOrderKey, b: LeadOrderKey) -> Bool {
        if a.primary != b.primary { return a.primary < b.primary }
        if a.text != b.text { return a.text < b.text }
        if a.secondary != b.secondary { return a.secondary < b.secondary }
        return a.id < b.id
    }
}

/// Where a page ended: the sort key of its last row. Codable so HTTP can turn it into an opaque token.
/// A cursor is only meaningful with the sort it was made for; with another sort it is ignored.
public struct LeadCursor: Sendable, Hashable, Codable {
    public var sort: LeadSort
    public var key: LeadOrderKey

    public init(sort: LeadSort, key: LeadOrderKey) {
        self.sort = sort
        self.key = key
    }
}

/// One or more values a filter accepts (any of them matches): `step: "new"` or `step: ["new", "call"]`.
/// Values are kept once each, in the order given.
public struct AnyOf<Value: Hashable & Sendable & Codable>: Sendable, Hashable, Codable, ExpressibleByArrayLiteral {
    public private(set) var values: [Value]

    public init(_ values: some Sequence<Value>) {
        var seen = Set<Value>()
        self.values = values.filter { seen.insert($0).inserted }
    }

    public init(arrayLiteral values: Value...) { self.init(values) }

    public func contains(_ value: Value) -> Bool { values.contains(value) }

    /// The value when there is exactly one.
    public var single: Value? { values.count == 1 ? values[0] : nil }
}

extension AnyOf: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral,
    ExpressibleByStringLiteral
where Value == String {
    public init(stringLiteral value: String) { self.init([value]) }
}

/// A range a number or date custom field must lie in (both ends inclusive; either may be open). Both ends are
/// of the field's type: `.int` for number fields, `.date` (`YYYY-MM-DD`) for date fields.
public struct CustomFieldRange: Sendable, Hashable, Codable {
    public var min: CustomFieldValue?
    public var max: CustomFieldValue?

    public init(min: CustomFieldValue? = nil, max: CustomFieldValue? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `value` is of the range's type and within it.
    public func contains(_ value: CustomFieldValue?) -> Bool {
        switch value {
        case .int(let v)?:
            if let min { guard case .int(let lo) = min, v >= lo else { return false } }
            if let max { guard case .int(let hi) = max, v <= hi else { return false } }
            return true
        case .date(let v)?:
            if let min { guard case .date(let lo) = min, v >= lo else { return false } }
            if let max { guard case .date(let hi) = max, v <= hi else { return false } }
            return true
        default: return false
        }
    }
}

/// Filters of a lead list; every given filter must hold (AND). A multi-valued filter holds when any of its
/// values does (`responsible: [a, b]`: a's or b's leads).
public struct LeadFilter: Sendable, Hashable, Codable {
    public var step: AnyOf<String>?
    public var responsible: AnyOf<UUID>?
    /// Tag names, compared by `TagName.key`: the lead carries one of them.
    public var tag: AnyOf<String>?
    public var source: AnyOf<String>?
    public var watcher: AnyOf<UUID>?
    /// The linked customer.
    public var customer: AnyOf<UUID>?
    /// The admin who created the lead.
    public var createdBy: AnyOf<UUID>?
    /// The admin whose change is the lead's latest.
    public var updatedBy: AnyOf<UUID>?
    /// Which statuses to show (default: active and converted — paused, merged and deleted leads are hidden).
    /// `paused=true` is `[.paused]`, `deleted=true` is `[.deleted]`.
    public var states: Set<LeadStatus>
    /// `true`: only converted leads, `false`: only leads not converted (on top of `states`).
    public var converted: Bool?
    /// Creation time range, `from` inclusive, `to` exclusive.
    public var createdFrom: Timestamp?
    public var createdTo: Timestamp?
    public var updatedFrom: Timestamp?
    public var updatedTo: Timestamp?
    /// Custom fields that must equal these values.
    public var customFields: [String: CustomFieldValue]
    /// Number and date custom fields that must lie in these ranges.
    public var customFieldRanges: [String: CustomFieldRange]
    /// `true`: the lead has a deal that is not deleted; `false`: it has none.
    public var hasDeals: Bool?
    /// The lead has a (not deleted) deal on one of these stages.
    public var dealStage: AnyOf<String>?
    /// `true`: the lead has an open task; `false`: it has none.
    public var hasTasks: Bool?
    /// `true`: one of the lead's open tasks was due before now; `false`: none was.
    public var hasOverdueTasks: Bool?

    public init(
        step: AnyOf<String>? = nil, responsible: AnyOf<UUID>? = nil, tag: AnyOf<String>? = nil,
        source: AnyOf<String>? = nil, watcher: AnyOf<UUID>? = nil, customer: AnyOf<UUID>? = nil,
        createdBy: AnyOf<UUID>? = nil, updatedBy: AnyOf<UUID>? = nil,
        states: Set<LeadStatus> = LeadStatus.defaultVisible, converted: Bool? = nil, createdFrom: Timestamp? = nil,
        createdTo: Timestamp? = nil, updatedFrom: Timestamp? = nil, updatedTo: Timestamp? = nil,
        customFields: [String: CustomFieldValue] = [:], customFieldRanges: [String: CustomFieldRange] = [:],
        hasDeals: Bool? = nil, dealStage: AnyOf<String>? = nil, hasTasks: Bool? = nil, hasOverdueTasks: Bool? = nil
    ) {
        self.step = step
        self.responsible = responsible
        self.tag = tag
        self.source = source
        self.watcher = watcher
        self.customer = customer
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.states = states
        self.converted = converted
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.updatedFrom = updatedFrom
        self.updatedTo = updatedTo
        self.customFields = customFields
        self.customFieldRanges = customFieldRanges
        self.hasDeals = hasDeals
        self.dealStage = dealStage
        self.hasTasks = hasTasks
        self.hasOverdueTasks = hasOverdueTasks
    }

    /// Whether only `states` is constrained (no key, time, custom field, deal, task or converted filter).
    var constrainsOnlyStates: Bool {
        self == LeadFilter(states: states)
    }
}

/// A lead list request.
///
/// ```swift
/// let page = try view.leads(LeadQuery(filter: LeadFilter(step: "new"), q: "jonas", limit: 50), now: now)
/// let next = try view.leads(LeadQuery(filter: LeadFilter(step: "new"), q: "jonas", after: page.next), now: now)
/// ```
public struct LeadQuery: Sendable, Hashable {
    public static let maxLimit = 200

    public var filter: LeadFilter
    /// Search text: every token must match a name/company/e-mail word by prefix, or a phone (see `LeadSearch`).
    public var q: String?
    public var sort: LeadSort
    public var order: PageOrder
    public var after: LeadCursor?
    /// Rows per page, clamped to 1…200.
    public var limit: Int
    public var includeTotal: Bool
    /// A manager who may not read all leads: only leads they are responsible for or watch are returned.
    public var visibleTo: UUID?

    public init(
        filter: LeadFilter = LeadFilter(), q: String? = nil, sort: LeadSort = .updated,
        order: PageOrder = .descending, after: LeadCursor? = nil, limit: Int = 50, includeTotal: Bool = false,
        visibleTo: UUID? = nil
    ) {
        self.filter = filter
        self.q = q
        self.sort = sort
        self.order = order
        self.after = after
        self.limit = limit
        self.includeTotal = includeTotal
        self.visibleTo = visibleTo
    }
}

/// One page of a lead list.
public struct LeadPage: Sendable, Hashable {
    /// The page's leads as records: a reference per lead, not a copy of its state.
    public let records: [LeadRecord]
    /// The cursor for the next page; `nil` on the last page.
    public var next: LeadCursor?
    /// How many leads match in all (when asked for).
    public var total: Int?

    /// The page's lead states (copied out of the records).
    public var rows: [LeadState] { records.map(\.state) }

    public init(rows: [LeadState], next: LeadCursor?, total: Int?) {
        self.init(records: rows.map(LeadRecord.init(state:)), next: next, total: total)
    }

    init(records: [LeadRecord], next: LeadCursor?, total: Int?) {
        self.records = records
        self.next = next
        self.total = total
    }

    /// Pages are equal when they hold equal leads, cursors and totals.
    public static func == (a: LeadPage, b: LeadPage) -> Bool {
        a.next == b.next && a.total == b.total && a.records.count == b.records.count
            && zip(a.records, b.records).allSatisfy { $0 === $1 || $0.state == $1.state }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(next)
        hasher.combine(total)
        for record in records { hasher.combine(record.state) }
    }
}
