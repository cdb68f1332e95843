import Foundation

/// What one import did to one lead, gathered from the import's events (those carrying its correlation id), and
/// the commands that undo it: a lead the import created is deleted; for a lead it updated, every field is set back
/// to its value before the import, the step and responsible too, and the tags it added are removed, each only
/// while the lead still holds what the import left (a field changed since is a conflict and is left alone).
public struct ImportedChanges: Sendable, Hashable {
    public var created = false
    public var fields = LeadFieldChanges()
    public var step: Change<String>?
    public var responsible: Change<UUID?>?
    public var tags: [String] = []

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
        default: break
        }
    }

    /// The commands that undo the import on `lead` as it is now, and how many of the import's changes were
    /// left because the lead changed again since. A deleted lead gets none.
    public func revertCommands(_ lead: LeadState) -> (commands: [LeadCommand], conflicts: Int) {
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
        return (commands, conflicts)
    }
}
