import Foundation

/// A customer: the fold of its stream `customer-<id>`.
public struct CustomerState: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var kind: CustomerKind
    /// A person's or a company's name.
    public var fullName: String
    public var company: String?
    /// The company customer a person belongs to.
    public var companyId: UUID?
    public var phones: [PhoneNumber]
    public var emails: [String]
    public var address: Address?
    /// The lead the customer was converted from, if any.
    public var fromLeadId: UUID?
    /// Soft-deleted: hidden from the directory, refusing every command but restore; its leads and deals keep the link.
    public var deleted: Bool
    public var createdBy: UUID
    public var createdAt: Timestamp
    public var updatedBy: UUID
    public var updatedAt: Timestamp
    public var version: UInt64

    /// The state right after a `CustomerRegistered`.
    public init(registered e: CustomerRegistered) {
        id = e.customerId
        kind = e.kind
        fullName = e.fullName
        company = e.company
        companyId = e.companyId
        deleted = false
        phones = e.phones
        emails = e.emails
        address = e.address
        fromLeadId = e.fromLeadId
        createdBy = e.by
        createdAt = e.at
        updatedBy = e.by
        updatedAt = e.at
        version = 1
    }

    /// Folds one event into a customer's state. Pure; other events leave the state unchanged.
    public static func evolve(_ state: CustomerState?, _ event: DomainEvent) -> CustomerState? {
        switch event {
        case .customerRegistered(let e): return CustomerState(registered: e)
        case .customerUpdated(let e):
            return changed(state, e.customerId, e.at, e.by) { customer in
                let c = e.changes
                if let change = c.fullName { customer.fullName = change.to }
                if let change = c.company { customer.company = change.to }
                if let change = c.phones { customer.phones = change.to }
                if let change = c.emails { customer.emails = change.to }
                if let change = c.address { customer.address = change.to }
            }
        case .customerCompanyChanged(let e): return changed(state, e.customerId, e.at, e.by) { $0.companyId = e.to }
        case .customerDeleted(let e): return changed(state, e.customerId, e.at, e.by) { $0.deleted = true }
        case .customerRestored(let e): return changed(state, e.customerId, e.at, e.by) { $0.deleted = false }
        default: return state
        }
    }

    private static func changed(
        _ state: CustomerState?, _ id: UUID, _ at: Timestamp, _ by: UUID, _ change: (inout CustomerState) -> Void
    ) -> CustomerState? {
        guard var customer = state, customer.id == id else { return state }
        change(&customer)
        customer.version += 1
        customer.updatedAt = at
        customer.updatedBy = by
        return customer
    }

    /// Folds a whole stream (oldest first).
    public static func replay(_ events: some Sequence<DomainEvent>) -> CustomerState? { events.reduce(nil, evolve) }
}
