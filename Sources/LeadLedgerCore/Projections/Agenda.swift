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
}

/// Whose agenda an action is in: its `admin`, or the admin who logged it when none was given. Agendas hold the
/// open (not completed) actions with a planned time on live (not deleted, not merged) leads; paused and converted
/// leads keep theirs.
enum Agenda {
    static func owner(_ action: LeadAction) -> UUID { action.admin ?? action.createdBy }
}
