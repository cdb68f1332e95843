import Foundation

/// The rules of the settings aggregate (the single `settings` stream): pure, validated, idempotent.
///
/// Keys must be slugs and unique among their kind (retired ones included); names are unique (case-folded)
/// among active entries; a retired entry cannot be renamed; the last active step, the default step and the
/// default source cannot be retired; a reorder must be a permutation of the active steps. Repeating a
/// satisfied command (same name, same order, retiring a retired entry...) decides zero events.
public enum SettingsDecider {
    /// Decides the events of `command` on `state` (the current settings).
    public static func decide(_ state: SettingsState, _ command: SettingsCommand, context: DecisionContext)
        throws(DomainError) -> Decision
    {
        Decision(streamID: StreamID.settings, events: try events(state, command, at: context.now, by: context.actor))
    }

    private static func events(_ s: SettingsState, _ command: SettingsCommand, at: Timestamp, by: UUID)
        throws(DomainError) -> [DomainEvent]
    {
        var v = FieldValidator(limits: s.fieldLimits)
        switch command {
        case .defineStep(let key, let name, let colour, let description):
            let entries = s.steps.map { CatalogueEntry(key: $0.key, name: $0.name, retired: $0.retired) }
            let name = newEntry(key, name, existing: entries, &v)
            if !isColour(colour) { v.add("colour", .invalidValue, "colour must be #rrggbb (lowercase hex)") }
            let description = v.text(description, field: "description", limit: s.fieldLimits.comment, multiline: true)
            try v.check()
            return [
                .stepDefined(
                    StepDefined(key: key, name: name, colour: colour, description: description, at: at, by: by))
            ]
        case .renameStep(let key, let name):
            let entries = s.steps.map { CatalogueEntry(key: $0.key, name: $0.name, retired: $0.retired) }
            guard let (old, new) = try rename(key, name, entries, unknown: .unknownStep, &v) else { return [] }
            return [.stepRenamed(StepRenamed(key: key, from: old, to: new, at: at, by: by))]
        case .reorderSteps(let order):
            let active = s.activeSteps.map(\.key)
            try checkPermutation(order, of: active, "step", &v)
            guard order != active else { return [] }
            return [.stepsReordered(StepsReordered(order: order, at: at, by: by))]
        case .retireStep(let key):
            guard let step = s.steps.first(where: { $0.key == key }) else {
                throw .validation([FieldError(field: "key", code: .unknownStep, message: "\(key) is not a step")])
            }
            guard !step.retired else { return [] }
            if s.activeSteps.count == 1 {
                throw .validation([FieldError(field: "key", code: .lastStep, message: "the last active step stays")])
            }
            if s.defaultStep == key {
                throw .validation([
                    FieldError(field: "key", code: .conflict, message: "\(key) is the default step; change it first")
                ])
            }
            return [.stepRetired(StepRetired(key: key, at: at, by: by))]
        case .defineSource(let key, let name):
            let name = newEntry(key, name, existing: s.sources, &v)
            try v.check()
            return [.sourceDefined(SourceDefined(key: key, name: name, at: at, by: by))]
        case .renameSource(let key, let name):
            guard let (old, new) = try rename(key, name, s.sources, unknown: .unknownSource, &v) else { return [] }
            return [.sourceRenamed(SourceRenamed(key: key, from: old, to: new, at: at, by: by))]
        case .retireSource(let key):
            guard try retire(key, s.sources, unknown: .unknownSource, isDefault: s.defaultSource == key) else {
                return []
            }
            return [.sourceRetired(SourceRetired(key: key, at: at, by: by))]
        case .defineActionType(let key, let name):
            let name = newEntry(key, name, existing: s.actionTypes, &v)
            try v.check()
            return [.actionTypeDefined(ActionTypeDefined(key: key, name: name, at: at, by: by))]
        case .retireActionType(let key):
            guard try retire(key, s.actionTypes, unknown: .unknownActionType, isDefault: false) else { return [] }
            return [.actionTypeRetired(ActionTypeRetired(key: key, at: at, by: by))]
        case .defineTaskType(let key, let name):
            let name = newEntry(key, name, existing: s.taskTypes, &v)
            try v.check()
            return [.taskTypeDefined(TaskTypeDefined(key: key, name: name, at: at, by: by))]
        case .retireTaskType(let key):
            guard try retire(key, s.taskTypes, unknown: .unknownTaskType, isDefault: false) else { return [] }
            return [.taskTypeRetired(TaskTypeRetired(key: key, at: at, by: by))]
        case .defineTag(let name, let colour):
            let tag = v.tag(name, field: "name")
            if let colour, !isColour(colour) {
                v.add("colour", .invalidValue, "colour must be #rrggbb (lowercase hex)")
            }
            try v.check()
            if let existing = s.tags.first(where: { TagName.key($0.name) == TagName.key(tag) }) {
                if existing.colour == colour { return [] }
                throw .validation([FieldError(field: "name", code: .duplicate, message: "tag \(tag) already exists")])
            }
            return [.tagDefined(TagDefined(name: tag, colour: colour, at: at, by: by))]
        case .removeTag(let name):
            guard let existing = s.tags.first(where: { TagName.key($0.name) == TagName.key(name) }) else { return [] }
            return [.tagRemoved(TagRemoved(name: existing.name, at: at, by: by))]
        case .defineCustomField(let definition):
            let field = try validate(definition, s)
            if let existing = s.customFields.first(where: { $0.key == field.key }), existing == field { return [] }
            return [.customFieldDefined(CustomFieldDefined(field: field, at: at, by: by))]
        case .retireCustomField(let key):
            guard let field = s.customFields.first(where: { $0.key == key }) else {
                throw .validation([
                    FieldError(field: "key", code: .unknownCustomField, message: "\(key) is not a custom field")
                ])
            }
            guard !field.retired else { return [] }
            return [.customFieldRetired(CustomFieldRetired(key: key, at: at, by: by))]
        case .setDefaults(let step, let source):
            if !s.isActiveStep(step) { v.add("step", .unknownStep, "\(step) is not an active step") }
            if !s.isActiveSource(source) { v.add("source", .unknownSource, "\(source) is not an active source") }
            try v.check()
            guard step != s.defaultStep || source != s.defaultSource else { return [] }
            return [.defaultsChanged(DefaultsChanged(defaultStep: step, defaultSource: source, at: at, by: by))]
        case .setFieldLimits(let preset, let custom):
            let limits: FieldLimits
            if let fixed = FieldLimits.preset(preset) {
                limits = fixed
            } else if let custom {
                for (name, value) in [
                    ("name", custom.name), ("customText", custom.customText), ("note", custom.note),
                    ("comment", custom.comment), ("taskDescription", custom.taskDescription),
                ] where !(1...100_000).contains(value) {
                    v.add("limits.\(name)", .outOfRange, "limits.\(name) must be 1–100000")
                }
                try v.check()
                limits = custom
            } else {
                throw .validation([FieldError(field: "limits", code: .required, message: "custom limits are required")])
            }
            guard preset != s.fieldLimitsPreset || limits != s.fieldLimits else { return [] }
            return [.fieldLimitsChanged(FieldLimitsChanged(preset: preset, limits: limits, at: at, by: by))]
        case .setRequiredFields(let fields):
            if !v.fits(fields.count, field: "fields", limit: LeadField.allCases.count) { try v.check() }
            for (index, field) in fields.enumerated() where field == .customFields {
                v.add("fields[\(index)]", .invalidValue, "custom fields are made required in their definition")
            }
            try v.check()
            let canonical = LeadField.allCases.filter { $0 != .fullName && fields.contains($0) }
            guard canonical != s.requiredFields else { return [] }
            return [.requiredFieldsChanged(RequiredFieldsChanged(fields: canonical, at: at, by: by))]
        case .setAssessmentScale(let values):
            if values.isEmpty { v.add("values", .required, "the scale needs at least one value") }
            if !v.fits(values.count, field: "values", limit: CountLimits.settingsList) { try v.check() }
            var seen: Set<String> = []
            var cleaned: [String] = []
            for (index, value) in values.enumerated() {
                let clean = v.text(value, field: "values[\(index)]", limit: TagName.maxLength, required: true) ?? ""
                if !clean.isEmpty, !seen.insert(clean).inserted {
                    v.add("values[\(index)]", .duplicate, "values[\(index)] repeats another value")
                }
                cleaned.append(clean)
            }
            try v.check()
            guard cleaned != s.assessmentScale else { return [] }
            return [.assessmentScaleChanged(AssessmentScaleChanged(values: cleaned, at: at, by: by))]
        case .setConvertedLeadLock(let locked):
            guard locked != s.lockConvertedLeads else { return [] }
            return [.convertedLeadLockChanged(ConvertedLeadLockChanged(locked: locked, at: at, by: by))]
        case .setPhoneCountry(let country):
            let code = country?.trimmingCharacters(in: .whitespaces).uppercased()
            if let code, PhoneDialingPlan.of(code) == nil {
                let known = PhoneDialingPlan.all.map(\.country).joined(separator: ", ")
                v.add("country", .invalidValue, "country must be one of \(known), or null")
            }
            try v.check()
            guard code != s.phoneCountry else { return [] }
            return [.phoneCountrySet(PhoneCountrySet(country: code, at: at, by: by))]
        case .saveImportMapping(let mapping):
            v.key(mapping.name, field: "name")
            if !s.importMappings.contains(where: { $0.name == mapping.name }), s.importMappings.count >= SavedImportMapping.maxSaved {
                v.add("name", .tooMany, "at most \(SavedImportMapping.maxSaved) import mappings can be saved; remove one first")
            }
            var columns: [String: ImportTarget] = [:]
            var unreadable = false
            for (index, column) in mapping.columns.enumerated() {
                guard let target = ImportTarget(rawValue: column.field) else {
                    v.add("columns." + column.column, .invalidValue, "\(column.field) is not a lead field path")
                    unreadable = true
                    continue
                }
                if columns.updateValue(target, forKey: column.column) != nil {
                    v.add("columns[\(index)]", .duplicate, "column \(column.column) is mapped twice")
                }
            }
            if !unreadable {
                for error in ImportMapping(columns: columns).problems(settings: s) { v.add(error.field, error.code, error.message) }
            }
            if let key = mapping.key {
                if let importKey = ImportKey(rawValue: key) {
                    if !columns.values.contains(importKey.target) { v.add("key", .invalidValue, "no column is mapped to \(key), the key") }
                } else {
                    v.add("key", .invalidValue, "key must be email, phone or customFields.<key>")
                }
            } else if let mode = mapping.mode, mode != .create {
                v.add("key", .required, "\(mode.rawValue) needs a key: email, phone or customFields.<key>")
            }
            try v.check()
            let saved = SavedImportMapping(
                name: mapping.name, columns: ImportMapping(columns: columns).stored, mode: mapping.mode, key: mapping.key)
            if s.importMappings.first(where: { $0.name == saved.name }) == saved { return [] }
            return [
                .importMappingSaved(
                    ImportMappingSaved(name: saved.name, columns: saved.columns, mode: saved.mode, key: saved.key, at: at, by: by))
            ]
        case .saveLeadForm(let form):
            v.key(form.key, field: "key")
            let name = v.text(form.name, field: "name", limit: s.fieldLimits.name, required: true) ?? ""
            if !s.leadForms.contains(where: { $0.form.key == form.key }), s.leadForms.count >= LeadForm.maxForms {
                v.add("key", .tooMany, "at most \(LeadForm.maxForms) forms; remove one first")
            }
            var fields: [String: ImportTarget] = [:]
            var unreadable = false
            if form.fields.count > LeadForm.maxFields { v.add("fields", .tooMany, "at most \(LeadForm.maxFields) fields") }
            for (index, field) in form.fields.prefix(LeadForm.maxFields).enumerated() {
                if !LeadForm.isFieldName(field.column) {
                    v.add("fields[\(index)].column", .invalidValue, "a form field name is 1–100 letters, digits, _ - . [ ]")
                }
                guard let target = ImportTarget(rawValue: field.field) else {
                    v.add("fields[\(index)].field", .invalidValue, "\(field.field) is not a lead field path")
                    unreadable = true
                    continue
                }
                if fields.updateValue(target, forKey: field.column) != nil {
                    v.add("fields[\(index)].column", .duplicate, "form field \(field.column) is mapped twice")
                }
            }
            if !unreadable {
                for error in ImportMapping(columns: fields).problems(settings: s) {
                    v.add(error.field.replacingOccurrences(of: "columns", with: "fields"), error.code, error.message)
                }
                if !fields.isEmpty, !fields.values.contains(where: { $0 == .fullName || $0 == .emails || $0 == .phones }) {
                    v.add("fields", .required, "map a field to fullName, emails or phones: a lead needs a name or a contact")
                }
            }
            if let source = form.source, !s.isActiveSource(source) { v.add("source", .unknownSource, "\(source) is not an active source") }
            if let step = form.step, !s.isActiveStep(step) { v.add("step", .unknownStep, "\(step) is not an active step") }
            if form.allowedOrigins.count > LeadForm.maxOrigins {
                v.add("allowedOrigins", .tooMany, "at most \(LeadForm.maxOrigins) origins")
            }
            var origins = Set<String>()
            for (index, origin) in form.allowedOrigins.prefix(LeadForm.maxOrigins).enumerated() {
                if !LeadForm.isOrigin(origin) {
                    v.add("allowedOrigins[\(index)]", .invalidValue, "an origin is scheme://host[:port] in lower case, like https://example.com")
                } else if !origins.insert(origin).inserted {
                    v.add("allowedOrigins[\(index)]", .duplicate, "\(origin) is listed twice")
                }
            }
            if let honeypot = form.honeypot {
                if !LeadForm.isFieldName(honeypot) {
                    v.add("honeypot", .invalidValue, "a form field name is 1–100 letters, digits, _ - . [ ]")
                } else if fields[honeypot] != nil {
                    v.add("honeypot", .conflict, "\(honeypot) is mapped to a lead field; the honeypot is a field people never fill")
                }
            }
            try v.check()
            var saved = form
            saved.name = name
            saved.fields = ImportMapping(columns: fields).stored
            if s.leadForms.first(where: { $0.form.key == form.key })?.form == saved { return [] }
            return [.leadFormSaved(LeadFormSaved(form: saved, at: at, by: by))]
        case .saveMailbox(let mailbox):
            v.key(mailbox.key, field: "key")
            let name = v.text(mailbox.name, field: "name", limit: s.fieldLimits.name, required: true) ?? ""
            if !s.mailboxes.contains(where: { $0.mailbox.key == mailbox.key }), s.mailboxes.count >= Mailbox.maxMailboxes {
                v.add("key", .tooMany, "at most \(Mailbox.maxMailboxes) mailboxes; remove one first")
            }
            if !Mailbox.isMaildirPath(mailbox.maildir) {
                v.add("maildir", .invalidValue, "a Maildir is a path under the mail root: segments of letters, digits, . _ - (no ..)")
            } else if let other = s.mailboxes.first(where: { $0.mailbox.maildir == mailbox.maildir && $0.mailbox.key != mailbox.key }) {
                v.add("maildir", .conflict, "mailbox \(other.mailbox.key) already reads \(mailbox.maildir)")
            }
            var template = mailbox.template?.replacingOccurrences(of: "\r\n", with: "\n")
            if let text = template {
                if text.trimmedWhitespace.isEmpty {
                    template = nil
                } else if text.utf8.count > Mailbox.maxTemplateBytes {
                    v.add("template", .tooLong, "at most \(Mailbox.maxTemplateBytes) bytes")
                } else {
                    let (parsed, problems) = MailTemplate.parse(text)
                    for (line, message) in problems { v.add("template", .invalidValue, "line \(line): \(message)") }
                    if parsed.lines.count > Mailbox.maxTemplateLines {
                        v.add("template", .tooMany, "at most \(Mailbox.maxTemplateLines) lines")
                    }
                    if problems.isEmpty {
                        var columns: [String: ImportTarget] = [:]
                        for line in parsed.lines { columns[line.variable] = line.target }
                        for error in ImportMapping(columns: columns).problems(settings: s) {
                            v.add("template", error.code, error.message.replacingOccurrences(of: "column", with: "variable"))
                        }
                    }
                }
            }
            if let source = mailbox.source, !s.isActiveSource(source) { v.add("source", .unknownSource, "\(source) is not an active source") }
            if let step = mailbox.step, !s.isActiveStep(step) { v.add("step", .unknownStep, "\(step) is not an active step") }
            try v.check()
            var saved = mailbox
            saved.name = name
            saved.template = template
            if s.mailboxes.first(where: { $0.mailbox.key == mailbox.key })?.mailbox == saved { return [] }
            return [.mailboxSaved(MailboxSaved(mailbox: saved, at: at, by: by))]
        case .saveMessageTemplate(let template):
            v.key(template.key, field: "key")
            let name = v.text(template.name, field: "name", limit: s.fieldLimits.name, required: true) ?? ""
            let subject = v.text(template.subject, field: "subject", limit: MessageTemplate.maxSubject, required: true) ?? ""
            if !s.messageTemplates.contains(where: { $0.template.key == template.key }), s.messageTemplates.count >= MessageTemplate.maxTemplates {
                v.add("key", .tooMany, "at most \(MessageTemplate.maxTemplates) templates; remove one first")
            }
            let text = v.text(template.text, field: "text", limit: MessageTemplate.maxBody, multiline: true)
            let html = v.text(template.html, field: "html", limit: MessageTemplate.maxBody, multiline: true)
            if text == nil && html == nil { v.add("text", .required, "a template needs a text or an HTML body") }
            try v.check()
            let saved = MessageTemplate(key: template.key, name: name, subject: subject, text: text, html: html)
            if s.messageTemplates.first(where: { $0.template.key == template.key })?.template == saved { return [] }
            return [.messageTemplateSaved(MessageTemplateSaved(template: saved, at: at, by: by))]
        case .setSMTPRelay(let relay):
            var saved = relay
            if let relay {
                saved = try MessageChannelRules.checked(relay, &v)
            }
            guard saved != s.smtpRelay else { return [] }
            return [.smtpRelaySet(SMTPRelaySet(relay: saved, at: at, by: by))]
        case .setSMSGateway(let gateway):
            var saved = gateway
            if let gateway {
                saved = try MessageChannelRules.checked(gateway, &v)
            }
            guard saved != s.smsGateway else { return [] }
            return [.smsGatewaySet(SMSGatewaySet(gateway: saved, at: at, by: by))]
        case .removeMessageTemplate(let key):
            guard s.messageTemplates.contains(where: { $0.template.key == key }) else { return [] }
            return [.messageTemplateRemoved(MessageTemplateRemoved(key: key, at: at, by: by))]
        case .removeMailbox(let key):
            guard s.mailboxes.contains(where: { $0.mailbox.key == key }) else { return [] }
            return [.mailboxRemoved(MailboxRemoved(key: key, at: at, by: by))]
        case .removeLeadForm(let key):
            guard s.leadForms.contains(where: { $0.form.key == key }) else { return [] }
            return [.leadFormRemoved(LeadFormRemoved(key: key, at: at, by: by))]
        case .removeImportMapping(let name):
            guard s.importMappings.contains(where: { $0.name == name }) else { return [] }
            return [.importMappingRemoved(ImportMappingRemoved(name: name, at: at, by: by))]
        case .setCurrencyRates(let reporting, let rates):
            let reporting = reporting?.uppercased()
            if let reporting, !DealAmount.currencies.contains(reporting) {
                v.add("reportingCurrency", .unknownCurrency, "\(reporting) is not an ISO 4217 currency in use")
            }
            if reporting == nil, !rates.isEmpty {
                v.add("rates", .invalidValue, "rates need a reportingCurrency to convert into")
            }
            if rates.count > DealAmount.currencies.count { v.add("rates", .tooMany, "at most one rate per currency") }
            var seen = Set<String>()
            var cleaned: [CurrencyRate] = []
            for (i, rate) in rates.prefix(DealAmount.currencies.count).enumerated() {
                let code = rate.currency.uppercased()
                if !DealAmount.currencies.contains(code) {
                    v.add("rates[\(i)].currency", .unknownCurrency, "\(rate.currency) is not an ISO 4217 currency in use")
                } else if code == reporting {
                    v.add("rates[\(i)].currency", .invalidValue, "the reporting currency has no rate (it is 1)")
                } else if !seen.insert(code).inserted {
                    v.add("rates[\(i)].currency", .duplicate, "\(code) has two rates")
                }
                if let canonical = DealAmount.canonical(rate.rate), DealAmount.units(canonical) > 0 {
                    cleaned.append(CurrencyRate(currency: code, rate: canonical))
                } else {
                    v.add("rates[\(i)].rate", .invalidValue, "rate must be a positive decimal with at most 4 fraction digits")
                }
            }
            try v.check()
            cleaned.sort { $0.currency < $1.currency }
            guard reporting != s.reportingCurrency || cleaned != s.currencyRates else { return [] }
            return [.currencyRatesSet(CurrencyRatesSet(reportingCurrency: reporting, rates: cleaned, at: at, by: by))]
        case .defineDealStage(let key, let name, let probability, let kind):
            let entries = s.dealStages.map { CatalogueEntry(key: $0.key, name: $0.name, retired: $0.retired) }
            let name = newEntry(key, name, existing: entries, &v)
            checkProbability(probability, &v)
            try v.check()
            return [.dealStageDefined(DealStageDefined(key: key, name: name, probability: probability, kind: kind, at: at, by: by))]
        case .renameDealStage(let key, let name):
            let entries = s.dealStages.map { CatalogueEntry(key: $0.key, name: $0.name, retired: $0.retired) }
            guard let (old, new) = try rename(key, name, entries, unknown: .unknownDealStage, &v) else { return [] }
            return [.dealStageRenamed(DealStageRenamed(key: key, from: old, to: new, at: at, by: by))]
        case .setDealStageProbability(let key, let probability):
            guard let stage = s.activeDealStage(key) else {
                throw .validation([FieldError(field: "key", code: .unknownDealStage, message: "\(key) is not an active deal stage")])
            }
            checkProbability(probability, &v)
            try v.check()
            guard probability != stage.probability else { return [] }
            return [
                .dealStageProbabilityChanged(
                    DealStageProbabilityChanged(key: key, from: stage.probability, to: probability, at: at, by: by))
            ]
        case .reorderDealStages(let order):
            let active = s.activeDealStages.map(\.key)
            try checkPermutation(order, of: active, "deal stage", &v)
            guard order != active else { return [] }
            return [.dealStagesReordered(DealStagesReordered(order: order, at: at, by: by))]
        case .retireDealStage(let key):
            guard let stage = s.dealStages.first(where: { $0.key == key }) else {
                throw .validation([FieldError(field: "key", code: .unknownDealStage, message: "\(key) is not a deal stage")])
            }
            guard !stage.retired else { return [] }
            if s.activeDealStages.filter({ $0.kind == stage.kind }).count == 1 {
                throw .validation([
                    FieldError(field: "key", code: .lastStep, message: "the last active \(stage.kind.rawValue) deal stage stays")
                ])
            }
            return [.dealStageRetired(DealStageRetired(key: key, at: at, by: by))]
        }
    }

