// Upcasts from old payload versions to the current ones. The decoder calls them on read; the log is never
// rewritten. Add one `upcast()` per old version kept in tools/generate-events.py.

extension NoteAddedV1 {
    /// v1 had no `format`: every v1 note was plain text.
    func upcast() -> NoteAdded {
        NoteAdded(leadId: leadId, noteId: noteId, step: step, text: text, format: .plain, at: at, by: by)
    }
}

extension CustomerRegisteredV1 {
    /// v1 knew only persons, and no company customers to belong to.
    func upcast() -> CustomerRegistered {
        CustomerRegistered(
            customerId: customerId, kind: .person, fullName: fullName, company: company, companyId: nil, phones: phones,
            emails: emails, address: address, fromLeadId: fromLeadId, at: at, by: by)
    }
}

extension LeadDeletedV1 {
    /// v1 deleted the lead alone.
    func upcast() -> LeadDeleted { LeadDeleted(leadId: leadId, reason: reason, dealIds: [], at: at, by: by) }
}

extension LeadRestoredV1 {
    /// v1 restored the lead alone.
    func upcast() -> LeadRestored { LeadRestored(leadId: leadId, dealIds: [], at: at, by: by) }
}
