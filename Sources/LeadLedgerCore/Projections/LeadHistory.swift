import Foundation
import LeadDomain

/// One field's change in a history entry, rendered for people (`nil`: no value).
public struct FieldChange: Sendable, Hashable, Codable {
    public var field: String
    public var from: String?
    public var to: String?

    public init(field: String, from: String?, to: String?) {
        self.field = field
        self.from = from
        self.to = to
    }
}

/// One event of a lead's history, as the card's history tab shows it.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var position: UInt64
    public var recordedAt: Int64
    public var actor: String
    /// The event type name, e.g. `"LeadStepMarked"`.
    public var type: String
    /// A short English sentence, e.g. `"Moved to step Qualified"`.
    public var summary: String
    public var changes: [FieldChange]
}

/// Renders a lead's events (its stream, oldest first) as history entries. Pure: names of steps, sources,
/// action and task types come from `settings`, admin names from `adminNames` (ids are shown when unknown).
///
/// ```swift
/// let entries = LeadHistory.render(streamEvents, settings: view.settings, adminNames: try view.adminNames())
/// ```
public enum LeadHistory {
    public static func render(
        _ events: [AppliedEvent], settings: SettingsState, adminNames: [UUID: String] = [:]
    ) -> [HistoryEntry] {
        var state: LeadState?
        var entries: [HistoryEntry] = []
        let names = Names(settings: settings, adminNames: adminNames)
        for applied in events {
            let before = state
            state = LeadState.evolve(state, applied.event)
            guard applied.event.leadId != nil else { continue }
            let (summary, changes) = describe(applied.event, before: before, names: names)
            entries.append(
                HistoryEntry(
                    position: applied.position, recordedAt: applied.recordedAt, actor: applied.actor,
                    type: applied.event.typeName, summary: summary, changes: changes))
        }
        return entries
    }

    struct Names {
        var settings: SettingsState
        var adminNames: [UUID: String]

        func step(_ key: String) -> String { settings.steps.first { $0.key == key }?.name ?? key }
        func source(_ key: String) -> String { settings.sources.first { $0.key == key }?.name ?? key }
        func actionType(_ key: String) -> String { settings.actionTypes.first { $0.key == key }?.name ?? key }
        func taskType(_ key: String) -> String { settings.taskTypes.first { $0.key == key }?.name ?? key }
        func admin(_ id: UUID?) -> String? {
            guard let id else { return nil }
            return adminNames[id] ?? id.uuidString.lowercased()
        }
    }