    /// A new order must list every active key once (`what` names them in the message).
    private static func checkPermutation(_ order: [String], of active: [String], _ what: String, _ v: inout FieldValidator)
        throws(DomainError)
    {
        if !v.fits(order.count, field: "order", limit: CountLimits.settingsList) { try v.check() }
        guard order.sorted() == active.sorted(), Set(order).count == order.count else {
            throw .validation([
                FieldError(
                    field: "order", code: .notAPermutation,
                    message: "order must list every active \(what) once: \(active.joined(separator: ", "))")
            ])
        }
    }

    /// A probability must be a percentage.
    private static func checkProbability(_ probability: Int64, _ v: inout FieldValidator) {
        if !(0...100).contains(probability) { v.add("probability", .outOfRange, "probability must be 0–100") }
    }

    /// Validates a new catalogue entry's key and name; returns the trimmed name.
    private static func newEntry(_ key: String, _ name: String, existing: [CatalogueEntry], _ v: inout FieldValidator)
        -> String
    {
        v.key(key, field: "key")
        if existing.contains(where: { $0.key == key }) { v.add("key", .duplicate, "\(key) already exists") }
        let name = v.text(name, field: "name", limit: v.limits.name, required: true) ?? ""
        if !name.isEmpty, existing.contains(where: { !$0.retired && SearchText.fold($0.name) == SearchText.fold(name) })
        {
            v.add("name", .duplicate, "an entry named \(name) already exists")
        }
        return name
    }

