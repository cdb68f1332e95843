import LeadDomain
import LeadLedgerCore

/// One entry of a lead's history: who did what, when, at which log position.
struct HistoryResource: Encodable, Sendable {
    var position: UInt64
    var recordedAt: String
    var actor: String
    var type: String
    var summary: String
    var changes: [FieldChange]

    init(_ entry: HistoryEntry) {
        position = entry.position
        recordedAt = ISOTime.string(Timestamp(rawValue: entry.recordedAt))
        actor = entry.actor
        type = entry.type
        summary = entry.summary
        changes = entry.changes
    }
}
