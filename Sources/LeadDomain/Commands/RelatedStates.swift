import Foundation

/// States of other aggregates a lead command reads: the source leads of a merge or a data copy, the customer
/// of a link. The service loads the ids `LeadCommand.relatedLeadIds` / `relatedCustomerIds` name; a missing id
/// means "does not exist".
public struct RelatedStates: Sendable, Hashable {
    public var leads: [UUID: LeadState]
    public var customers: [UUID: CustomerState]

    public init(leads: [UUID: LeadState] = [:], customers: [UUID: CustomerState] = [:]) {
        self.leads = leads
        self.customers = customers
    }

    /// No related states.
    public static let none = RelatedStates()

    /// Related leads given as a list.
    public init(leads: [LeadState], customers: [CustomerState] = []) {
        self.leads = Dictionary(leads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.customers = Dictionary(customers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