    /// Validates a rename; `nil` when the name does not change.
    private static func rename(
        _ key: String, _ name: String, _ entries: [CatalogueEntry], unknown: FieldError.Code, _ v: inout FieldValidator
    ) throws(DomainError) -> (String, String)? {
        guard let entry = entries.first(where: { $0.key == key && !$0.retired }) else {
            throw .validation([FieldError(field: "key", code: unknown, message: "\(key) is not an active entry")])
        }
        let new = v.text(name, field: "name", limit: v.limits.name, required: true) ?? ""
        try v.check()
        guard new != entry.name else { return nil }
        if entries.contains(where: { $0.key != key && !$0.retired && SearchText.fold($0.name) == SearchText.fold(new) })
        {
            throw .validation([
                FieldError(field: "name", code: .duplicate, message: "an entry named \(new) already exists")
            ])
        }
        return (entry.name, new)
    }

    /// Validates a retirement; `false` when the entry is already retired.
    private static func retire(_ key: String, _ entries: [CatalogueEntry], unknown: FieldError.Code, isDefault: Bool)
        throws(DomainError) -> Bool
    {
        guard let entry = entries.first(where: { $0.key == key }) else {
            throw .validation([FieldError(field: "key", code: unknown, message: "\(key) does not exist")])
        }
        guard !entry.retired else { return false }
        if isDefault {
            throw .validation([
                FieldError(field: "key", code: .conflict, message: "\(key) is the default; change it first")
            ])
        }
        return true
    }

