/// The outcome of a command: events per stream, to be appended atomically (all or none), in this order.
///
/// Most commands touch one stream; a conversion also registers a customer, a merge also marks every source.
/// An empty decision means the command changed nothing (idempotent repeat): append nothing.
public struct Decision: Sendable, Hashable {
    public var streams: [StreamEvents]

    public init(_ streams: [StreamEvents] = []) { self.streams = streams.filter { !$0.events.isEmpty } }

    /// A decision for one stream.
    public init(streamID: String, events: [DomainEvent]) {
        self.init([StreamEvents(streamID: streamID, events: events)])
    }

    /// Whether nothing is to be appended.
    public var isEmpty: Bool { streams.isEmpty }

    /// Every event, stream by stream.
    public var events: [DomainEvent] { streams.flatMap(\.events) }

    /// The events for one stream (empty if none).
    public func events(for streamID: String) -> [DomainEvent] {
        streams.first { $0.streamID == streamID }?.events ?? []
    }
}

/// Events to append to one stream.
public struct StreamEvents: Sendable, Hashable {
    public var streamID: String
    public var events: [DomainEvent]

    public init(streamID: String, events: [DomainEvent]) {
        self.streamID = streamID
        self.events = events
    }
}
