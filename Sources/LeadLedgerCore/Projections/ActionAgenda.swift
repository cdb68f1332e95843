import Foundation
import HashTreeCollections
import LeadDomain

/// An open planned action in an admin's agenda, ordered by planned time.
public struct PlannedActionKey: Sendable, Hashable, Comparable {
    public var plannedAt: Int64
    public var lead: LeadKey
    public var action: LeadKey

    public static func < (a: PlannedActionKey, b: PlannedActionKey) -> Bool {
        (a.plannedAt, a.lead, a.action) < (b.plannedAt, b.lead, b.action)
    }
}

/// One action in an agenda answer.
public struct AgendaItem: Sendable, Hashable {
    public var leadId: UUID
    public var leadName: String
    public var action: LeadAction
    /// Planned before the start of the day asked about.
    public var overdue: Bool
}

/// Actions for today: `today` planned within the day, `overdue` planned before it; both not completed,
/// oldest planned first.
public struct TodayActions: Sendable, Hashable {
    public var today: [AgendaItem]
    public var overdue: [AgendaItem]
}

/// Per admin, the open (not completed) actions with a planned time on live (not deleted, not merged) leads.
///
/// An action belongs to its `admin`, or to the admin who logged it when none was given. Paused and
/// converted leads keep their actions in the agenda. Indexed per admin by `(plannedAt, lead, action)`, so
/// "actions for today" is a range walk: O(log n + k).
public struct ActionAgenda: Sendable, Equatable {
    private(set) var byAdmin: TreeDictionary<UUID, SortedIndex<PlannedActionKey>> = [:]

    public init() {}

    static func owner(_ action: LeadAction) -> UUID { action.admin ?? action.createdBy }

    private static func entries(_ lead: LeadState?) -> [(UUID, PlannedActionKey)] {
        guard let lead, lead.isLive else { return [] }
        let leadKey = LeadKey(lead.id)
        return lead.actions.compactMap { action in
            guard !action.completed, let planned = action.plannedAt else { return nil }
            return (owner(action), PlannedActionKey(plannedAt: planned.rawValue, lead: leadKey, action: LeadKey(action.id)))
        }
    }

    public mutating func update(from old: LeadState?, to new: LeadState?) {
        if old?.actions == new?.actions && old?.isLive == new?.isLive { return }
        let before = Self.entries(old)
        let after = Self.entries(new)
        for (admin, key) in before where !after.contains(where: { $0 == (admin, key) }) {
            // In place: a copy taken out of the tree and stored back would copy the whole index.
            byAdmin[admin]?.remove(key)
            if byAdmin[admin]?.isEmpty == true { byAdmin[admin] = nil }
        }
        for (admin, key) in after where !before.contains(where: { $0 == (admin, key) }) {
            byAdmin[admin, default: SortedIndex()].insert(key)
        }
    }

    /// The actions of `admin` planned on the day of `now` (in the time zone `utcOffsetSeconds` east of UTC) and
    /// the overdue ones (planned before that day; at most `overdueLimit`, oldest first). With `visibleTo`, only
    /// actions on leads that admin is responsible for or watches.
    public func actionsForToday(
        admin: UUID, now: Timestamp, utcOffsetSeconds: Int64 = 0, overdueLimit: Int = 200, visibleTo: UUID? = nil,
        directory: LeadDirectory
    ) -> TodayActions {
        let day: Int64 = 86_400_000_000
        let offset = utcOffsetSeconds * 1_000_000
        let local = now.rawValue + offset
        let dayStart = (local >= 0 ? local / day : (local - day + 1) / day) * day - offset
        let dayEnd = dayStart + day
        var today: [AgendaItem] = []
        var overdue: [AgendaItem] = []
        byAdmin[admin]?.forEach { key in
            guard key.plannedAt < dayEnd else { return false }
            let isOverdue = key.plannedAt < dayStart
            if isOverdue && overdue.count >= overdueLimit { return true }
            let leadId = key.lead.uuid
            let actionId = key.action.uuid
            guard let lead = directory[leadId], visibleTo.map(lead.isOwnedOrWatched) ?? true,
                let action = lead.actions.first(where: { $0.id == actionId })
            else { return true }
            let item = AgendaItem(leadId: leadId, leadName: lead.fullName, action: action, overdue: isOverdue)
            if isOverdue { overdue.append(item) } else { today.append(item) }
            return true
        }
        return TodayActions(today: today, overdue: overdue)
    }

    /// Number of open planned actions per admin.
    public var openCounts: [UUID: Int] {
        var counts: [UUID: Int] = [:]
        for (admin, index) in byAdmin { counts[admin] = index.count }
        return counts
    }
}
