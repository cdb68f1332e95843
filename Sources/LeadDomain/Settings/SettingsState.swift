/// The CRM's configuration: the fold of the `settings` stream, starting from `SettingsState.defaults`.
///
/// Defaults (an empty stream): pipeline `new → contacted → qualified → proposal → won` (`won` is the conversion
/// step), sources `manual` (default), `website`, `phone`, `email`, `referral`; action types `call`, `meeting`,
/// `email`; task types `contact-client`, `birthday-greeting`, `meeting`; `FieldLimits.standard`; no required
/// fields beyond the full name; assessment scale `1`…`5`; converted leads not locked.
public struct SettingsState: Sendable, Hashable, Codable {
    /// Every step ever defined; active ones in pipeline order (retired ones keep their place).
    public var steps: [PipelineStep]
    public var sources: [CatalogueEntry]
    public var actionTypes: [CatalogueEntry]
    public var taskTypes: [CatalogueEntry]
    public var tags: [TagDefinition]
    public var customFields: [CustomFieldDefinition]
    public var defaultStep: String
    public var defaultSource: String
    public var fieldLimitsPreset: FieldLimitsPreset
    public var fieldLimits: FieldLimits
    /// Standard fields a lead must have besides the full name (always required).
    public var requiredFields: [LeadField]
    /// Allowed competitor assessments, lowest first.
    public var assessmentScale: [String]
    /// Whether converted leads refuse edits.
    public var lockConvertedLeads: Bool
    /// Every deal stage ever defined; active ones in order (retired ones keep their place).
    public var dealStages: [DealStage]
    /// The currency deal reports convert into (nil: no conversion) and the rates they convert at, by currency.
    public var reportingCurrency: String? = nil
    public var currencyRates: [CurrencyRate] = []
    /// ISO 3166-1 alpha-2 code of the country whose dialling plan (`PhoneDialingPlan`) reads numbers written
    /// without a country code; nil: numbers are compared as written.
    public var phoneCountry: String? = nil
    /// Import mappings saved for reuse, by name.
    public var importMappings: [SavedImportMapping] = []
    /// Web-to-lead forms, by key, with the admin who saved each (their submissions act as that admin).
    public var leadForms: [LeadFormEntry] = []
    /// Mailboxes for e-mail intake, by key, with the admin who saved each (intake acts as that admin).
    public var mailboxes: [MailboxEntry] = []
    /// Message templates for mass e-mail, by key.
    public var messageTemplates: [MessageTemplateEntry] = []
    /// The SMTP relay mass e-mail goes through (nil: no mass e-mail).
    public var smtpRelay: SMTPRelay? = nil
    /// The HTTP gateway SMS go through (nil: no SMS).
    public var smsGateway: SMSGateway? = nil
    /// The version of the `settings` stream (0 for the defaults).
    public var version: UInt64

    public init(
        steps: [PipelineStep], sources: [CatalogueEntry], actionTypes: [CatalogueEntry], taskTypes: [CatalogueEntry],
        tags: [TagDefinition] = [], customFields: [CustomFieldDefinition] = [], defaultStep: String,
        defaultSource: String, fieldLimitsPreset: FieldLimitsPreset = .default, fieldLimits: FieldLimits = .standard,
        requiredFields: [LeadField] = [], assessmentScale: [String] = ["1", "2", "3", "4", "5"],
        lockConvertedLeads: Bool = false, dealStages: [DealStage] = SettingsState.defaultDealStages, version: UInt64 = 0
    ) {
        self.steps = steps
        self.sources = sources
        self.actionTypes = actionTypes
        self.taskTypes = taskTypes
        self.tags = tags
        self.customFields = customFields
        self.defaultStep = defaultStep
        self.defaultSource = defaultSource
        self.fieldLimitsPreset = fieldLimitsPreset
        self.fieldLimits = fieldLimits
        self.requiredFields = requiredFields
        self.assessmentScale = assessmentScale
        self.lockConvertedLeads = lockConvertedLeads
        self.dealStages = dealStages
        self.version = version
    }

