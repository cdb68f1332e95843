import Foundation

/// A customer: the fold of its stream `customer-<id>`.
public struct CustomerState: Sendable, Hashable, Codable, Identifiable {
    public var id: UUID
    public var fullName: String
    public var company: String?
    public var phones: [PhoneNumber]
    public var emails: [String]
    public var address: Address?
    /// The lead the customer was converted from, if any.
    public var fromLeadId: UUID?
    public var createdBy: UUID
    public var createdAt: Timestamp
    public var updatedBy: UUID
    public var updatedAt: Timestamp
    public var version: UInt64

    /// The state right after a `CustomerRegistered`.
    public init(registered e: CustomerRegistered) {
        id = e.customerId
        fullName = e.fullName
        company = e.company
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
            guard var customer = state, customer.id == e.customerId else { return state }
            let c = e.changes
            if let change = c.fullName { customer.fullName = change.to }
            if let change = c.company { customer.company = change.to }
            if let change = c.phones { customer.phones = change.to }
            if let change = c.emails { customer.emails = change.to }
            if let change = c.address { customer.address = change.to }
            customer.version += 1
            customer.updatedAt = e.at
            customer.updatedBy = e.by
            return customer
        default: return state
        }
    }

    /// Folds a whole stream (oldest first).
    public static func replay(_ events: some Sequence<DomainEvent>) -> CustomerState? { events.reduce(nil, evolve) }
}
