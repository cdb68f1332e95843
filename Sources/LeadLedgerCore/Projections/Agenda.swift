import Foundation
import LeadDomain

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
    /// The admin's open tasks due within the day, and those due before it (at most the overdue limit).
    public var tasksToday: [TaskItem] = []
    public var tasksOverdue: [TaskItem] = []
}

/// Whose agenda an action is in: its `admin`, or the admin who logged it when none was given. Agendas hold the
/// open (not completed) actions with a planned time on live (not deleted, not merged) leads; paused and converted
/// leads keep theirs.
enum Agenda {
    static func owner(_ action: LeadAction) -> UUID { action.admin ?? action.createdBy }
}

/// The local day holding a moment, at a fixed UTC offset: `[start, end)` in µs since 1970.
public struct LocalDay: Sendable, Hashable {
    public var start: Timestamp
    public var end: Timestamp

    public init(of now: Timestamp, utcOffsetSeconds: Int64) {
        let day: Int64 = 86_400_000_000
        let offset = utcOffsetSeconds * 1_000_000
        let local = now.rawValue + offset
        let dayStart = (local >= 0 ? local / day : (local - day + 1) / day) * day - offset
        start = Timestamp(rawValue: dayStart)
        end = Timestamp(rawValue: dayStart + day)
    }
}
