import Foundation

extension LeadDecider {
    /// Converts a lead on the last active step: registers a customer from the lead's data on
    /// `customer-<customerId>`, links it and marks the lead converted. A lead already linked to a customer is
    /// converted into that customer (no new registration).
    static func convert(_ lead: LeadState, customerId: UUID, _ c: DecisionContext) throws(DomainError) -> Decision {
        if lead.converted { throw DomainError(.alreadyConverted, "The lead is already converted") }
        guard lead.step == c.settings.conversionStep else {
            throw DomainError(
                .notOnLastStep, "Only a lead on the last step (\(c.settings.conversionStep ?? "none")) can be converted"
            )
        }
        let leadStream = StreamID.lead(lead.id)
        if let linked = lead.linkedCustomer {
            return Decision(
                streamID: leadStream,
                events: [.leadConverted(LeadConverted(leadId: lead.id, customerId: linked, at: c.now, by: c.actor))])
        }
        let registered = CustomerRegistered(
            customerId: customerId, kind: .person, fullName: lead.fullName, company: lead.company, phones: lead.phones,
            emails: lead.emails, address: lead.address, fromLeadId: lead.id, at: c.now, by: c.actor)
        return Decision([
            StreamEvents(streamID: StreamID.customer(customerId), events: [.customerRegistered(registered)]),
            StreamEvents(
                streamID: leadStream,
                events: [
                    .leadLinkedToCustomer(
                        LeadLinkedToCustomer(leadId: lead.id, customerId: customerId, at: c.now, by: c.actor)),
                    .leadConverted(LeadConverted(leadId: lead.id, customerId: customerId, at: c.now, by: c.actor)),
                ]),
        ])
    }
}