    static func describe(_ event: DomainEvent, before: LeadState?, names: Names) -> (String, [FieldChange]) {
        switch event {
        case .leadCreated(let e):
            var changes = [
                FieldChange(field: "fullName", from: nil, to: e.fullName),
                FieldChange(field: "step", from: nil, to: names.step(e.step)),
                FieldChange(field: "source", from: nil, to: names.source(e.source)),
            ]
            if let company = e.company { changes.append(FieldChange(field: "company", from: nil, to: company)) }
            if !e.phones.isEmpty { changes.append(FieldChange(field: "phones", from: nil, to: render(e.phones))) }
            if !e.emails.isEmpty { changes.append(FieldChange(field: "emails", from: nil, to: e.emails.joined(separator: ", "))) }
            if let r = e.responsible { changes.append(FieldChange(field: "responsible", from: nil, to: names.admin(r))) }
            return ("Lead \(e.fullName) created on step \(names.step(e.step))", changes)
        case .leadUpdated(let e):
            let changes = fieldChanges(e.changes, names: names)
            return (updateSummary(e.changes, changes), changes)
        case .leadStepMarked(let e):
            return (
                "Moved to step \(names.step(e.to))",
                [FieldChange(field: "step", from: names.step(e.from), to: names.step(e.to))]
            )
        case .leadAssigned(let e):
            let change = FieldChange(field: "responsible", from: names.admin(e.from), to: names.admin(e.to))
            return (e.to == nil ? "Unassigned" : "Assigned to \(names.admin(e.to)!)", [change])
        case .leadTagged(let e): return ("Tagged \(e.tag)", [FieldChange(field: "tags", from: nil, to: e.tag)])
        case .leadUntagged(let e): return ("Tag \(e.tag) removed", [FieldChange(field: "tags", from: e.tag, to: nil)])
        case .watcherAdded(let e):
            return ("\(names.admin(e.watcher)!) now watches the lead", [FieldChange(field: "watchers", from: nil, to: names.admin(e.watcher))])
        case .watcherRemoved(let e):
            return ("\(names.admin(e.watcher)!) stopped watching the lead", [FieldChange(field: "watchers", from: names.admin(e.watcher), to: nil)])
        case .noteAdded(let e): return ("Note added on step \(names.step(e.step)): \(excerpt(e.text))", [])
        case .actionLogged(let e):
            var summary = "\(e.actionType.map(names.actionType) ?? "Action") logged on step \(names.step(e.step))"
            if let planned = e.plannedAt { summary += ", planned for \(format(planned))" }
            if let admin = e.admin { summary += ", for \(names.admin(admin)!)" }
            if !e.text.isEmpty { summary += ": \(excerpt(e.text))" }
            return (summary, [])
        case .actionPinned(let e): return ("Action \(actionLabel(e.actionId, before)) pinned", [])
        case .actionUnpinned(let e): return ("Action \(actionLabel(e.actionId, before)) unpinned", [])
        case .actionCompleted(let e): return ("Action \(actionLabel(e.actionId, before)) completed", [])
        case .taskAdded(let e):
            var summary = "Task \(names.taskType(e.taskType)) added"
            if let due = e.due { summary += ", due \(format(due))" }
            if !e.description.isEmpty { summary += ": \(excerpt(e.description))" }
            return (summary, [])
        case .taskClosed(let e):
            let task = before?.tasks.first { $0.id == e.taskId }
            return ("Task \(task.map { names.taskType($0.taskType) } ?? e.taskId.uuidString.lowercased()) closed", [])
        case .taskUpdated(let e):
            var changes: [FieldChange] = []
            if let c = e.changes.taskType {
                changes.append(FieldChange(field: "taskType", from: names.taskType(c.from), to: names.taskType(c.to)))
            }
            if let c = e.changes.description {
                changes.append(FieldChange(field: "description", from: excerpt(c.from), to: excerpt(c.to)))
            }
            if let c = e.changes.due { changes.append(FieldChange(field: "due", from: c.from.map(format), to: c.to.map(format))) }
            return ("Task \(taskLabel(e.taskId, before)) edited", changes)
        case .taskReassigned(let e):
            let to = names.admin(e.to)
            return (
                "Task \(taskLabel(e.taskId, before)) " + (to.map { "given to \($0)" } ?? "left without a responsible"),
                [FieldChange(field: "responsible", from: names.admin(e.from), to: to)]
            )
        case .taskReopened(let e): return ("Task \(taskLabel(e.taskId, before)) reopened", [])
        case .taskDeleted(let e): return ("Task \(taskLabel(e.taskId, before)) deleted", [])
        case .callReceived(let e):
            return ("Call from \(e.number)" + (names.admin(e.takenBy).map { " taken by \($0)" } ?? ""), [])
        case .emailReceived(let e):
            return ("E-mail from \(e.fromName.map { "\($0) <\(e.from)>" } ?? e.from)" + (e.subject.isEmpty ? "" : ": \(e.subject)"), [])
        case .messageSent(let e):
            let what = e.channel == .email ? "E-mail" : "SMS"
            return ("\(what) sent to \(e.to) as \(names.actionType(e.actionType))" + (e.subject.map { ": \($0)" } ?? ""), [])
        case .leadPaused(let e):
            return (
                "Paused until \(format(e.until))",
                [FieldChange(field: "pausedUntil", from: before?.pausedUntil.map(format), to: format(e.until))]
            )
        case .leadResumed:
            return ("Resumed", [FieldChange(field: "pausedUntil", from: before?.pausedUntil.map(format), to: nil)])
        case .leadDataCopied(let e):
            let changes = fieldChanges(e.changes, names: names)
            let fields = changes.map(\.field).joined(separator: ", ")
            return ("Data copied from lead \(e.fromLeadId.uuidString.lowercased())\(fields.isEmpty ? "" : ": \(fields)")", changes)
        case .leadsMerged(let e):
            let n = e.sourceLeadIds.count
            var changes = fieldChanges(e.changes, names: names)
            for tag in e.addedTags { changes.append(FieldChange(field: "tags", from: nil, to: tag)) }
            for watcher in e.addedWatchers { changes.append(FieldChange(field: "watchers", from: nil, to: names.admin(watcher))) }
            return ("Merged \(n) lead\(n == 1 ? "" : "s") into this one", changes)
        case .leadMergedInto(let e): return ("Merged into lead \(e.targetLeadId.uuidString.lowercased())", [])
        case .leadLinkedToCustomer(let e):
            return (
                "Linked to customer \(e.customerId.uuidString.lowercased())",
                [FieldChange(field: "linkedCustomer", from: before?.linkedCustomer.map { $0.uuidString.lowercased() }, to: e.customerId.uuidString.lowercased())]
            )
        case .leadConverted(let e):
            return ("Converted into customer \(e.customerId.uuidString.lowercased())", [FieldChange(field: "converted", from: "false", to: "true")])
        case .leadDeleted(let e):
            let deals = e.dealIds.isEmpty ? "" : " with \(e.dealIds.count) deal\(e.dealIds.count == 1 ? "" : "s")"
            return ("Deleted" + deals + (e.reason.map { ": \($0)" } ?? ""), [FieldChange(field: "deleted", from: "false", to: "true")])
        case .leadRestored(let e):
            let deals = e.dealIds.isEmpty ? "" : " with \(e.dealIds.count) deal\(e.dealIds.count == 1 ? "" : "s")"
            return ("Restored" + deals, [FieldChange(field: "deleted", from: "true", to: "false")])
        default:
            return (event.typeName, [])
        }
    }

