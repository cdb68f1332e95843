import EventLog
import LeadDomain

extension AppliedEvent {
    /// Decodes a stored event (upcasting old schema versions) into what projections and history consume.
    /// Throws `LedgerError.undecodableEvent` naming the position.
    public init(recorded r: RecordedEvent) throws(LedgerError) {
        let event: DomainEvent
        do {
            event = try DomainEvent.decode(type: r.type, schemaVersion: r.schemaVersion, payload: r.payload)
        } catch {
            throw LedgerError.undecodable(position: r.position, type: r.type, reason: error.description)
        }
        self.init(
            position: r.position, streamId: r.streamId, streamVersion: r.streamVersion, recordedAt: r.recordedAt,
            actor: r.metadata.actor, event: event)
    }
}
