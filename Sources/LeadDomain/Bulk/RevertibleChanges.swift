import Foundation

/// What one import or bulk operation did to one lead, gathered from its events (those carrying its correlation
/// id), and the commands that undo it: a lead it created is deleted, one it deleted restored (one it restored
/// deleted); otherwise every field is set back to its value before, the step and responsible too, the tags it
/// added removed and those it removed added, its watchers and tasks removed, a pause it set lifted. Each only while the lead still holds what it left: a change made again since is a conflict
/// and is left alone.
public struct RevertibleChanges: Sendable, Hashable {
    public var created = false
    public var fields = LeadFieldChanges()
    public var step: Change<String>?
    public var responsible: Change<UUID?>?
    public var tags: [String] = []
    public var untagged: [String] = []
    public var watchers: [UUID] = []
    public var tasks: [UUID] = []
    public var pause: Change<Timestamp?>?
    /// Deleted (`deleted` true) or restored by it, with or without the deals.
    public var deletion: Deletion?

    public struct Deletion: Sendable, Hashable {
        public var deleted: Bool
        public var withDeals: Bool
    }

    public init() {}

    /// Folds one of the import's events on the lead in (in log order).
    public mutating func add(_ event: DomainEvent) {
        func merge<T>(_ old: Change<T>?, _ new: Change<T>?) -> Change<T>? {
            guard let new else { return old }
            return Change(from: old?.from ?? new.from, to: new.to)
        }
        switch event {
        case .leadCreated: created = true
        case .leadUpdated(let e):
            let c = e.changes
            fields.fullName = merge(fields.fullName, c.fullName)
            fields.company = merge(fields.company, c.company)
            fields.phones = merge(fields.phones, c.phones)
            fields.emails = merge(fields.emails, c.emails)
            fields.address = merge(fields.address, c.address)
            fields.source = merge(fields.source, c.source)
            fields.priority = merge(fields.priority, c.priority)
            fields.competitor = merge(fields.competitor, c.competitor)
            fields.assessment = merge(fields.assessment, c.assessment)
            fields.comment = merge(fields.comment, c.comment)
            for (key, change) in c.customFields ?? [:] {
                var all = fields.customFields ?? [:]
                all[key] = merge(all[key], change)
                fields.customFields = all
            }
        case .leadStepMarked(let e): step = merge(step, Change(from: e.from, to: e.to))
        case .leadAssigned(let e): responsible = merge(responsible, Change(from: e.from, to: e.to))
        case .leadTagged(let e): tags.append(e.tag)
        case .leadUntagged(let e): untagged.append(e.tag)
        case .watcherAdded(let e): watchers.append(e.watcher)
        case .taskAdded(let e): tasks.append(e.taskId)
        // The pause a LeadPaused replaced is not in the event: its revert lifts the pause (and a resume is not undone).
        case .leadPaused(let e): pause = Change(from: nil, to: e.until)
        case .leadDeleted(let e): deletion = Deletion(deleted: true, withDeals: !e.dealIds.isEmpty)
        case .leadRestored(let e): deletion = Deletion(deleted: false, withDeals: !e.dealIds.isEmpty)
        default: break
        }
    }

    /// The commands that undo the import on `lead` as it is now, and how many of the import's changes were
    /// left because the lead changed again since. A deleted lead gets none.
    public func revertCommands(_ lead: LeadState) -> (commands: [LeadCommand], conflicts: Int) {
        if let deletion {
            switch (deletion.deleted, lead.deleted) {
            case (true, true): return ([.restore(withDeals: deletion.withDeals)], 0)
            case (false, false): return ([.delete(reason: "bulk operation reverted", withDeals: deletion.withDeals)], 0)
            default: return ([], 1)
            }
        }
        guard !lead.deleted else { return ([], 0) }
        if created { return ([.delete(reason: "import reverted")], 0) }
        var conflicts = 0
        var patch = LeadPatch()
        func back<T: Equatable, P>(_ change: Change<T>?, _ current: T, _ set: (T) -> P) -> P? {
            guard let change else { return nil }
            guard current == change.to else {
                conflicts += 1
                return nil
            }
            return set(change.from)
        }
        patch.fullName = back(fields.fullName, lead.fullName) { $0 }
        patch.company = back(fields.company, lead.company) { $0 ?? "" }
        patch.phones = back(fields.phones, lead.phones) { $0.map(\.typed) }
        patch.emails = back(fields.emails, lead.emails) { $0 }
        patch.address = back(fields.address, lead.address) { $0 ?? Address() }
        patch.source = back(fields.source, lead.source) { $0 }
        patch.priority = back(fields.priority, lead.priority) { $0 }
        patch.competitor = back(fields.competitor, lead.competitor) { $0 ?? "" }
        patch.assessment = back(fields.assessment, lead.assessment) { $0 ?? "" }
        patch.comment = back(fields.comment, lead.comment) { $0 ?? "" }
        var custom: [String: CustomFieldValue?] = [:]
        for (key, change) in fields.customFields ?? [:] {
            if let value = back(change, lead.customFields[key], { $0 }) { custom[key] = value }
        }
        if !custom.isEmpty { patch.customFields = custom }
        var commands: [LeadCommand] = []
        if patch != LeadPatch() { commands.append(.update(patch)) }
        if let step = back(step, lead.step, { $0 }) { commands.append(.markStep(step)) }
        if let responsible = back(responsible, lead.responsible, { $0 }) { commands.append(.assign(responsible)) }
        let present = Set(lead.tags.map(TagName.key))
        for tag in tags where present.contains(TagName.key(tag)) { commands.append(.untag(tag)) }
        for tag in untagged where !present.contains(TagName.key(tag)) { commands.append(.tag(tag)) }
        for watcher in watchers where lead.watchers.contains(watcher) { commands.append(.removeWatcher(watcher)) }
        for task in tasks where lead.tasks.contains(where: { $0.id == task }) { commands.append(.task(.delete(task))) }
        if let pause {
            if lead.pausedUntil != pause.to {
                conflicts += 1
            } else if lead.pausedUntil != nil {
                commands.append(.resume)
            }
        }
        return (commands, conflicts)
    }
}