    /// The deal stages of an empty `settings` stream.
    public static let defaultDealStages = [
        DealStage(key: "qualification", name: "Qualification", probability: 10, kind: .open),
        DealStage(key: "proposal", name: "Proposal", probability: 40, kind: .open),
        DealStage(key: "negotiation", name: "Negotiation", probability: 70, kind: .open),
        DealStage(key: "won", name: "Won", probability: 100, kind: .won),
        DealStage(key: "lost", name: "Lost", probability: 0, kind: .lost),
    ]

    /// Active deal stages in order.
    public var activeDealStages: [DealStage] { dealStages.filter { !$0.retired } }

    /// The active deal stage `key`, nil when unknown or retired.
    public func activeDealStage(_ key: String) -> DealStage? { dealStages.first { $0.key == key && !$0.retired } }

    /// The settings of an empty `settings` stream.
    public static let defaults = SettingsState(
        steps: [
            PipelineStep(
                key: "new", name: "New", colour: "#9e9e9e", description: "Just arrived, nobody has talked to them yet"),
            PipelineStep(key: "contacted", name: "Contacted", colour: "#2196f3", description: "First contact made"),
            PipelineStep(
                key: "qualified", name: "Qualified", colour: "#ff9800", description: "Needs and budget confirmed"),
            PipelineStep(key: "proposal", name: "Proposal", colour: "#9c27b0", description: "An offer was sent"),
            PipelineStep(key: "won", name: "Won", colour: "#4caf50", description: "Agreed: ready to become a customer"),
        ],
        sources: [
            CatalogueEntry(key: "manual", name: "Manual entry"),
            CatalogueEntry(key: "website", name: "Website"),
            CatalogueEntry(key: "phone", name: "Phone call"),
            CatalogueEntry(key: "email", name: "E-mail"),
            CatalogueEntry(key: "referral", name: "Referral"),
        ],
        actionTypes: [
            CatalogueEntry(key: "call", name: "Call"),
            CatalogueEntry(key: "meeting", name: "Meeting"),
            CatalogueEntry(key: "email", name: "E-mail"),
        ],
        taskTypes: [
            CatalogueEntry(key: "contact-client", name: "Contact the client"),
            CatalogueEntry(key: "birthday-greeting", name: "Birthday greeting"),
            CatalogueEntry(key: "meeting", name: "Meeting"),
        ],
        defaultStep: "new",
        defaultSource: "manual"
    )

    /// Active steps in pipeline order.
    public var activeSteps: [PipelineStep] { steps.filter { !$0.retired } }

    /// The last active step: only a lead on it can be converted.
    public var conversionStep: String? { activeSteps.last?.key }

    /// A step's position among the active steps (0 = first), `nil` if unknown or retired.
    public func pipelineIndex(of step: String) -> Int? { activeSteps.firstIndex { $0.key == step } }

    public func isActiveStep(_ key: String) -> Bool { steps.contains { $0.key == key && !$0.retired } }
    /// A number in international form by the phone country's dialling plan (its digits as written without one).
    public func internationalDigits(_ number: PhoneNumber) -> String {
        phoneCountry.flatMap(PhoneDialingPlan.of)?.international(number) ?? number.digits
    }

    public func isActiveSource(_ key: String) -> Bool { sources.contains { $0.key == key && !$0.retired } }
    public func isActiveActionType(_ key: String) -> Bool { actionTypes.contains { $0.key == key && !$0.retired } }
    public func isActiveTaskType(_ key: String) -> Bool { taskTypes.contains { $0.key == key && !$0.retired } }

    /// The active definition of a custom field.
    public func customField(_ key: String) -> CustomFieldDefinition? {
        customFields.first { $0.key == key && !$0.retired }
    }
}
