import Foundation

extension LeadDecider {
    /// Merges source leads into `target` (which keeps its id).
    ///
    /// Sources are ordered furthest pipeline step first, then oldest first. For every data field the first
    /// non-empty value wins: the target's, then each source's in that order. Phones and e-mails are united
    /// (deduplicated by normalized form); tags and watchers are united; notes, actions and tasks move to the target.
    /// The target gets `LeadsMerged`, every source `LeadMergedInto` (hidden, history kept).
    static func merge(_ target: LeadState, sources ids: [UUID], _ c: DecisionContext, _ related: RelatedStates)
        throws(DomainError) -> Decision
    {
        var v = FieldValidator(limits: c.settings.fieldLimits)
        if ids.isEmpty { v.add("sources", .required, "choose at least one lead to merge") }
        guard v.fits(ids.count, field: "sources", limit: CountLimits.mergeSources) else {
            try v.check()
            return Decision()
        }
        var seen: Set<UUID> = []
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            v.add("sources[\(index)]", .duplicate, "sources[\(index)] repeats another lead")
        }
        try v.check()
        var sources: [LeadState] = []
        for (index, id) in ids.enumerated() {
            if id == target.id { throw DomainError(.invalidMerge, "A lead cannot be merged into itself") }
            guard let source = related.leads[id] else {
                throw .notFound(.leadNotFound, field: "sources[\(index)]", "No lead \(id.uuidString.lowercased())")
            }
            if source.deleted {
                throw DomainError(.invalidMerge, "Lead \(id.uuidString.lowercased()) is deleted and cannot be merged")
            }
            if source.mergedInto != nil {
                throw DomainError(.invalidMerge, "Lead \(id.uuidString.lowercased()) is already merged")
            }
            if source.converted, c.settings.lockConvertedLeads {
                throw DomainError(.leadLocked, "Lead \(id.uuidString.lowercased()) is converted and locked")
            }
            sources.append(source)
        }
        let ordered = mergeOrder(sources, settings: c.settings)

        var merged = target
        var addedTags: [String] = []
        var addedWatchers: [UUID] = []
        // Sets beside the arrays keep the union linear in the leads' sizes.
        var tagKeys = Set(target.tags.map(TagName.key))
        var watchers = Set(target.watchers)
        for source in ordered {
            fillEmpty(&merged, from: source)
            for tag in source.tags where tagKeys.insert(TagName.key(tag)).inserted {
                merged.tags.append(tag)
                addedTags.append(tag)
            }
            for watcher in source.watchers where watchers.insert(watcher).inserted {
                merged.watchers.append(watcher)
                addedWatchers.append(watcher)
            }
        }
        let changes = fieldChanges(from: target, to: merged)
        let merge = LeadsMerged(
            leadId: target.id, sourceLeadIds: ordered.map(\.id), changes: changes, addedTags: addedTags,
            addedWatchers: addedWatchers, movedNotes: ordered.flatMap(\.notes),
            movedActions: ordered.flatMap(\.actions),
            movedTasks: ordered.flatMap(\.tasks), at: c.now, by: c.actor)
        var streams = [StreamEvents(streamID: StreamID.lead(target.id), events: [.leadsMerged(merge)])]
        for source in ordered {
            streams.append(
                StreamEvents(
                    streamID: StreamID.lead(source.id),
                    events: [
                        .leadMergedInto(
                            LeadMergedInto(leadId: source.id, targetLeadId: target.id, at: c.now, by: c.actor))
                    ]))
        }
        return Decision(streams)
    }

    /// Furthest step first (retired or unknown steps count as before the first), then oldest, then by id.
    static func mergeOrder(_ leads: [LeadState], settings: SettingsState) -> [LeadState] {
        leads.sorted { a, b in
            let stepA = settings.pipelineIndex(of: a.step) ?? -1
            let stepB = settings.pipelineIndex(of: b.step) ?? -1
            if stepA != stepB { return stepA > stepB }
            if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
            return a.id.uuidString < b.id.uuidString
        }
    }

    /// Fills the empty data fields of `lead` from `source`; unites phones and e-mails.
    private static func fillEmpty(_ lead: inout LeadState, from source: LeadState) {
        if lead.fullName.isEmpty { lead.fullName = source.fullName }
        if lead.company == nil { lead.company = source.company }
        if lead.address == nil { lead.address = source.address }
        if lead.responsible == nil { lead.responsible = source.responsible }
        if lead.competitor == nil { lead.competitor = source.competitor }
        if lead.assessment == nil { lead.assessment = source.assessment }
        if lead.comment == nil { lead.comment = source.comment }
        var digits = Set(lead.phones.map(\.digits))
        for phone in source.phones where digits.insert(phone.digits).inserted { lead.phones.append(phone) }
        var emails = Set(lead.emails.map(EmailAddress.normalize))
        for email in source.emails where emails.insert(EmailAddress.normalize(email)).inserted {
            lead.emails.append(email)
        }
        for (key, value) in source.customFields where lead.customFields[key] == nil {
            lead.customFields[key] = value
        }
    }
}
