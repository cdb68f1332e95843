import Foundation

/// The rules of customers: contact data validated like a lead's.
public enum CustomerDecider {
    /// Decides the events of `command` on the customer in `state` (`nil`: it does not exist).
    public static func decide(_ state: CustomerState?, _ command: CustomerCommand, context c: DecisionContext)
        throws(DomainError) -> Decision
    {
        let limits = c.settings.fieldLimits
        var v = FieldValidator(limits: limits)
        switch command {
        case .register(let customerId, let fullName, let company, let phones, let emails, let address):
            if state != nil { throw DomainError(.alreadyExists, "A customer with id \(customerId) already exists") }
            let name = v.text(fullName, field: "fullName", limit: limits.name, required: true) ?? ""
            let company = v.text(company, field: "company", limit: limits.name)
            let phones = v.phones(phones)
            let emails = v.emails(emails)
            let address = v.address(address)
            try v.check()
            let event = CustomerRegistered(
                customerId: customerId, fullName: name, company: company, phones: phones, emails: emails,
                address: address, at: c.now, by: c.actor)
            return Decision(streamID: StreamID.customer(customerId), events: [.customerRegistered(event)])
        case .update(let fullName, let company, let phones, let emails, let address):
            guard let customer = state else { throw DomainError(.customerNotFound, "The customer does not exist") }
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
                streamID: StreamID.customer(customer.id),
                events: [
                    .customerUpdated(CustomerUpdated(customerId: customer.id, changes: changes, at: c.now, by: c.actor))
                ])
        }
    }
}
