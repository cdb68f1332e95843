extension SettingsState {
    /// Folds one event into the settings. Pure; non-settings events leave the settings unchanged.
    ///
    /// ```swift
    /// let settings = events.reduce(SettingsState.defaults, SettingsState.evolve)
    /// ```
    public static func evolve(_ state: SettingsState, _ event: DomainEvent) -> SettingsState {
        guard event.kind.streamKind == .settings else { return state }
        var s = state
        s.version += 1
        switch event {
        case .stepDefined(let e):
            s.steps.append(PipelineStep(key: e.key, name: e.name, colour: e.colour, description: e.description))
        case .stepRenamed(let e): s.steps.mutate(e.key) { $0.name = e.to }
        case .stepsReordered(let e):
            let active = e.order.compactMap { key in s.steps.first { $0.key == key } }
            s.steps = active + s.steps.filter { !e.order.contains($0.key) }
        case .stepRetired(let e): s.steps.mutate(e.key) { $0.retired = true }
        case .sourceDefined(let e): s.sources.append(CatalogueEntry(key: e.key, name: e.name))
        case .sourceRenamed(let e): s.sources.mutate(e.key) { $0.name = e.to }
        case .sourceRetired(let e): s.sources.mutate(e.key) { $0.retired = true }
        case .actionTypeDefined(let e): s.actionTypes.append(CatalogueEntry(key: e.key, name: e.name))
        case .actionTypeRetired(let e): s.actionTypes.mutate(e.key) { $0.retired = true }
        case .taskTypeDefined(let e): s.taskTypes.append(CatalogueEntry(key: e.key, name: e.name))
        case .taskTypeRetired(let e): s.taskTypes.mutate(e.key) { $0.retired = true }
        case .tagDefined(let e): s.tags.append(TagDefinition(name: e.name, colour: e.colour))
        case .tagRemoved(let e): s.tags.removeAll { TagName.key($0.name) == TagName.key(e.name) }
        case .customFieldDefined(let e):
            if let index = s.customFields.firstIndex(where: { $0.key == e.field.key }) {
                s.customFields[index] = e.field
            } else {
                s.customFields.append(e.field)
            }
        case .customFieldRetired(let e): s.customFields.mutate(e.key) { $0.retired = true }
        case .defaultsChanged(let e):
            s.defaultStep = e.defaultStep
            s.defaultSource = e.defaultSource
        case .fieldLimitsChanged(let e):
            s.fieldLimitsPreset = e.preset
            s.fieldLimits = e.limits
        case .requiredFieldsChanged(let e): s.requiredFields = e.fields
        case .assessmentScaleChanged(let e): s.assessmentScale = e.values
        case .convertedLeadLockChanged(let e): s.lockConvertedLeads = e.locked
        case .phoneCountrySet(let e): s.phoneCountry = e.country
        case .importMappingSaved(let e):
            s.importMappings.upsert(SavedImportMapping(name: e.name, columns: e.columns, mode: e.mode, key: e.key)) { $0.name }
        case .importMappingRemoved(let e): s.importMappings.removeAll { $0.name == e.name }
        case .leadFormSaved(let e):
            s.leadForms.upsert(LeadFormEntry(form: e.form, savedBy: e.by, savedAt: e.at)) { $0.form.key }
        case .leadFormRemoved(let e): s.leadForms.removeAll { $0.form.key == e.key }
        case .mailboxSaved(let e):
            s.mailboxes.upsert(MailboxEntry(mailbox: e.mailbox, savedBy: e.by, savedAt: e.at)) { $0.mailbox.key }
        case .mailboxRemoved(let e): s.mailboxes.removeAll { $0.mailbox.key == e.key }
        case .messageTemplateSaved(let e):
            s.messageTemplates.upsert(MessageTemplateEntry(template: e.template, savedBy: e.by, savedAt: e.at)) { $0.template.key }
        case .messageTemplateRemoved(let e): s.messageTemplates.removeAll { $0.template.key == e.key }
        case .smtpRelaySet(let e): s.smtpRelay = e.relay
        case .smsGatewaySet(let e): s.smsGateway = e.gateway
        case .currencyRatesSet(let e):
            s.reportingCurrency = e.reportingCurrency
            s.currencyRates = e.rates
        case .dealStageDefined(let e):
            s.dealStages.append(DealStage(key: e.key, name: e.name, probability: e.probability, kind: e.kind))
        case .dealStageRenamed(let e):
            if let i = s.dealStages.firstIndex(where: { $0.key == e.key }) { s.dealStages[i].name = e.to }
        case .dealStageProbabilityChanged(let e):
            if let i = s.dealStages.firstIndex(where: { $0.key == e.key }) { s.dealStages[i].probability = e.to }
        case .dealStagesReordered(let e):
            let active = e.order.compactMap { key in s.dealStages.first { $0.key == key } }
            s.dealStages = active + s.dealStages.filter { !e.order.contains($0.key) }
        case .dealStageRetired(let e):
            if let i = s.dealStages.firstIndex(where: { $0.key == e.key }) { s.dealStages[i].retired = true }
        default: break
        }
        return s
    }

    /// Folds the whole `settings` stream onto the defaults.
    public static func replay(_ events: some Sequence<DomainEvent>) -> SettingsState {
        events.reduce(SettingsState.defaults, evolve)
    }
}

extension Array where Element: Identifiable, Element.ID == String {
    fileprivate mutating func mutate(_ key: String, _ change: (inout Element) -> Void) {
        if let index = firstIndex(where: { $0.id == key }) { change(&self[index]) }
    }
}

extension Array {
    /// Replaces the element whose key is `entry`'s, or adds `entry` keeping the array in key order: the named
    /// settings objects (import mappings, forms, mailboxes, templates) are saved and replaced by key.
    fileprivate mutating func upsert<Key: Comparable>(_ entry: Element, key: (Element) -> Key) {
        let wanted = key(entry)
        if let index = firstIndex(where: { key($0) == wanted }) {
            self[index] = entry
        } else {
            append(entry)
            sort { key($0) < key($1) }
        }
    }
}
