import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerCore

@Suite("The projection store's binary form of a lead")
struct LeadRecordCodingTests {
    /// A lead with every property set: the example events folded, then what they leave empty filled in. The store
    /// serves leads in this form: a property it forgot would be lost on every write and rebuild.
    static func richLead() throws -> LeadState {
        let examples = DomainEvent.examples
        guard case .leadCreated(let created)? = examples.first(where: { $0.kind == .leadCreated }) else {
            throw CodingTestError("no LeadCreated example")
        }
        var lead = LeadState(created: created)
        for event in examples where event.leadId == created.leadId && event.kind != .leadCreated && event.kind != .leadMergedInto {
            lead = LeadState.evolve(lead, event) ?? lead
        }
        return lead
    }

    @Test("a lead written and read back is the same value, and the fixture leaves no property empty")
    func roundTrip() throws {
        var lead = try Self.richLead()
        // What the examples leave at its default, set here so that every property is covered.
        lead.mergedInto = lead.mergedInto ?? UUID()
        lead.deleted = true
        lead.deletedWithDeals = lead.deletedWithDeals.isEmpty ? [UUID()] : lead.deletedWithDeals
        lead.converted = true
        lead.pausedUntil = lead.pausedUntil ?? Timestamp(microseconds: 1_800_000_000_000_000)
        lead.linkedCustomer = lead.linkedCustomer ?? UUID()
        lead.comment = lead.comment ?? "Звонить после 18:00"
        let empty = Mirror(reflecting: lead).children.compactMap { child -> String? in
            let value = child.value
            if let optional = value as? any OptionalProtocol, optional.isNone { return child.label }
            if let collection = value as? any Collection, collection.isEmpty { return child.label }
            return nil
        }
        #expect(empty.isEmpty, "set these in the fixture so the round trip covers them: \(empty)")

        var writer = BinaryWriter()
        writer.write(lead: lead)
        var reader = BinaryReader(writer.bytes)
        #expect(try reader.readLead() == lead)
    }
}

protocol OptionalProtocol { var isNone: Bool { get } }
extension Optional: OptionalProtocol { var isNone: Bool { self == nil } }

struct CodingTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
