import Foundation

/// States of other aggregates a lead command reads: the source leads of a merge or a data copy, the customer
/// of a link. The service loads the ids `LeadCommand.relatedLeadIds` / `relatedCustomerIds` name; a missing id
/// means "does not exist".
public struct RelatedStates: Sendable, Hashable {
    public var leads: [UUID: LeadState]
    public var customers: [UUID: CustomerState]
    /// The admins a command names (`LeadCommand.relatedAdminIds`, a copied responsible) or, for an admin
    /// command that could leave nobody able to manage admins, every admin. `nil` when the caller did not look
    /// them up: pure tests of other rules, and generators that make up their own admins. The command service
    /// always looks them up, so an unknown or disabled admin is refused there.
    public var admins: [UUID: AdminState]?
    /// Deals by id (a lead deleted or restored with its deals).
    public var deals: [UUID: DealState] = [:]

    public init(
        leads: [UUID: LeadState] = [:], customers: [UUID: CustomerState] = [:], admins: [UUID: AdminState]? = nil
    ) {
        self.leads = leads
        self.customers = customers
        self.admins = admins
    }

    /// Adds a field error to `v` when `id` names no admin, or a disabled one (when admins were looked up).
    func checkAdmin(_ id: UUID?, field: String, _ v: inout FieldValidator) {
        guard let id, let admins else { return }
        guard let admin = admins[id] else {
            v.add(field, .unknownAdmin, "\(field) names no admin (\(id.uuidString.lowercased()))")
            return
        }
        if admin.disabled { v.add(field, .disabledAdmin, "\(field) names a disabled admin") }
    }

    /// No related states.
    public static let none = RelatedStates()

    /// Related leads given as a list.
    public init(leads: [LeadState], customers: [CustomerState] = []) {
        self.leads = Dictionary(leads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.customers = Dictionary(customers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
