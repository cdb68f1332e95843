/// Everything one can change in settings. Decided by `SettingsDecider.decide(_:_:context:)`; every settings
/// command needs `Permission.settingsManage`.
public enum SettingsCommand: Sendable, Hashable {
    /// Add a step at the end of the pipeline (it becomes the conversion step).
    case defineStep(key: String, name: String, colour: String, description: String?)
    case renameStep(key: String, name: String)
    /// Put the active steps in a new order; must be a permutation of them.
    case reorderSteps([String])
    /// Retire a step (not the last remaining one, not the default step).
    case retireStep(key: String)
    case defineSource(key: String, name: String)
    case renameSource(key: String, name: String)
    case retireSource(key: String)
    case defineActionType(key: String, name: String)
    case retireActionType(key: String)
    case defineTag(name: String, colour: String?)
    case removeTag(name: String)
    /// Define a custom field, or redefine an existing key (its type cannot change).
    case defineCustomField(CustomFieldDefinition)
    case retireCustomField(key: String)
    case defineTaskType(key: String, name: String)
    case retireTaskType(key: String)
    case setDefaults(step: String, source: String)
    /// Choose `default` or `compact` limits, or `custom` ones (then `limits` is required).
    case setFieldLimits(FieldLimitsPreset, custom: FieldLimits?)
    /// Standard lead fields that must be filled (the full name always is).
    case setRequiredFields([LeadField])
    case setAssessmentScale([String])
    case setConvertedLeadLock(Bool)
    /// The currency deal reports convert into and the rates they use (`nil` and no rates: no conversion).
    case setCurrencyRates(reporting: String?, rates: [CurrencyRate])
    /// The country whose dialling plan reads numbers without a country code (`PhoneDialingPlan.all`); nil: none.
    case setPhoneCountry(String?)
    /// Save (or replace) a named import mapping, with the mode and key imports using it default to.
    case saveImportMapping(SavedImportMapping)
    case removeImportMapping(name: String)
    /// Save (or replace) a web-to-lead form.
    case saveLeadForm(LeadForm)
    case removeLeadForm(key: String)
    /// Save (or replace) a mailbox for e-mail intake.
    case saveMailbox(Mailbox)
    case removeMailbox(key: String)
    /// Set (or, with nil, remove) the SMTP relay of mass e-mail.
    case setSMTPRelay(SMTPRelay?)
    /// Set (or, with nil, remove) the HTTP gateway of SMS.
    case setSMSGateway(SMSGateway?)
    /// Save (or replace) a message template.
    case saveMessageTemplate(MessageTemplate)
    case removeMessageTemplate(key: String)
    /// Add a deal stage at the end of the active ones, with its probability (0–100) and kind.
    case defineDealStage(key: String, name: String, probability: Int64, kind: DealStageKind)
    case renameDealStage(key: String, name: String)
    case setDealStageProbability(key: String, probability: Int64)
    /// Put the active deal stages in a new order; must be a permutation of them.
    case reorderDealStages([String])
    /// Retire a deal stage (deals on it keep it; the last open, won or lost stage stays).
    case retireDealStage(key: String)

    /// The permission every settings command needs.
    public var requiredPermission: Permission { Self.permission }

    /// The permission every settings command needs (checked before its body is read, too).
    public static let permission = Permission.settingsManage
}
