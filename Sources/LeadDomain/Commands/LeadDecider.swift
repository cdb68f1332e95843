import Foundation

/// The rules of the lead aggregate: `decide(state, command, context, related) -> Decision`, pure.
///
/// ```swift
/// let decision = try LeadDecider.decide(state, .markStep("qualified"), context: context)
/// for stream in decision.streams { try await log.append(stream.events, to: stream.streamID, ...) }
/// ```
///
/// Guards, in order: a create needs no state (`alreadyExists`); every other command needs the lead
/// (`leadNotFound`), refuses a merged lead (`leadMerged`), and a deleted one unless it is a restore
/// (`leadDeleted`); edits (`LeadCommand.isEdit`) of a converted lead are refused when settings lock converted
/// leads (`leadLocked`). Repeating a command that is already satisfied (tag twice, pin twice, restore a live
/// lead, an update that changes nothing...) decides zero events and no error.
public enum LeadDecider {
    /// Decides the events of `command` on the lead in `state` (`nil`: the lead does not exist).
    ///
    /// - Parameter related: the source leads of a merge or a data copy, the customer of a link
    ///   (see `LeadCommand.relatedLeadIds` and `relatedCustomerIds`).
    public static func decide(
        _ state: LeadState?, _ command: LeadCommand, context: DecisionContext, related: RelatedStates = .none
    ) throws(DomainError) -> Decision {
        if case .create(let leadId, let input) = command {
            if state != nil { throw DomainError(.alreadyExists, "A lead with id \(leadId) already exists") }
            return Decision(streamID: StreamID.lead(leadId), events: [try create(leadId, input, context, related)])
        }
        guard let lead = state else { throw DomainError(.leadNotFound, "The lead does not exist") }
        if let target = lead.mergedInto {
            throw DomainError(.leadMerged, "The lead was merged into lead \(target.uuidString.lowercased())")
        }
        if lead.deleted, !command.isRestore {
            throw DomainError(.leadDeleted, "The lead is deleted; restore it first")
        }
        if command.isEdit, lead.converted, context.settings.lockConvertedLeads {
            throw DomainError(.leadLocked, "The lead is converted and converted leads are locked")
        }
        if case .merge(let sources) = command { return try merge(lead, sources: sources, context, related) }
        if case .convert(let customerId) = command { return try convert(lead, customerId: customerId, context) }
        if case .delete(let reason, let withDeals) = command {
            return try delete(lead, reason: reason, withDeals: withDeals, context, related)
        }
        if case .restore(let withDeals) = command { return restore(lead, withDeals: withDeals, context, related) }
        return Decision(streamID: StreamID.lead(lead.id), events: try decideOnLead(lead, command, context, related))
    }

