import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore

extension Importer {
    /// Undoes a completed import: every lead it created is soft-deleted, every lead it updated gets its fields,
    /// step, responsible and tags back as they were before, each only where the lead still holds what the import
    /// left (`RevertibleChanges`). Reverting again answers the first revert; a revert interrupted part way resumes.
    ///
    /// - Throws: `ImportError` `notFound` (no such import), `notCompleted` (still running, or interrupted: run it
    ///   again with the same key first).
    public func revert(_ id: UUID, actor: UUID) async throws -> ImportReverted {
        guard let job = try ledger.importJob(id) else {
            throw ImportError(field: "id", code: "notFound", message: "no import \(id.uuidString.lowercased())")
        }
        if let reverted = job.reverted { return reverted }
        guard let completedPosition = job.completedPosition else {
            throw ImportError(
                field: "id", code: "notCompleted",
                message: "the import has not completed; run it again with the same key to finish it, then revert")
        }
        // What the import did, lead by lead, from its own events (its id is their correlation id).
        var created: [UUID] = []
        var updated: [UUID: RevertibleChanges] = [:]
        var order: [UUID] = []
        try ledger.forEachEvent(correlatedWith: id, from: job.startedPosition, through: completedPosition) { _, event in
            guard event.kind.streamKind == .lead, let leadId = event.leadId else { return }
            if case .leadCreated = event {
                created.append(leadId)
            } else if updated[leadId] == nil {
                var changes = RevertibleChanges()
                changes.add(event)
                updated[leadId] = changes
                order.append(leadId)
            } else {
                updated[leadId]!.add(event)
            }
        }
        let createdSet = Set(created)
        var items: [LeadBatchItem] = []
        var changesOf: [RevertibleChanges] = []
        var deleteChange = RevertibleChanges()
        deleteChange.created = true
        for leadId in created {
            changesOf.append(deleteChange)
            items.append(revertItem(leadId, deleteChange, id: id, index: items.count))
        }
        for leadId in order where !createdSet.contains(leadId) {
            let changes = updated[leadId]!
            changesOf.append(changes)
            items.append(revertItem(leadId, changes, id: id, index: items.count))
        }
        let correlationId = Ledger.derivedId(actor: actor, key: "import:\(id):revert")
        var outcomes: [LeadBatchOutcome] = []
        var position: UInt64?
        while outcomes.count < items.count {
            let (done, last) = try await ledger.executeBatch(
                items[outcomes.count...], actor: actor, correlationId: correlationId, checkStored: true)
            outcomes += done
            position = last ?? position
        }
        var deleted = 0
        var reverted = 0
        var conflicts = 0
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .applied(let before, _, _), .unchanged(let before):
                if case .applied = outcome { if changesOf[index].created { deleted += 1 } else { reverted += 1 } }
                if let before { conflicts += changesOf[index].revertCommands(before).conflicts }
            case .alreadyStored:
                if changesOf[index].created { deleted += 1 } else { reverted += 1 }
            case .rejected:
                conflicts += 1
            }
        }
        let event = ImportReverted(
            importId: id, deleted: Int64(deleted), reverted: Int64(reverted), conflicts: Int64(conflicts),
            at: ledger.configuration.clock.now(), by: actor)
        try await ledger.appendJobEvent(
            .importReverted(event), actor: actor, eventId: Ledger.derivedId(actor: actor, key: "import:\(id):reverted"),
            expectedVersion: job.version)
        if let position { try await ledger.waitUntilApplied(position) }
        return event
    }

    private func revertItem(_ leadId: UUID, _ changes: RevertibleChanges, id: UUID, index: Int) -> LeadBatchItem {
        LeadBatchItem(leadId: leadId, eventKey: "import:\(id):revert", sequence: UInt32(truncatingIfNeeded: index)) { state in
            guard let state else { return [] }
            return changes.revertCommands(state).commands
        }
    }
}
