import Foundation

/// A deal (opportunity): the fold of its stream `deal-<id>`.
public struct DealState: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    /// `DealAmount.canonical` text.
    public var amount: String
    public var currency: String
    public var stage: String
    /// Open while on an open stage; won or lost once it entered such a stage (until reopened).
    public var outcome: DealStageKind
    /// The deal's own chance of winning; nil follows the stage's (`probability(in:)`).
    public var probability: Int64?
    public var expectedCloseAt: Timestamp?
    public var responsible: UUID
    public var leadId: UUID?
    public var customerId: UUID?
    public var lostReason: String?
    /// When it was won or lost (nil while open).
    public var closedAt: Timestamp?
    public var deleted: Bool
    /// Follow-up work on the deal (the same tasks as a lead's, `TaskRules`).
    public var tasks: [LeadTask]
    public var createdBy: UUID
    public var createdAt: Timestamp
    public var updatedBy: UUID
    public var updatedAt: Timestamp
    public var version: UInt64

    public init(created e: DealCreated, outcome: DealStageKind = .open) {
        id = e.dealId
        name = e.name
        amount = e.amount
        currency = e.currency
        stage = e.stage
        self.outcome = outcome
        probability = e.probability
        expectedCloseAt = e.expectedCloseAt
        responsible = e.responsible
        leadId = e.leadId
        customerId = e.customerId
        lostReason = nil
        closedAt = nil
        deleted = false
        tasks = []
        createdBy = e.by
        createdAt = e.at
        updatedBy = e.by
        updatedAt = e.at
        version = 1
    }

    /// The chance of winning: the deal's own, else its stage's (0 when the stage is unknown); 100 once won and
    /// 0 once lost.
    public func probability(in settings: SettingsState) -> Int64 {
        switch outcome {
        case .won: return 100
        case .lost: return 0
        case .open: return probability ?? settings.dealStages.first { $0.key == stage }?.probability ?? 0
        }
    }

    /// Folds one event into a deal's state. Pure; other events leave the state unchanged.
    public static func evolve(_ state: DealState?, _ event: DomainEvent) -> DealState? {
        if case .dealCreated(let e) = event { return DealState(created: e) }
        guard var deal = state, event.dealId == deal.id else { return state }
        switch event {
        case .dealUpdated(let e):
            let c = e.changes
            if let change = c.name { deal.name = change.to }
            if let change = c.amount { deal.amount = change.to }
            if let change = c.currency { deal.currency = change.to }
            if let change = c.probability { deal.probability = change.to }
            if let change = c.expectedCloseAt { deal.expectedCloseAt = change.to }
            if let change = c.responsible { deal.responsible = change.to }
            if let change = c.leadId { deal.leadId = change.to }
            if let change = c.customerId { deal.customerId = change.to }
        case .dealStageMoved(let e): deal.stage = e.to
        case .dealWon(let e):
            deal.stage = e.to
            deal.outcome = .won
            deal.closedAt = e.at
            deal.lostReason = nil
        case .dealLost(let e):
            deal.stage = e.to
            deal.outcome = .lost
            deal.closedAt = e.at
            deal.lostReason = e.reason
        case .dealReopened(let e):
            deal.stage = e.to
            deal.outcome = .open
            deal.closedAt = nil
            deal.lostReason = nil
        case .dealDeleted: deal.deleted = true
        case .dealRestored: deal.deleted = false
        case .dealTaskAdded, .dealTaskUpdated, .dealTaskReassigned, .dealTaskClosed, .dealTaskReopened, .dealTaskDeleted:
            if let change = event.taskChange { deal.tasks.apply(change, at: event.at, by: event.by) }
        default: return state
        }
        deal.version += 1
        deal.updatedAt = event.payload.at
        deal.updatedBy = event.payload.by
        return deal
    }

    /// Folds a whole stream (oldest first).
    public static func replay(_ events: some Sequence<DomainEvent>) -> DealState? { events.reduce(nil, evolve) }
}

extension DomainEvent {
    /// The deal a deal event is about.
    public var dealId: UUID? {
        switch self {
        case .dealCreated(let e): e.dealId
        case .dealUpdated(let e): e.dealId
        case .dealStageMoved(let e): e.dealId
        case .dealWon(let e): e.dealId
        case .dealLost(let e): e.dealId
        case .dealReopened(let e): e.dealId
        case .dealDeleted(let e): e.dealId
        case .dealRestored(let e): e.dealId
        case .dealTaskAdded(let e): e.dealId
        case .dealTaskUpdated(let e): e.dealId
        case .dealTaskReassigned(let e): e.dealId
        case .dealTaskClosed(let e): e.dealId
        case .dealTaskReopened(let e): e.dealId
        case .dealTaskDeleted(let e): e.dealId
        default: nil
        }
    }
}