    /// Commands whose events all go to the lead's own stream.
    private static func decideOnLead(
        _ lead: LeadState, _ command: LeadCommand, _ c: DecisionContext, _ related: RelatedStates
    ) throws(DomainError) -> [DomainEvent] {
        let id = lead.id
        let at = c.now
        let by = c.actor
        switch command {
        case .create, .merge, .convert:
            return []  // handled in decide
        case .update(let patch):
            var v = FieldValidator(limits: c.settings.fieldLimits)
            let changes = try update(lead, patch, c, &v)
            return changes.isEmpty ? [] : [.leadUpdated(LeadUpdated(leadId: id, changes: changes, at: at, by: by))]
        case .markStep(let step):
            guard c.settings.isActiveStep(step) else {
                throw .validation([
                    FieldError(field: "step", code: .unknownStep, message: "\(step) is not an active step")
                ])
            }
            guard step != lead.step else { return [] }
            return [.leadStepMarked(LeadStepMarked(leadId: id, from: lead.step, to: step, at: at, by: by))]
        case .assign(let admin):
            guard admin != lead.responsible else { return [] }
            var v = FieldValidator(limits: c.settings.fieldLimits)
            if admin == nil, c.settings.requiredFields.contains(.responsible) {
                v.add("responsible", .required, "responsible is required")
            }
            related.checkAdmin(admin, field: "responsible", &v)
            try v.check()
            return [.leadAssigned(LeadAssigned(leadId: id, from: lead.responsible, to: admin, at: at, by: by))]
        case .tag(let name):
            var validator = FieldValidator(limits: c.settings.fieldLimits)
            let tag = validator.tag(name, field: "tag")
            try validator.check()
            guard !lead.hasTag(tag) else { return [] }
            if lead.tags.count >= CountLimits.tags {
                throw .validation([
                    FieldError(field: "tag", code: .tooMany, message: "a lead carries at most \(CountLimits.tags) tags")
                ])
            }
            return [.leadTagged(LeadTagged(leadId: id, tag: tag, at: at, by: by))]
        case .untag(let name):
            guard let stored = lead.tags.first(where: { TagName.key($0) == TagName.key(name) }) else { return [] }
            return [.leadUntagged(LeadUntagged(leadId: id, tag: stored, at: at, by: by))]
        case .addWatcher(let admin):
            guard !lead.watchers.contains(admin) else { return [] }
            var v = FieldValidator(limits: c.settings.fieldLimits)
            related.checkAdmin(admin, field: "watcher", &v)
            try v.check()
            if lead.watchers.count >= CountLimits.watchers {
                throw .validation([
                    FieldError(
                        field: "watcher", code: .tooMany, message: "a lead has at most \(CountLimits.watchers) watchers")
                ])
            }
            return [.watcherAdded(WatcherAdded(leadId: id, watcher: admin, at: at, by: by))]
        case .removeWatcher(let admin):
            guard lead.watchers.contains(admin) else { return [] }
            return [.watcherRemoved(WatcherRemoved(leadId: id, watcher: admin, at: at, by: by))]
        case .addEntry(let entry):
            return try addEntry(lead, entry, c, related)
        case .pinAction(let actionId):
            guard try existingAction(lead, actionId).pinned == false else { return [] }
            return [.actionPinned(ActionPinned(leadId: id, actionId: actionId, at: at, by: by))]
        case .unpinAction(let actionId):
            guard try existingAction(lead, actionId).pinned else { return [] }
            return [.actionUnpinned(ActionUnpinned(leadId: id, actionId: actionId, at: at, by: by))]
        case .completeAction(let actionId):
            guard try existingAction(lead, actionId).completed == false else { return [] }
            return [.actionCompleted(ActionCompleted(leadId: id, actionId: actionId, at: at, by: by))]
        case .task(let command):
            return try TaskRules.decide(lead.tasks, command, c, related, owner: "lead").map {
                [$0.leadEvent(id, at: at, by: by)]
            } ?? []
        case .receiveCall(let call):
            if lead.calls.contains(where: { $0.id == call.callId }) { return [] }
            var v = FieldValidator(limits: c.settings.fieldLimits)
            let number = PhoneNumber(typed: call.number)
            if !number.isValid { v.add("number", .invalidPhone, "number must have 5–15 digits and only phone punctuation") }
            related.checkAdmin(call.takenBy, field: "takenBy", &v)
            try v.check()
            return [
                .callReceived(
                    CallReceived(
                        leadId: id, callId: call.callId, number: number.typed, digits: c.settings.internationalDigits(number),
                        takenBy: call.takenBy, at: at, by: by))
            ]
        case .receiveEmail(let email):
            if lead.receivedEmails.contains(where: { $0.id == email.emailId }) { return [] }
            var v = FieldValidator(limits: c.settings.fieldLimits)
            if !c.settings.mailboxes.contains(where: { $0.mailbox.key == email.mailbox }) {
                v.add("mailbox", .invalidValue, "no mailbox \(email.mailbox)")
            }
            if email.messageId.isEmpty || email.messageId.utf8.count > 998 {
                v.add("messageId", .invalidValue, "a Message-Id is 1–998 bytes")
            }
            if email.from.utf8.count > 998 { v.add("from", .tooLong, "at most 998 bytes") }
            let subject = v.text(email.subject, field: "subject", limit: 998, required: false) ?? ""
            let text = v.text(email.text, field: "text", limit: c.settings.fieldLimits.note, multiline: true) ?? ""
            if email.attachments.count > CountLimits.emailAttachments {
                v.add("attachments", .tooMany, "at most \(CountLimits.emailAttachments) attachment names")
            }
            try v.check()
            return [
                .emailReceived(
                    EmailReceived(
                        leadId: id, emailId: email.emailId, mailbox: email.mailbox, messageId: email.messageId,
                        from: email.from, fromName: email.fromName, subject: subject, sentAt: email.sentAt, text: text,
                        attachments: email.attachments, at: at, by: by))
            ]
        case .pause(let until):
            guard until > c.now else {
                throw .validation([
                    FieldError(field: "until", code: .notInFuture, message: "until must be in the future")
                ])
            }
            guard lead.pausedUntil != until else { return [] }
            return [.leadPaused(LeadPaused(leadId: id, until: until, at: at, by: by))]
        case .resume:
            guard lead.pausedUntil != nil else { return [] }
            return [.leadResumed(LeadResumed(leadId: id, at: at, by: by))]
        case .copyData(let from, let fields):
            let changes = try copyData(lead, from: from, fields: fields, c, related)
            return changes.isEmpty
                ? [] : [.leadDataCopied(LeadDataCopied(leadId: id, fromLeadId: from, changes: changes, at: at, by: by))]
        case .linkCustomer(let customerId):
            guard let customer = related.customers[customerId] else {
                throw .notFound(
                    .customerNotFound, field: "customerId", "No customer \(customerId.uuidString.lowercased())")
            }
            guard !customer.deleted else { throw DomainError(.customerDeleted, "The customer is deleted; restore it first") }
            guard lead.linkedCustomer != customerId else { return [] }
            return [.leadLinkedToCustomer(LeadLinkedToCustomer(leadId: id, customerId: customerId, at: at, by: by))]
        case .delete, .restore: return []  // decided with the lead's deals in `delete` and `restore`
        }
    }