    private static func validate(_ d: CustomFieldDefinition, _ s: SettingsState) throws(DomainError)
        -> CustomFieldDefinition
    {
        var v = FieldValidator(limits: s.fieldLimits)
        var field = d
        v.key(d.key, field: "key")
        field.name = v.text(d.name, field: "name", limit: s.fieldLimits.name, required: true) ?? ""
        field.retired = false
        if let existing = s.customFields.first(where: { $0.key == d.key }), existing.type != d.type {
            v.add("type", .conflict, "the type of \(d.key) is \(existing.type.rawValue) and cannot change")
        }
        if let maxLength = d.maxLength {
            if ![.string, .text].contains(d.type) {
                v.add("maxLength", .invalidValue, "maxLength applies to string and text fields")
            } else if !(1...s.fieldLimits.customText).contains(maxLength) {
                v.add("maxLength", .outOfRange, "maxLength must be 1–\(s.fieldLimits.customText)")
            }
        }
        if d.minValue != nil || d.maxValue != nil {
            if d.type != .int { v.add("minValue", .invalidValue, "minValue and maxValue apply to int fields") }
            if let min = d.minValue, let max = d.maxValue, min > max {
                v.add("maxValue", .outOfRange, "maxValue must not be less than minValue")
            }
        }
        if d.type == .list {
            let options = d.options ?? []
            if options.isEmpty { v.add("options", .required, "a list field needs options") }
            if !v.fits(options.count, field: "options", limit: CountLimits.settingsList) { try v.check() }
            var seen: Set<String> = []
            var cleaned: [String] = []
            for (index, option) in options.enumerated() {
                let clean = v.text(option, field: "options[\(index)]", limit: s.fieldLimits.name, required: true) ?? ""
                if !clean.isEmpty, !seen.insert(clean).inserted {
                    v.add("options[\(index)]", .duplicate, "options[\(index)] repeats another option")
                }
                cleaned.append(clean)
            }
            field.options = cleaned
        } else if d.options != nil {
            v.add("options", .invalidValue, "options apply to list fields")
        }
        try v.check()
        return field
    }

    private static func isColour(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        return scalars.count == 7 && scalars[0] == "#"
            && scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
