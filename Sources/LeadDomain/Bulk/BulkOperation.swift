import Foundation

/// What a bulk operation does to each lead of its set (ABillS "multi-user operations", NCRM mass actions).
public enum BulkOperationKind: String, Sendable, Hashable, Codable, CaseIterable {
    case assign, markStep, tag, untag, setFields, addTask, addWatchers, pause, resume, delete, restore
}

/// A field a `setFields` operation sets: a lead field path as imports name them, and its value as text (read
/// as an import cell is: numbers in number fields, dates `YYYY-MM-DD`, lists split on `,`). As in an import's
/// update, phones, e-mails and tags are added to the lead's, other fields replaced.
public struct BulkFieldValue: Sendable, Hashable, Codable {
    public var field: String
    public var value: String

    public init(field: String, value: String) {
        self.field = field
        self.value = value
    }
}

/// A lead a bulk operation did not change, and why.
public struct BulkRefusal: Sendable, Hashable, Codable {
    public var leadId: UUID
    public var code: String
    public var message: String

    public init(leadId: UUID, code: String, message: String) {
        self.leadId = leadId
        self.code = code
        self.message = message
    }
}

/// A bulk operation: its kind and the arguments that kind takes (the others are nil). `commands(for:settings:)`
/// turns it into each lead's commands; the lead's own decider checks them, so a lead refuses alone.
public struct BulkOperation: Sendable, Hashable, Codable {
    public static let maxTags = 20
    public static let maxFields = 50
    public static let maxWatchers = 20

    public var kind: BulkOperationKind
    public var responsible: UUID?
    public var step: String?
    public var tags: [String]?
    public var fields: [BulkFieldValue]?
    public var taskType: String?
    public var taskDescription: String?
    public var taskDue: Timestamp?
    public var taskResponsible: UUID?
    public var watchers: [UUID]?
    public var until: Timestamp?
    public var withDeals: Bool?
    public var reason: String?

    public init(
        kind: BulkOperationKind, responsible: UUID? = nil, step: String? = nil, tags: [String]? = nil,
        fields: [BulkFieldValue]? = nil, taskType: String? = nil, taskDescription: String? = nil, taskDue: Timestamp? = nil,
        taskResponsible: UUID? = nil, watchers: [UUID]? = nil, until: Timestamp? = nil, withDeals: Bool? = nil,
        reason: String? = nil
    ) {
        self.kind = kind
        self.responsible = responsible
        self.step = step
        self.tags = tags
        self.fields = fields
        self.taskType = taskType
        self.taskDescription = taskDescription
        self.taskDue = taskDue
        self.taskResponsible = taskResponsible
        self.watchers = watchers
        self.until = until
        self.withDeals = withDeals
        self.reason = reason
    }

    /// The permission the operation needs beyond reaching the leads (nil: none).
    public var permission: Permission? {
        switch kind {
        case .delete: .leadsDelete
        case .restore: .leadsRestore
        default: nil
        }
    }

    /// The permission undoing it needs: restoring what it deleted, deleting what it restored.
    public var revertPermission: Permission? {
        switch kind {
        case .delete: .leadsRestore
        case .restore: .leadsDelete
        default: nil
        }
    }