    private static func existingAction(_ lead: LeadState, _ actionId: UUID) throws(DomainError) -> LeadAction {
        guard let action = lead.actions.first(where: { $0.id == actionId }) else {
            throw .notFound(
                .actionNotFound, field: "actionId", "The lead has no action \(actionId.uuidString.lowercased())")
        }
        return action
    }

    /// Deletes the lead; with its deals, also each deal of the lead that is not deleted (`related.deals`, read
    /// from their streams), all in one decision: the lead's event names them, so a restore brings back exactly
    /// those.
    private static func delete(
        _ lead: LeadState, reason: String?, withDeals: Bool, _ c: DecisionContext, _ related: RelatedStates
    ) throws(DomainError) -> Decision {
        var validator = FieldValidator(limits: c.settings.fieldLimits)
        let reason = validator.text(reason, field: "reason", limit: c.settings.fieldLimits.comment, multiline: true)
        try validator.check()
        let deals = withDeals ? related.deals.values.filter { $0.leadId == lead.id && !$0.deleted }.map(\.id).sorted { $0.uuidString < $1.uuidString } : []
        var streams = [
            StreamEvents(
                streamID: StreamID.lead(lead.id),
                events: [.leadDeleted(LeadDeleted(leadId: lead.id, reason: reason, dealIds: deals, at: c.now, by: c.actor))])
        ]
        for deal in deals {
            streams.append(
                StreamEvents(
                    streamID: StreamID.deal(deal),
                    events: [.dealDeleted(DealDeleted(dealId: deal, reason: reason, at: c.now, by: c.actor))]))
        }
        return Decision(streams)
    }

    /// Restores the lead; with its deals, also those deleted with it that are still deleted and still the lead's.
    private static func restore(_ lead: LeadState, withDeals: Bool, _ c: DecisionContext, _ related: RelatedStates) -> Decision {
        guard lead.deleted else { return Decision() }
        let deals = withDeals
            ? lead.deletedWithDeals.filter { id in related.deals[id].map { $0.deleted && $0.leadId == lead.id } ?? false } : []
        var streams = [
            StreamEvents(
                streamID: StreamID.lead(lead.id),
                events: [.leadRestored(LeadRestored(leadId: lead.id, dealIds: deals, at: c.now, by: c.actor))])
        ]
        for deal in deals {
            streams.append(
                StreamEvents(streamID: StreamID.deal(deal), events: [.dealRestored(DealRestored(dealId: deal, at: c.now, by: c.actor))]))
        }
        return Decision(streams)
    }
}
