import Foundation
import HashTreeCollections
import LeadDomain

/// Customers (`CustomerState` by id) with their linked leads and the leads matching them by e-mail.
///
/// Linked leads come from the lead directory's customer index (live leads); e-mail matches from the duplicate
/// index's e-mail sets, keeping live leads not linked to any customer. Both O(linked + matches).
public struct CustomerDirectory: Sendable, Equatable {
    public private(set) var customers: TreeDictionary<UUID, CustomerState> = [:]

    public init() {}

    public subscript(id: UUID) -> CustomerState? { customers[id] }

    public mutating func apply(_ event: DomainEvent) {
        let id: UUID
        switch event {
        case .customerRegistered(let e): id = e.customerId
        case .customerUpdated(let e): id = e.customerId
        default: return
        }
        customers[id] = CustomerState.evolve(customers[id], event)
    }

    mutating func restore(_ customer: CustomerState) { customers[customer.id] = customer }

    /// Customers ordered by name (folded) then id, after `afterId`'s position.
    public func list(limit: Int = 50, after: UUID? = nil) -> [CustomerState] {
        // O(c log c) per call, names folded once: fine for thousands of customers; index them when that grows.
        let sorted = customers.values.map { (key: SearchText.fold($0.fullName), id: LeadKey($0.id), customer: $0) }
            .sorted { ($0.key, $0.id) < ($1.key, $1.id) }.map(\.customer)
        var start = 0
        if let after, let index = sorted.firstIndex(where: { $0.id == after }) { start = index + 1 }
        return Array(sorted[start..<Swift.min(sorted.count, start + Swift.max(1, Swift.min(limit, 200)))])
    }

    /// Live leads linked to the customer (by linking or conversion), newest update first.
    public func linkedLeads(of customerId: UUID, directory: LeadDirectory) -> [LeadState] {
        directory.byCustomer[customerId].compactMap { directory[$0] }.sorted {
            directory.orderKey($0, .updated) > directory.orderKey($1, .updated)
        }
    }

    /// Live leads not linked to any customer whose e-mail equals one of the customer's (normalized).
    public func leadsMatchingByEmail(
        _ customerId: UUID, directory: LeadDirectory, duplicates: DuplicateIndex
    ) -> [LeadState] {
        guard let customer = customers[customerId] else { return [] }
        var ids = Set<UUID>()
        for email in customer.emails {
            ids.formUnion(duplicates.leads(with: DuplicateKey(kind: .email, value: EmailAddress.normalize(email))))
        }
        return ids.compactMap { directory[$0] }.filter { $0.linkedCustomer == nil }
            .sorted { LeadKey($0.id) < LeadKey($1.id) }
    }
}
