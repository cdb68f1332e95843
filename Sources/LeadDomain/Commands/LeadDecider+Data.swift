import Foundation

extension LeadDecider {
    /// Validates a new lead's data against settings and builds `LeadCreated`.
    static func create(_ id: UUID, _ input: LeadInput, _ c: DecisionContext, _ related: RelatedStates)
        throws(DomainError) -> DomainEvent
    {
        let s = c.settings
        let limits = s.fieldLimits
        var v = FieldValidator(limits: limits)
        let required = Set(s.requiredFields)
        let fullName = v.text(input.fullName, field: "fullName", limit: limits.name, required: true) ?? ""
        let company = v.text(input.company, field: "company", limit: limits.name, required: required.contains(.company))
        let phones = v.phones(input.phones)
        if required.contains(.phones), phones.isEmpty { v.add("phones", .required, "phones is required") }
        let emails = v.emails(input.emails)
        if required.contains(.emails), emails.isEmpty { v.add("emails", .required, "emails is required") }
        let address = v.address(input.address)
        if required.contains(.address), address == nil { v.add("address", .required, "address is required") }
        let source = input.source ?? s.defaultSource
        if !s.isActiveSource(source) { v.add("source", .unknownSource, "\(source) is not an active source") }
        let step = input.step ?? s.defaultStep
        if !s.isActiveStep(step) { v.add("step", .unknownStep, "\(step) is not an active step") }
        if required.contains(.responsible), input.responsible == nil {
            v.add("responsible", .required, "responsible is required")
        }
        related.checkAdmin(input.responsible, field: "responsible", &v)
        let competitor = v.text(
            input.competitor, field: "competitor", limit: limits.name, required: required.contains(.competitor))
        let assessment = validateAssessment(input.assessment, &v, s, required: required.contains(.assessment))
        let comment = v.text(
            input.comment, field: "comment", limit: limits.comment, required: required.contains(.comment),
            multiline: true)
        let tags = v.tags(input.tags)
        let customFields = v.customFields(input.customFields, settings: s)
        for definition in s.customFields where definition.required && !definition.retired {
            let path = "customFields.\(definition.key)"
            if customFields[definition.key] == nil, !v.errors.contains(where: { $0.field == path }) {
                v.add(path, .required, "\(path) is required")
            }
        }
        try v.check()
        return .leadCreated(
            LeadCreated(
                leadId: id, fullName: fullName, company: company, phones: phones, emails: emails, address: address,
                source: source, step: step, priority: input.priority ?? .normal, responsible: input.responsible,
                competitor: competitor, assessment: assessment, tags: tags, customFields: customFields,
                comment: comment, at: c.now, by: c.actor))
    }

    /// Validates a patch and returns only the fields that change. Required fields (settings) cannot be cleared.
    /// Errors go into `v` (a data copy adds its own first) and are thrown together.
    static func update(_ lead: LeadState, _ patch: LeadPatch, _ c: DecisionContext, _ v: inout FieldValidator)
        throws(DomainError) -> LeadFieldChanges
    {
        let s = c.settings
        let limits = s.fieldLimits
        let required = Set(s.requiredFields)
        var changes = LeadFieldChanges()
        if let value = patch.fullName {
            let name = v.text(value, field: "fullName", limit: limits.name, required: true) ?? ""
            changes.fullName = .between(lead.fullName, name)
        }
        if let value = patch.company {
            let company = v.text(value, field: "company", limit: limits.name, required: required.contains(.company))
            changes.company = .between(lead.company, company)
        }
        if let value = patch.phones {
            let phones = v.phones(value)
            if required.contains(.phones), phones.isEmpty { v.add("phones", .required, "phones is required") }
            changes.phones = .between(lead.phones, phones)
        }
        if let value = patch.emails {
            let emails = v.emails(value)
            if required.contains(.emails), emails.isEmpty { v.add("emails", .required, "emails is required") }
            changes.emails = .between(lead.emails, emails)
        }
        if let value = patch.address {
            let address = v.address(value)
            if required.contains(.address), address == nil { v.add("address", .required, "address is required") }
            changes.address = .between(lead.address, address)
        }
        if let source = patch.source, source != lead.source {
            if !s.isActiveSource(source) { v.add("source", .unknownSource, "\(source) is not an active source") }
            changes.source = .between(lead.source, source)
        }
        if let priority = patch.priority { changes.priority = .between(lead.priority, priority) }
        if let value = patch.competitor {
            let competitor = v.text(
                value, field: "competitor", limit: limits.name, required: required.contains(.competitor))
            changes.competitor = .between(lead.competitor, competitor)
        }
        if let value = patch.assessment {
            let assessment = validateAssessment(value, &v, s, required: required.contains(.assessment))
            changes.assessment = .between(lead.assessment, assessment)
        }
        if let value = patch.comment {
            let comment = v.text(value, field: "comment", limit: limits.comment, required: required.contains(.comment),
            multiline: true)
            changes.comment = .between(lead.comment, comment)
        }
        if let custom = patch.customFields, v.fits(custom.count, field: "customFields", limit: CountLimits.customFields) {
            var fieldChanges: [String: Change<CustomFieldValue?>] = [:]
            for key in custom.keys.sorted() {
                let path = "customFields.\(key)"
                let old = lead.customFields[key]
                var new: CustomFieldValue? = nil
                let definition = s.customField(key)
                if let value = custom[key] ?? nil, !value.isEmpty {
                    guard let definition else {
                        v.add(path, .unknownCustomField, "\(path) is not a custom field")
                        continue
                    }
                    new = v.customField(value, definition: definition, path: path)
                } else if definition?.required == true {
                    v.add(path, .required, "\(path) is required")
                }
                if let change = Change.between(old, new) { fieldChanges[key] = change }
            }
            if !fieldChanges.isEmpty { changes.customFields = fieldChanges }
        }
        try v.check()
        return changes
    }

