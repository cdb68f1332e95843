import Foundation
import LeadDomain

/// What reports need about a lead beyond its current state: the history-derived part.
public struct LeadFacts: Sendable, Hashable {
    /// Every step the lead was created on or ever marked on, in the order first reached.
    public var reached: [String]
    /// When the lead arrived on its current step (creation or the last step change).
    public var stepEnteredAt: Timestamp
    /// When the lead was converted (the first conversion).
    public var convertedAt: Timestamp?

    public init(reached: [String], stepEnteredAt: Timestamp, convertedAt: Timestamp? = nil) {
        self.reached = reached
        self.stepEnteredAt = stepEnteredAt
        self.convertedAt = convertedAt
    }

    /// Folds one lead event into the facts, like `LeadState.evolve`.
    public static func evolve(_ facts: LeadFacts?, _ event: DomainEvent) -> LeadFacts? {
        switch event {
        case .leadCreated(let e): return LeadFacts(reached: [e.step], stepEnteredAt: e.at)
        case .leadStepMarked(let e):
            guard var facts else { return nil }
            if !facts.reached.contains(e.to) { facts.reached.append(e.to) }
            facts.stepEnteredAt = e.at
            return facts
        case .leadConverted(let e):
            guard var facts else { return nil }
            if facts.convertedAt == nil { facts.convertedAt = e.at }
            return facts
        default: return facts
        }
    }
}
