import Foundation
import LeadDomain

/// One committed event as the projections see it: the decoded domain event with its place in the log.
///
/// The runtime builds it from a `RecordedEvent` (decoding the payload with `DomainEvent.decode`) and hands
/// it to the projection store (`ProjectionDatabase.apply(_:)`) in position order; an event at or before the store's
/// position is skipped, so each is applied once.
public struct AppliedEvent: Sendable, Hashable {
    /// 1-based global position in the log.
    public var position: UInt64
    public var streamId: String
    /// 1-based version of the event within its stream.
    public var streamVersion: UInt64
    /// When the log recorded it, µs since 1970 (the envelope's `recordedAt`).
    public var recordedAt: Int64
    /// The envelope's `metadata.actor` (e.g. `"admin-<uuid>"` or `"system:import"`).
    public var actor: String
    public var event: DomainEvent

    public init(
        position: UInt64, streamId: String, streamVersion: UInt64, recordedAt: Int64, actor: String,
        event: DomainEvent
    ) {
        self.position = position
        self.streamId = streamId
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.actor = actor
        self.event = event
    }
}
