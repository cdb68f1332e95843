import Foundation
import Testing

@testable import LeadDomain

/// Shared ids, times and helpers for the domain specifications.
enum Fixture {
    static let admin = UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!
    static let manager = UUID(uuidString: "00000000-0000-0000-0000-0000000000a2")!
    static let leadId = UUID(uuidString: "00000000-0000-0000-0000-00000000001e")!
    static let t0 = Timestamp(microseconds: 1_763_900_000_000_000)

    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }

    static func context(_ settings: SettingsState = .defaults, at seconds: Int64 = 60, actor: UUID = manager)
        -> DecisionContext
    {
        DecisionContext(settings: settings, now: t0.adding(seconds: seconds), actor: actor)
    }

    /// A lead created from `input` at t0 (plus `seconds`).
    static func lead(
        _ id: UUID = leadId, _ input: LeadInput = LeadInput(fullName: "Jonas Jonaitis"),
        settings: SettingsState = .defaults, at seconds: Int64 = 0
    ) throws -> LeadState {
        let decision = try LeadDecider.decide(
            nil, .create(leadId: id, input), context: context(settings, at: seconds, actor: admin))
        return try #require(LeadState.replay(decision.events))
    }

    /// Applies a command, returning the new state and the events it decided.
    @discardableResult
    static func apply(
        _ command: LeadCommand, to state: inout LeadState, settings: SettingsState = .defaults, at seconds: Int64 = 60,
        related: RelatedStates = .none
    ) throws -> [DomainEvent] {
        let decision = try LeadDecider.decide(state, command, context: context(settings, at: seconds), related: related)
        let own = decision.events(for: StreamID.lead(state.id))
        state = own.reduce(state) { LeadState.evolve($0, $1)! }
        return own
    }

    /// The error a throwing decision raises (fails the test if it does not throw a DomainError).
    static func error(_ body: () throws(DomainError) -> Decision) -> DomainError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    /// Settings after applying settings commands (fails if any is refused).
    static func settings(_ commands: [SettingsCommand]) throws -> SettingsState {
        var settings = SettingsState.defaults
        for command in commands {
            let decision = try SettingsDecider.decide(settings, command, context: context(settings, actor: admin))
            settings = decision.events.reduce(settings, SettingsState.evolve)
        }
        return settings
    }
}

extension DomainError {
    /// The field error codes by field path.
    var fieldCodes: [String: String] {
        Dictionary(fieldErrors.map { ($0.field, $0.code.rawValue) }, uniquingKeysWith: { a, _ in a })
    }
}