    private static func updateSummary(_ c: LeadFieldChanges, _ changes: [FieldChange]) -> String {
        if changes.count == 1, let phones = c.phones {
            let added = phones.to.filter { p in !phones.from.contains { $0.digits == p.digits } }
            let removed = phones.from.filter { p in !phones.to.contains { $0.digits == p.digits } }
            if added.count == 1, removed.isEmpty { return "Phone \(added[0].typed) added" }
            if removed.count == 1, added.isEmpty { return "Phone \(removed[0].typed) removed" }
        }
        if changes.count == 1, let emails = c.emails {
            let added = emails.to.filter { !emails.from.contains($0) }
            let removed = emails.from.filter { !emails.to.contains($0) }
            if added.count == 1, removed.isEmpty { return "E-mail \(added[0]) added" }
            if removed.count == 1, added.isEmpty { return "E-mail \(removed[0]) removed" }
        }
        if changes.count == 1, let change = changes.first {
            return "\(label(change.field)) changed from \(change.from ?? "nothing") to \(change.to ?? "nothing")"
        }
        return "Updated " + changes.map { label($0.field) }.joined(separator: ", ")
    }

    private static func label(_ field: String) -> String {
        switch field {
        case "fullName": "Full name"
        case "emails": "E-mails"
        default:
            field.hasPrefix("customFields.") ? String(field.dropFirst("customFields.".count)) : field.prefix(1).uppercased() + field.dropFirst()
        }
    }

    /// The changed fields in `LeadFieldChanges.changedFields` order, values rendered.
    static func fieldChanges(_ c: LeadFieldChanges, names: Names) -> [FieldChange] {
        var result: [FieldChange] = []
        for field in c.changedFields {
            switch field {
            case "fullName": c.fullName.map { result.append(FieldChange(field: field, from: $0.from, to: $0.to)) }
            case "company": c.company.map { result.append(FieldChange(field: field, from: $0.from, to: $0.to)) }
            case "phones": c.phones.map { result.append(FieldChange(field: field, from: render($0.from), to: render($0.to))) }
            case "emails":
                c.emails.map { result.append(FieldChange(field: field, from: join($0.from), to: join($0.to))) }
            case "address":
                c.address.map { result.append(FieldChange(field: field, from: render($0.from), to: render($0.to))) }
            case "source":
                c.source.map { result.append(FieldChange(field: field, from: names.source($0.from), to: names.source($0.to))) }
            case "priority":
                c.priority.map { result.append(FieldChange(field: field, from: $0.from.rawValue, to: $0.to.rawValue)) }
            case "responsible":
                c.responsible.map { result.append(FieldChange(field: field, from: names.admin($0.from), to: names.admin($0.to))) }
            case "competitor": c.competitor.map { result.append(FieldChange(field: field, from: $0.from, to: $0.to)) }
            case "assessment": c.assessment.map { result.append(FieldChange(field: field, from: $0.from, to: $0.to)) }
            case "comment": c.comment.map { result.append(FieldChange(field: field, from: $0.from, to: $0.to)) }
            default:
                let key = String(field.dropFirst("customFields.".count))
                if let change = c.customFields?[key] {
                    result.append(FieldChange(field: field, from: change.from.map(render), to: change.to.map(render)))
                }
            }
        }
        return result
    }

    private static func join(_ values: [String]) -> String? { values.isEmpty ? nil : values.joined(separator: ", ") }
    private static func render(_ phones: [PhoneNumber]) -> String? { join(phones.map(\.typed)) }
    private static func render(_ address: Address?) -> String? {
        guard let a = address, !a.isEmpty else { return nil }
        return [a.street, a.building, a.flat, a.city, a.country].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: ", ")
    }
    private static func render(_ value: CustomFieldValue) -> String {
        switch value {
        case .string(let s), .list(let s), .text(let s), .url(let s), .date(let s): s
        case .int(let i): String(i)
        case .flag(let b): b ? "yes" : "no"
        }
    }

    private static func actionLabel(_ id: UUID, _ lead: LeadState?) -> String {
        guard let action = lead?.actions.first(where: { $0.id == id }) else { return id.uuidString.lowercased() }
        return action.text.isEmpty ? "(no text)" : "\"\(excerpt(action.text))\""
    }

    private static func taskLabel(_ id: UUID, _ lead: LeadState?) -> String {
        guard let task = lead?.tasks.first(where: { $0.id == id }) else { return id.uuidString.lowercased() }
        return "\"\(excerpt(task.description))\""
    }

    private static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }

    /// `2026-11-23 14:05 UTC`.
    public static func format(_ t: Timestamp) -> String { t.minuteText }
}