    /// Problems with the operation itself, before any lead is looked at: missing or extra arguments, lists over
    /// their limits, field paths that are not lead fields, values that no lead could take. Each names its field
    /// (`operation.<name>`).
    public func problems(settings: SettingsState, now: Timestamp) -> [FieldError] {
        var errors: [FieldError] = []
        func need(_ present: Bool, _ name: String) {
            if !present { errors.append(FieldError(field: "operation." + name, code: .required, message: "\(kind.rawValue) needs \(name)")) }
        }
        let arguments: [(String, Bool)] = [
            ("responsible", responsible != nil), ("step", step != nil), ("tags", tags != nil), ("fields", fields != nil),
            ("taskType", taskType != nil), ("taskDescription", taskDescription != nil), ("taskDue", taskDue != nil),
            ("taskResponsible", taskResponsible != nil), ("watchers", watchers != nil), ("until", until != nil),
            ("withDeals", withDeals != nil), ("reason", reason != nil),
        ]
        let allowed: Set<String> =
            switch kind {
            case .assign: ["responsible"]
            case .markStep: ["step"]
            case .tag, .untag: ["tags"]
            case .setFields: ["fields"]
            case .addTask: ["taskType", "taskDescription", "taskDue", "taskResponsible"]
            case .addWatchers: ["watchers"]
            case .pause: ["until"]
            case .resume: []
            case .delete: ["withDeals", "reason"]
            case .restore: ["withDeals"]
            }
        for (name, present) in arguments where present && !allowed.contains(name) {
            errors.append(FieldError(field: "operation." + name, code: .invalidValue, message: "\(kind.rawValue) takes no \(name)"))
        }
        switch kind {
        case .assign: break  // responsible nil would be "nobody": allowed only when sent as null, which decodes as absent
        case .markStep:
            need(step != nil, "step")
            if let step, !settings.isActiveStep(step) {
                errors.append(FieldError(field: "operation.step", code: .unknownStep, message: "\(step) is not an active step"))
            }
        case .tag, .untag:
            need(!(tags ?? []).isEmpty, "tags")
            if (tags ?? []).count > Self.maxTags {
                errors.append(FieldError(field: "operation.tags", code: .tooMany, message: "at most \(Self.maxTags) tags"))
            }
        case .setFields:
            let fields = fields ?? []
            need(!fields.isEmpty, "fields")
            if fields.count > Self.maxFields {
                errors.append(FieldError(field: "operation.fields", code: .tooMany, message: "at most \(Self.maxFields) fields"))
            }
            var seen = Set<String>()
            for (index, field) in fields.prefix(Self.maxFields).enumerated() {
                guard let target = ImportTarget(rawValue: field.field) else {
                    errors.append(FieldError(field: "operation.fields[\(index)].field", code: .invalidValue, message: "\(field.field) is not a lead field path"))
                    continue
                }
                if field.value.trimmedWhitespace.isEmpty {
                    errors.append(
                        FieldError(
                            field: "operation.fields[\(index)].value", code: .required,
                            message: "\(target) needs a value (a bulk operation sets fields; it does not clear them)"))
                }
                if !seen.insert(field.field).inserted {
                    errors.append(FieldError(field: "operation.fields[\(index)].field", code: .duplicate, message: "\(field.field) is set twice"))
                }
            }
            if errors.isEmpty {
                var columns: [String: ImportTarget] = [:]
                for field in fields { columns[field.field] = ImportTarget(rawValue: field.field) }
                for error in ImportMapping(columns: columns).problems(settings: settings) {
                    let path = String(error.field.dropFirst("columns.".count))
                    let index = fields.firstIndex { $0.field == path } ?? 0
                    errors.append(FieldError(field: "operation.fields[\(index)].field", code: error.code, message: error.message))
                }
            }
            if errors.isEmpty {
                let (_, cellErrors) = plan(settings: settings)
                for error in cellErrors {
                    let index = fields.firstIndex { $0.field == error.column } ?? 0
                    errors.append(FieldError(field: "operation.fields[\(index)].value", code: FieldError.Code(rawValue: error.code), message: error.message))
                }
            }
        case .addTask:
            need(taskType != nil, "taskType")
            need(taskDescription != nil, "taskDescription")
            // Checked here, once, rather than by each lead's decider: every lead would refuse the same way.
            if let taskType, !settings.isActiveTaskType(taskType) {
                errors.append(FieldError(field: "operation.taskType", code: .unknownTaskType, message: "\(taskType) is not an active task type"))
            }
            if let description = taskDescription, description.count > settings.fieldLimits.taskDescription {
                errors.append(
                    FieldError(
                        field: "operation.taskDescription", code: .tooLong,
                        message: "at most \(settings.fieldLimits.taskDescription) characters"))
            }
        case .addWatchers:
            need(!(watchers ?? []).isEmpty, "watchers")
            if (watchers ?? []).count > Self.maxWatchers {
                errors.append(FieldError(field: "operation.watchers", code: .tooMany, message: "at most \(Self.maxWatchers) watchers"))
            }
        case .pause:
            need(until != nil, "until")
            if let until, until <= now {
                errors.append(FieldError(field: "operation.until", code: .notInFuture, message: "until must be in the future"))
            }
        case .delete:
            if let reason, reason.count > settings.fieldLimits.comment {
                errors.append(FieldError(field: "operation.reason", code: .tooLong, message: "at most \(settings.fieldLimits.comment) characters"))
            }
        case .resume, .restore: break
        }
        return errors
    }

    /// The fields of a `setFields` operation read as an import row (the same checks and conversions).
    func plan(settings: SettingsState) -> (record: ImportRecord, errors: [ImportRowError]) {
        let fields = fields ?? []
        var columns: [String: ImportTarget] = [:]
        for field in fields { columns[field.field] = ImportTarget(rawValue: field.field) }
        let plan = ImportRecord.Plan(header: fields.map(\.field), mapping: ImportMapping(columns: columns), settings: settings)
        return plan.record(fields.map(\.value), row: 1)
    }

    /// The commands for one lead as it is now (nil: no such lead). `newId` names what the operation adds
    /// (the task), derived per lead so a repeat adds the same one.
    public func commands(for lead: LeadState?, settings: SettingsState, newId: UUID) -> [LeadCommand] {
        switch kind {
        case .assign: return [.assign(responsible)]
        case .markStep: return step.map { [.markStep($0)] } ?? []
        case .tag:
            let present = Set((lead?.tags ?? []).map(TagName.key))
            return (tags ?? []).filter { !present.contains(TagName.key($0)) }.map { .tag($0) }
        case .untag:
            let present = Set((lead?.tags ?? []).map(TagName.key))
            return (tags ?? []).filter { present.contains(TagName.key($0)) }.map { .untag($0) }
        case .setFields:
            guard let lead else { return [] }
            let (record, _) = plan(settings: settings)
            return record.commands(updating: lead)
        case .addTask:
            return [
                .task(
                    .add(
                        TaskInput(
                            taskId: newId, taskType: taskType ?? "", description: taskDescription ?? "", responsible: taskResponsible ?? lead?.responsible,
                            due: taskDue)))
            ]
        case .addWatchers:
            let present = Set(lead?.watchers ?? [])
            return (watchers ?? []).filter { !present.contains($0) }.map { .addWatcher($0) }
        case .pause: return until.map { [.pause(until: $0)] } ?? []
        case .resume: return [.resume]
        case .delete:
            guard let lead, !lead.deleted else { return [] }
            return [.delete(reason: reason ?? "bulk operation", withDeals: withDeals ?? false)]
        case .restore:
            guard let lead, lead.deleted else { return [] }
            return [.restore(withDeals: withDeals ?? false)]
        }
    }
}
