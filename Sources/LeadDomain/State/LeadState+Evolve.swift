import Foundation

extension LeadState {
    /// Folds one event into a lead's state. Pure; events of other aggregates leave the state unchanged.
    ///
    /// ```swift
    /// let state = events.reduce(nil, LeadState.evolve)
    /// ```
    public static func evolve(_ state: LeadState?, _ event: DomainEvent) -> LeadState? {
        if case .leadCreated(let created) = event { return LeadState(created: created) }
        guard var lead = state, event.leadId == lead.id else { return state }
        lead.apply(event)
        lead.version += 1
        lead.updatedAt = event.at
        lead.updatedBy = event.by
        return lead
    }

    /// Folds a whole stream (oldest first).
    public static func replay(_ events: some Sequence<DomainEvent>) -> LeadState? {
        events.reduce(nil, evolve)
    }

    private mutating func apply(_ event: DomainEvent) {
        switch event {
        case .leadUpdated(let e): apply(e.changes)
        case .leadStepMarked(let e): step = e.to
        case .leadAssigned(let e): responsible = e.to
        case .leadTagged(let e): if !hasTag(e.tag) { tags.append(e.tag) }
        case .leadUntagged(let e): tags.removeAll { TagName.key($0) == TagName.key(e.tag) }
        case .watcherAdded(let e): if !watchers.contains(e.watcher) { watchers.append(e.watcher) }
        case .watcherRemoved(let e): watchers.removeAll { $0 == e.watcher }
        case .noteAdded(let e):
            notes.append(
                Note(id: e.noteId, step: e.step, text: e.text, format: e.format, createdBy: e.by, createdAt: e.at))
        case .actionLogged(let e):
            actions.append(
                LeadAction(
                    id: e.actionId, step: e.step, text: e.text, actionType: e.actionType, admin: e.admin,
                    plannedAt: e.plannedAt, createdBy: e.by, createdAt: e.at))
        case .actionPinned(let e): updateAction(e.actionId) { $0.pinned = true }
        case .actionUnpinned(let e): updateAction(e.actionId) { $0.pinned = false }
        case .actionCompleted(let e): updateAction(e.actionId) { $0.completed = true }
        case .taskAdded, .taskClosed, .taskUpdated, .taskReassigned, .taskReopened, .taskDeleted:
            if let change = event.taskChange { tasks.apply(change, at: event.at, by: event.by) }
        case .callReceived(let e):
            calls.append(LeadCall(id: e.callId, number: e.number, digits: e.digits, takenBy: e.takenBy, at: e.at))
            if calls.count > CountLimits.callsKept { calls.removeFirst(calls.count - CountLimits.callsKept) }
        case .emailReceived(let e):
            receivedEmails.append(
                LeadEmail(
                    id: e.emailId, mailbox: e.mailbox, messageId: e.messageId, from: e.from, subject: e.subject,
                    sentAt: e.sentAt, at: e.at))
            if receivedEmails.count > CountLimits.emailsKept { receivedEmails.removeFirst(receivedEmails.count - CountLimits.emailsKept) }
        case .messageSent(let e):
            // A mailing's message is an action of the mailing's type, done when it was sent.
            let label = e.channel == .email ? "E-mail" : "SMS"
            let text = e.subject.map { "\(label) to \(e.to): \($0)" } ?? "\(label) to \(e.to): \(e.text)"
            actions.append(
                LeadAction(
                    id: e.actionId, step: e.step, text: String(text.prefix(CountLimits.sentMessageText)),
                    actionType: e.actionType, admin: nil, plannedAt: nil, completed: true, createdBy: e.by, createdAt: e.at))
        case .leadPaused(let e): pausedUntil = e.until
        case .leadResumed: pausedUntil = nil
        case .leadDataCopied(let e): apply(e.changes)
        case .leadsMerged(let e):
            apply(e.changes)
            for tag in e.addedTags where !hasTag(tag) { tags.append(tag) }
            for watcher in e.addedWatchers where !watchers.contains(watcher) { watchers.append(watcher) }
            notes.append(contentsOf: e.movedNotes)
            actions.append(contentsOf: e.movedActions)
            tasks.append(contentsOf: e.movedTasks)
            mergedFrom.append(contentsOf: e.sourceLeadIds)
        case .leadMergedInto(let e): mergedInto = e.targetLeadId
        case .leadLinkedToCustomer(let e): linkedCustomer = e.customerId
        case .leadConverted(let e):
            converted = true
            linkedCustomer = e.customerId
        case .leadDeleted(let e):
            deleted = true
            deletedWithDeals = e.dealIds
        case .leadRestored:
            deleted = false
            deletedWithDeals = []
        default: break
        }
    }

    private mutating func updateAction(_ id: UUID, _ change: (inout LeadAction) -> Void) {
        if let index = actions.firstIndex(where: { $0.id == id }) { change(&actions[index]) }
    }

    /// Applies field changes (from an update, a data copy or a merge): each present change sets its `to`.
    mutating func apply(_ changes: LeadFieldChanges) {
        if let c = changes.fullName { fullName = c.to }
        if let c = changes.company { company = c.to }
        if let c = changes.phones { phones = c.to }
        if let c = changes.emails { emails = c.to }
        if let c = changes.address { address = c.to }
        if let c = changes.source { source = c.to }
        if let c = changes.priority { priority = c.to }
        if let c = changes.responsible { responsible = c.to }
        if let c = changes.competitor { competitor = c.to }
        if let c = changes.assessment { assessment = c.to }
        if let c = changes.comment { comment = c.to }
        for (key, c) in changes.customFields ?? [:] { customFields[key] = c.to }
    }
}
