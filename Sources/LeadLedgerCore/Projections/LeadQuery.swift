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

/// Filters of a lead list; every given filter must hold (AND).
public struct LeadFilter: Sendable, Hashable, Codable {
    public var step: String?
    public var responsible: UUID?
    /// A tag name, compared by `TagName.key`.
    public var tag: String?
    public var source: String?
    public var watcher: UUID?
    /// The linked customer.
    public var customer: UUID?
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

    public init(
        step: String? = nil, responsible: UUID? = nil, tag: String? = nil, source: String? = nil,
        watcher: UUID? = nil, customer: UUID? = nil, states: Set<LeadStatus> = LeadStatus.defaultVisible,
        converted: Bool? = nil, createdFrom: Timestamp? = nil, createdTo: Timestamp? = nil,
        updatedFrom: Timestamp? = nil, updatedTo: Timestamp? = nil, customFields: [String: CustomFieldValue] = [:]
    ) {
        self.step = step
        self.responsible = responsible
        self.tag = tag
        self.source = source
        self.watcher = watcher
        self.customer = customer
        self.states = states
        self.converted = converted
        self.createdFrom = createdFrom
        self.createdTo = createdTo
        self.updatedFrom = updatedFrom
        self.updatedTo = updatedTo
        self.customFields = customFields
    }

    /// Whether only `states` is constrained (no key, time, custom field or converted filter).
    var constrainsOnlyStates: Bool {
        step == nil && responsible == nil && tag == nil && source == nil && watcher == nil && customer == nil
            && converted == nil && createdFrom == nil && createdTo == nil && updatedFrom == nil && updatedTo == nil
            && customFields.isEmpty
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
