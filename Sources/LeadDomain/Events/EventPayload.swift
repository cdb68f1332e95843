import Foundation

/// What every event payload struct is: a Codable value that knows its kind, when it happened and who caused it.
public protocol EventPayload: Sendable, Hashable, Codable {
    /// The event type (its name is the `typeName` stored in the log).
    static var kind: EventKind { get }
    /// When the event happened (from the injected clock of the command that caused it).
    var at: Timestamp { get }
    /// The admin who caused the event.
    var by: UUID { get }
    /// The payload wrapped as a `DomainEvent`.
    var event: DomainEvent { get }
}
