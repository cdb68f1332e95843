import Foundation

/// Commands on customers: registering one directly (conversion registers through `LeadDecider`), updating,
/// putting a person in a company, deleting and restoring.
public enum CustomerCommand: Sendable, Hashable {
    case register(CustomerInput)
    /// `nil` leaves a field as it is; an empty string, list or address clears it (the full name cannot be cleared).
    case update(fullName: String?, company: String?, phones: [String]?, emails: [String]?, address: Address?)
    /// Put a person in a company customer (`nil`: in none).
    case setCompany(UUID?)
    /// Soft-delete (restorable); leads and deals keep their link.
    case delete(reason: String?)
    case restore

    /// The customers `decide` needs in `RelatedStates.customers` (the company a person is put in).
    public var relatedCustomerIds: [UUID] {
        switch self {
        case .register(let input): [input.companyId].compactMap { $0 }
        case .setCompany(let company): [company].compactMap { $0 }
        default: []
        }
    }
}

/// A new customer.
public struct CustomerInput: Sendable, Hashable {
    public var customerId: UUID
    public var kind: CustomerKind
    public var fullName: String
    public var company: String?
    /// The company customer a person belongs to.
    public var companyId: UUID?
    public var phones: [String]
    public var emails: [String]
    public var address: Address?

    public init(
        customerId: UUID, kind: CustomerKind = .person, fullName: String, company: String? = nil, companyId: UUID? = nil,
        phones: [String] = [], emails: [String] = [], address: Address? = nil
    ) {
        self.customerId = customerId
        self.kind = kind
        self.fullName = fullName
        self.company = company
        self.companyId = companyId
        self.phones = phones
        self.emails = emails
        self.address = address
    }
}
