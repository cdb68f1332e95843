import Foundation

/// The stream version an append expects to find, checked inside the write transaction.
///
/// ```swift
/// try await log.append(events, to: "lead-42", expectedVersion: .exact(3))
/// ```
public enum ExpectedVersion: Sendable, Hashable {
    /// No check: append whatever the stream's version is.
    case any
    /// The stream must not exist yet (version 0).
    case noStream
    /// The stream's current version must be exactly this (1-based; the version of its last event).
    case exact(UInt64)
}

/// Who caused an event and why: recorded with every event, never interpreted by the log.
public struct EventMetadata: Sendable, Hashable, Codable {
    /// The admin (or system component) that issued the command, e.g. `"admin-7"` or `"system:import"`.
    public var actor: String
    /// Groups the events of one request or workflow.
    public var correlationId: UUID?
    /// The event or command that directly caused this one.
    public var causationId: UUID?

    public init(actor: String, correlationId: UUID? = nil, causationId: UUID? = nil) {
        self.actor = actor
        self.correlationId = correlationId
        self.causationId = causationId
    }
}

/// An event offered to the log: everything but the positions, which the log assigns.
public struct ProposedEvent: Sendable, Hashable {
    /// Unique per event; re-appending an id that is already stored is answered with the original positions.
    /// Defaults to `UUID.v7()` (time-ordered: the event-id index then grows at its right edge); ids derived
    /// from idempotency keys may be any UUID.
    public var id: UUID
    /// Event type name, e.g. `"LeadCreated"`.
    public var type: String
    /// Version of the payload's schema (`schemas/events/<type>.v<N>.json`).
    public var schemaVersion: UInt16
    /// When the event happened, in microseconds since 1970 (from the injected clock, never from the log).
    public var recordedAt: Int64
    public var metadata: EventMetadata
    /// The event's JSON form (UTF-8). The log compresses it; readers get these exact bytes back.
    public var payload: [UInt8]

    public init(
        id: UUID = .v7(), type: String, schemaVersion: UInt16 = 1, recordedAt: Int64,
        metadata: EventMetadata, payload: [UInt8]
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.metadata = metadata
        self.payload = payload
    }
}

/// An event as stored: the proposed event plus its stream, stream version and global position.
public struct RecordedEvent: Sendable, Hashable {
    public var id: UUID
    public var streamId: String
    /// 1-based version of the event within its stream (gapless per stream).
    public var streamVersion: UInt64
    /// 1-based global position (gapless over the whole log).
    public var position: UInt64
    public var type: String
    public var schemaVersion: UInt16
    public var recordedAt: Int64
    public var metadata: EventMetadata
    /// Decompressed JSON payload.
    public var payload: [UInt8]

    public init(
        id: UUID, streamId: String, streamVersion: UInt64, position: UInt64, type: String,
        schemaVersion: UInt16, recordedAt: Int64, metadata: EventMetadata, payload: [UInt8]
    ) {
        self.id = id
        self.streamId = streamId
        self.streamVersion = streamVersion
        self.position = position
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.metadata = metadata
        self.payload = payload
    }
}

/// What an acknowledged append wrote (or, for a re-sent batch, had written before).
public struct AppendResult: Sendable, Hashable {
    public var streamId: String
    /// Global position of the batch's first and last event.
    public var firstPosition: UInt64
    public var lastPosition: UInt64
    /// The stream's version after the batch (the version of its last event).
    public var streamVersion: UInt64
    /// True when every event id was already stored and nothing was written.
    public var alreadyStored: Bool

    public init(
        streamId: String, firstPosition: UInt64, lastPosition: UInt64, streamVersion: UInt64, alreadyStored: Bool
    ) {
        self.streamId = streamId
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.streamVersion = streamVersion
        self.alreadyStored = alreadyStored
    }
}
