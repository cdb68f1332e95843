import Foundation

/// What a decision may read besides the aggregate's state: the settings in force, the time, and who acts.
/// The command service builds it; `decide` never reads a clock.
public struct DecisionContext: Sendable, Hashable {
    public var settings: SettingsState
    /// The time the events will carry (`at`).
    public var now: Timestamp
    /// The admin issuing the command (`by` of every event).
    public var actor: UUID

    public init(settings: SettingsState = .defaults, now: Timestamp, actor: UUID) {
        self.settings = settings
        self.now = now
        self.actor = actor
    }
}