    /// Copies the chosen fields from another lead; empty source values are skipped (never wipe data).
    ///
    /// The copied values are validated as an update of the target would be (active source, field limits,
    /// required fields, custom field definitions), and a copied responsible as an assignment: a copy never
    /// stores what the target's own commands would refuse. The source must be a live lead (not deleted, not
    /// merged away).
    static func copyData(
        _ lead: LeadState, from: UUID, fields: [LeadField], _ c: DecisionContext, _ related: RelatedStates
    ) throws(DomainError) -> LeadFieldChanges {
        var v = FieldValidator(limits: c.settings.fieldLimits)
        if fields.isEmpty { v.add("fields", .required, "choose at least one field to copy") }
        _ = v.fits(fields.count, field: "fields", limit: LeadField.allCases.count)
        if from == lead.id { v.add("from", .invalidValue, "a lead cannot copy data from itself") }
        try v.check()
        guard let source = related.leads[from] else {
            throw .notFound(.leadNotFound, field: "from", "No lead \(from.uuidString.lowercased()) to copy from")
        }
        if source.deleted { throw DomainError(.leadDeleted, "The lead to copy from is deleted") }
        if let target = source.mergedInto {
            throw DomainError(
                .leadMerged, "The lead to copy from was merged into lead \(target.uuidString.lowercased())")
        }
        let chosen = Set(fields)
        var patch = LeadPatch()
        if chosen.contains(.fullName), !source.fullName.isEmpty { patch.fullName = source.fullName }
        if chosen.contains(.company) { patch.company = source.company }
        if chosen.contains(.phones), !source.phones.isEmpty { patch.phones = source.phones.map(\.typed) }
        if chosen.contains(.emails), !source.emails.isEmpty { patch.emails = source.emails }
        if chosen.contains(.address) { patch.address = source.address }
        if chosen.contains(.source) { patch.source = source.source }
        if chosen.contains(.priority) { patch.priority = source.priority }
        if chosen.contains(.competitor) { patch.competitor = source.competitor }
        if chosen.contains(.assessment) { patch.assessment = source.assessment }
        if chosen.contains(.comment) { patch.comment = source.comment }
        if chosen.contains(.customFields), !source.customFields.isEmpty {
            patch.customFields = source.customFields.mapValues { Optional($0) }
        }
        var changes = try update(lead, patch, c, &v)
        if chosen.contains(.responsible), let responsible = source.responsible, responsible != lead.responsible {
            related.checkAdmin(responsible, field: "responsible", &v)
            try v.check()
            changes.responsible = .between(lead.responsible, responsible)
        }
        return changes
    }

    /// The data-field differences between two versions of a lead.
    static func fieldChanges(from old: LeadState, to new: LeadState) -> LeadFieldChanges {
        var changes = LeadFieldChanges()
        changes.fullName = .between(old.fullName, new.fullName)
        changes.company = .between(old.company, new.company)
        changes.phones = .between(old.phones, new.phones)
        changes.emails = .between(old.emails, new.emails)
        changes.address = .between(old.address, new.address)
        changes.source = .between(old.source, new.source)
        changes.priority = .between(old.priority, new.priority)
        changes.responsible = .between(old.responsible, new.responsible)
        changes.competitor = .between(old.competitor, new.competitor)
        changes.assessment = .between(old.assessment, new.assessment)
        changes.comment = .between(old.comment, new.comment)
        var custom: [String: Change<CustomFieldValue?>] = [:]
        for key in Set(old.customFields.keys).union(new.customFields.keys) {
            if let change = Change.between(old.customFields[key], new.customFields[key]) { custom[key] = change }
        }
        changes.customFields = custom.isEmpty ? nil : custom
        return changes
    }

    private static func validateAssessment(
        _ value: String?, _ v: inout FieldValidator, _ s: SettingsState, required: Bool
    ) -> String? {
        let assessment = v.text(value, field: "assessment", limit: TagName.maxLength, required: required)
        if let assessment, !s.assessmentScale.contains(assessment) {
            v.add("assessment", .invalidValue, "assessment must be one of \(s.assessmentScale.joined(separator: ", "))")
        }
        return assessment
    }
}
