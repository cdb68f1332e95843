import Foundation
import LeadDomain
import LeadLedgerCore

/// A lead in lists (`GET /v1/leads`, kanban columns, watcher views): the card, without notes, actions and tasks.
///
/// Holds the lead's directory record (a reference, not a copy of the state) and the time its `paused` flag is read
/// at; `write(to:)` (Resources+JSONWritable.swift) writes the card straight from the state, and `Encodable` encodes
/// `Fields`, the same card as plain values — the form `JSONWriterTests` holds the writer to, byte for byte.
struct LeadSummaryResource: Encodable, Sendable {
    let record: LeadRecord
    let now: Timestamp

    init(_ record: LeadRecord, now: Timestamp) {
        self.record = record
        self.now = now
    }

    init(_ lead: LeadState, now: Timestamp) {
        self.init(LeadRecord(state: lead), now: now)
    }

    func encode(to encoder: any Encoder) throws { try Fields(record.state, now: now).encode(to: encoder) }

    struct Fields: Encodable, Sendable {
        var id: String
        var fullName: String
        var company: String?
        var phones: [String]
        var emails: [String]
        var source: String
        var step: String
        var responsible: String?
        var priority: String
        var tags: [String]
        var paused: Bool
        var converted: Bool
        var deleted: Bool
        var linkedCustomer: String?
        var createdAt: String
        var updatedAt: String
        var version: UInt64

        init(_ lead: LeadState, now: Timestamp) {
            id = lead.id.lowercased
            fullName = lead.fullName
            company = lead.company
            phones = lead.phones.map(\.typed)
            emails = lead.emails
            source = lead.source
            step = lead.step
            responsible = lead.responsible.lowercased
            priority = lead.priority.rawValue
            tags = lead.tags
            paused = lead.isPaused(at: now)
            converted = lead.converted
            deleted = lead.deleted
            linkedCustomer = lead.linkedCustomer.lowercased
            createdAt = ISOTime.string(lead.createdAt)
            updatedAt = ISOTime.string(lead.updatedAt)
            version = lead.version
        }
    }
}
