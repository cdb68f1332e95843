import Foundation
import LeadDomain

extension ProjectionView {
    /// The deal with `id` (deleted ones included), nil when it does not exist.
    public func deal(_ id: UUID) throws -> DealState? {
        try withUnsafeBytes(of: id.uuid) { key in
            try txn.get(dbs.deals, key: key) { try JSONDecoder().decode(DealState.self, from: Data($0)) }
        }
    }

    /// Whether a manager who may not read all leads reaches a deal: one they are responsible for, or one of a
    /// lead they are responsible for or watch (`lead`: the deal's lead, when the caller has read it already).
    public func reaches(deal: DealState, admin: UUID, lead: LeadState?? = nil) throws -> Bool {
        if deal.responsible == admin { return true }
        guard let leadId = deal.leadId, let lead = try lead ?? self.lead(leadId) else { return false }
        return lead.isOwnedOrWatched(by: admin)
    }

    /// The deals of a lead that are not deleted, by id.
    public func deals(ofLead leadId: UUID) throws -> [DealState] { try deals(.dealsByLead, leadId) }

    /// The deals of a customer that are not deleted, by id.
    public func deals(ofCustomer customerId: UUID) throws -> [DealState] { try deals(.dealsByCustomer, customerId) }

    private func deals(_ tag: StoreSchema.OrderTag, _ owner: UUID) throws -> [DealState] {
        var prefix = StoreKey(tag.rawValue)
        prefix.uuid(owner)
        var result: [DealState] = []
        try forEach(dbs.order, prefix: prefix) { key, _ in
            if let deal = try deal(StoreKeyReader(key).trailingUUID()) { result.append(deal) }
            return true
        }
        return result
    }
}

extension ProjectionView {
    /// Every deal, deleted ones included, in id order; `body` answers whether to go on.
    public func forEachDeal(_ body: (DealState) throws -> Bool) throws {
        let decoder = JSONDecoder()
        try txn.withCursor(dbs.deals) { cursor in
            try cursor.scan(from: nil) { _, value in try body(try decoder.decode(DealState.self, from: Data(value))) }
        }
    }
}
