import Foundation

/// The rules of customers: contact data validated like a lead's; a person may belong to a company customer that
/// exists and is not deleted; a deleted customer refuses every command but restore.
public enum CustomerDecider {
    /// Decides the events of `command` on the customer in `state` (`nil`: it does not exist).
    public static func decide(
        _ state: CustomerState?, _ command: CustomerCommand, context c: DecisionContext, related: RelatedStates = .none
    ) throws(DomainError) -> Decision {
        let limits = c.settings.fieldLimits
        var v = FieldValidator(limits: limits)
        if case .register(let input) = command {
            if state != nil { throw DomainError(.alreadyExists, "A customer with id \(input.customerId) already exists") }
            let name = v.text(input.fullName, field: "fullName", limit: limits.name, required: true) ?? ""
            let company = v.text(input.company, field: "company", limit: limits.name)
            let phones = v.phones(input.phones)
            let emails = v.emails(input.emails)
            let address = v.address(input.address)
            checkCompany(input.companyId, of: input.customerId, kind: input.kind, related, &v)
            try v.check()
            let event = CustomerRegistered(
                customerId: input.customerId, kind: input.kind, fullName: name, company: company,
                companyId: input.companyId, phones: phones, emails: emails, address: address, at: c.now, by: c.actor)
            return Decision(streamID: StreamID.customer(input.customerId), events: [.customerRegistered(event)])
        }
        guard let customer = state else { throw DomainError(.customerNotFound, "The customer does not exist") }
        let stream = StreamID.customer(customer.id)
        if customer.deleted, command != .restore {
            throw DomainError(.customerDeleted, "The customer is deleted; restore it first")
        }
        switch command {
        case .register: return Decision()
        case .update(let fullName, let company, let phones, let emails, let address):
            var changes = CustomerFieldChanges()
            if let fullName {
                changes.fullName = .between(
                    customer.fullName, v.text(fullName, field: "fullName", limit: limits.name, required: true) ?? "")
            }
            if let company {
                changes.company = .between(customer.company, v.text(company, field: "company", limit: limits.name))
            }
            if let phones { changes.phones = .between(customer.phones, v.phones(phones)) }
            if let emails { changes.emails = .between(customer.emails, v.emails(emails)) }
            if let address { changes.address = .between(customer.address, v.address(address)) }
            try v.check()
            guard !changes.isEmpty else { return Decision() }
            return Decision(
                streamID: stream,
                events: [.customerUpdated(CustomerUpdated(customerId: customer.id, changes: changes, at: c.now, by: c.actor))])
        case .setCompany(let company):
            checkCompany(company, of: customer.id, kind: customer.kind, related, &v)
            try v.check()
            guard company != customer.companyId else { return Decision() }
            return Decision(
                streamID: stream,
                events: [
                    .customerCompanyChanged(
                        CustomerCompanyChanged(customerId: customer.id, from: customer.companyId, to: company, at: c.now, by: c.actor))
                ])
        case .delete(let reason):
            let reason = v.text(reason, field: "reason", limit: limits.comment, multiline: true)
            try v.check()
            return Decision(
                streamID: stream,
                events: [.customerDeleted(CustomerDeleted(customerId: customer.id, reason: reason, at: c.now, by: c.actor))])
        case .restore:
            guard customer.deleted else { return Decision() }
            return Decision(
                streamID: stream, events: [.customerRestored(CustomerRestored(customerId: customer.id, at: c.now, by: c.actor))])
        }
    }

    /// A person's company must be a company customer that exists, is not deleted and is not the person; a company
    /// belongs to no company.
    private static func checkCompany(
        _ companyId: UUID?, of id: UUID, kind: CustomerKind, _ related: RelatedStates, _ v: inout FieldValidator
    ) {
        guard let companyId else { return }
        if kind == .company {
            v.add("companyId", .invalidValue, "a company does not belong to a company")
            return
        }
        guard companyId != id, let company = related.customers[companyId], !company.deleted else {
            v.add("companyId", .notFound, "companyId names no customer (\(companyId.uuidString.lowercased()))")
            return
        }
        if company.kind != .company { v.add("companyId", .invalidValue, "companyId names a person, not a company") }
    }
}
