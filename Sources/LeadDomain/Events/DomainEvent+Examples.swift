import Foundation

extension DomainEvent {
    /// One realistic example of every event type (fixed ids and times), for schema tests, codec tests and the
    /// fixtures of other modules. `EventKind.allCases` are all covered (a test holds this).
    public static let examples: [DomainEvent] = {
        let lead = UUID(uuidString: "6f1c2a4e-8d3b-4c1a-9e7f-0a1b2c3d4e5f")!
        let other = UUID(uuidString: "7a2d3b5f-9e4c-4d2b-8f80-1b2c3d4e5f60")!
        let customer = UUID(uuidString: "8b3e4c60-af5d-4e3c-9091-2c3d4e5f6071")!
        let admin = UUID(uuidString: "9c4f5d71-b06e-4f4d-a1a2-3d4e5f607182")!
        let manager = UUID(uuidString: "ad506e82-c17f-405e-b2b3-4e5f60718293")!
        let note = UUID(uuidString: "be617f93-d280-416f-83c4-5f60718293a4")!
        let action = UUID(uuidString: "cf7280a4-e391-4270-94d5-60718293a4b5")!
        let task = UUID(uuidString: "d08391b5-f4a2-4381-a5e6-718293a4b5c6")!
        let token = UUID(uuidString: "e194a2c6-05b3-4492-b6f7-8293a4b5c6d7")!
        let deal = UUID(uuidString: "f2a5b3d7-16c4-45a3-87f8-93a4b5c6d7e8")!
        let at = Timestamp(microseconds: 1_763_900_000_000_000)
        let later = at.adding(seconds: 86_400)
        let phone = PhoneNumber(typed: "+370 612 34567")
        let address = Address(country: "LT", city: "Vilnius", street: "Gedimino pr.", building: "9", flat: "12")
        var dealChanges = DealFieldChanges()
        dealChanges.amount = Change(from: "1200.5", to: "1500")
        dealChanges.probability = Change(from: 20, to: nil)
        dealChanges.expectedCloseAt = Change(from: later, to: nil)
        dealChanges.responsible = Change(from: manager, to: admin)
        var changes = LeadFieldChanges()
        changes.fullName = Change(from: "Jonas", to: "Jonas Jonaitis")
        changes.company = Change(from: nil, to: "UAB Rasa")
        changes.phones = Change(from: [], to: [phone])
        changes.emails = Change(from: [], to: ["jonas@rasa.lt"])
        changes.address = Change(from: nil, to: address)
        changes.source = Change(from: "manual", to: "website")
        changes.priority = Change(from: .normal, to: .high)
        changes.responsible = Change(from: nil, to: manager)
        changes.competitor = Change(from: nil, to: "Telia")
        changes.assessment = Change(from: nil, to: "4")
        changes.comment = Change(from: "call back", to: nil)
        changes.customFields = [
            "budget": Change(from: nil, to: .int(5_000)), "contract-date": Change(from: .date("2026-12-01"), to: nil),
        ]
        var taskChanges = TaskFieldChanges()
        taskChanges.description = Change(from: "Congratulate", to: "Congratulate and send a card")
        taskChanges.due = Change(from: later, to: nil)
        var copied = LeadFieldChanges()
        copied.emails = Change(from: [], to: ["jonas@rasa.lt"])
        var customerChanges = CustomerFieldChanges()
        customerChanges.company = Change(from: "UAB Rasa", to: "UAB Rasa ir partneriai")
        customerChanges.phones = Change(from: [phone], to: [phone, PhoneNumber(typed: "8 5 212 3456")])
        let movedNote = Note(id: note, step: "new", text: "Called, no answer", createdBy: manager, createdAt: at)
        let movedAction = LeadAction(
            id: action, step: "contacted", text: "Demo", actionType: "meeting", admin: manager, plannedAt: later,
            pinned: true, createdBy: manager, createdAt: at)
        let movedTask = LeadTask(
            id: task, taskType: "contact-client", description: "Send the offer", responsible: manager, due: later,
            createdBy: manager, createdAt: at)

        return [
            .leadCreated(
                LeadCreated(
                    leadId: lead, fullName: "Šarūnas Žemaitis", company: "UAB Rasa", phones: [phone],
                    emails: ["sarunas@rasa.lt"], address: address, source: "website", step: "new", priority: .normal,
                    responsible: manager, competitor: "Telia", assessment: "3", tags: ["VIP"],
                    customFields: [
                        "budget": .int(5_000), "segment": .list("b2b"), "site": .url("https://rasa.lt"),
                        "newsletter": .flag(true), "contract-date": .date("2026-12-01"),
                        "notes": .text("two lines\nhere"),
                        "code": .string("R-1"),
                    ],
                    comment: "Met at the fair", at: at, by: admin)),
            .leadUpdated(LeadUpdated(leadId: lead, changes: changes, at: at, by: admin)),
            .leadStepMarked(LeadStepMarked(leadId: lead, from: "new", to: "contacted", at: at, by: manager)),
            .leadAssigned(LeadAssigned(leadId: lead, from: nil, to: manager, at: at, by: admin)),
            .leadTagged(LeadTagged(leadId: lead, tag: "Kaunas", at: at, by: manager)),
            .leadUntagged(LeadUntagged(leadId: lead, tag: "VIP", at: at, by: manager)),
            .watcherAdded(WatcherAdded(leadId: lead, watcher: admin, at: at, by: admin)),
            .watcherRemoved(WatcherRemoved(leadId: lead, watcher: admin, at: at, by: admin)),
            .noteAdded(
                NoteAdded(
                    leadId: lead, noteId: note, step: "new", text: "Ёлкин перезвонит", format: .markdown, at: at,
                    by: manager)),
            .actionLogged(
                ActionLogged(
                    leadId: lead, actionId: action, step: "contacted", text: "Demo", actionType: "meeting",
                    admin: manager, plannedAt: later, at: at, by: manager)),
            .actionPinned(ActionPinned(leadId: lead, actionId: action, at: at, by: manager)),
            .actionUnpinned(ActionUnpinned(leadId: lead, actionId: action, at: at, by: manager)),
            .actionCompleted(ActionCompleted(leadId: lead, actionId: action, at: at, by: manager)),
            .taskAdded(
                TaskAdded(
                    leadId: lead, taskId: task, taskType: "birthday-greeting", description: "Congratulate",
                    responsible: manager, due: later, at: at, by: manager)),
            .taskClosed(TaskClosed(leadId: lead, taskId: task, at: at, by: manager)),
            .taskUpdated(TaskUpdated(leadId: lead, taskId: task, changes: taskChanges, at: at, by: manager)),
            .taskReassigned(TaskReassigned(leadId: lead, taskId: task, from: manager, to: admin, at: at, by: manager)),
            .taskReopened(TaskReopened(leadId: lead, taskId: task, at: at, by: manager)),
            .taskDeleted(TaskDeleted(leadId: lead, taskId: task, at: at, by: admin)),
            .callReceived(
                CallReceived(
                    leadId: lead, callId: other, number: "8 912 345-67-89", digits: "79123456789", takenBy: manager,
                    at: at,
                    by: admin)),
            .emailReceived(
                EmailReceived(
                    leadId: lead, emailId: other, mailbox: "sales", messageId: "20261204.1234@mail.example.ru",
                    from: "ivan@example.ru", fromName: "Иван Петров", subject: "Заявка с сайта",
                    sentAt: at.adding(seconds: -600),
                    text: "Имя: Иван Петров\nТелефон: +7 912 345-67-89", attachments: ["price.pdf"], at: at, by: admin)),
            .messageSent(
                MessageSent(
                    leadId: lead, actionId: other, mailingId: customer, channel: .email, to: "ivan@example.ru",
                    subject: "Иван, an offer", text: "Hello Иван", messageId: "<mailing.lead@example.ru>",
                    actionType: "email", step: "contacted", at: at, by: admin)),
            .leadPaused(LeadPaused(leadId: lead, until: later, at: at, by: manager)),
            .leadResumed(LeadResumed(leadId: lead, at: at, by: manager)),
            .leadDataCopied(LeadDataCopied(leadId: lead, fromLeadId: other, changes: copied, at: at, by: manager)),
            .leadsMerged(
                LeadsMerged(
                    leadId: lead, sourceLeadIds: [other], changes: copied, addedTags: ["Kaunas"],
                    addedWatchers: [admin],
                    movedNotes: [movedNote], movedActions: [movedAction], movedTasks: [movedTask], at: at, by: admin)),
            .leadMergedInto(LeadMergedInto(leadId: other, targetLeadId: lead, at: at, by: admin)),
            .leadLinkedToCustomer(LeadLinkedToCustomer(leadId: lead, customerId: customer, at: at, by: manager)),
            .leadConverted(LeadConverted(leadId: lead, customerId: customer, at: at, by: manager)),
            .leadDeleted(LeadDeleted(leadId: lead, reason: "duplicate", dealIds: [deal], at: at, by: admin)),
            .leadRestored(LeadRestored(leadId: lead, dealIds: [deal], at: at, by: admin)),
            .customerRegistered(
                CustomerRegistered(
                    customerId: customer, kind: .person, fullName: "Šarūnas Žemaitis", company: "UAB Rasa",
                    companyId: other,
                    phones: [phone],
                    emails: ["sarunas@rasa.lt"], address: address, fromLeadId: lead, at: at, by: manager)),
            .customerUpdated(CustomerUpdated(customerId: customer, changes: customerChanges, at: at, by: admin)),
            .customerCompanyChanged(
                CustomerCompanyChanged(customerId: customer, from: other, to: nil, at: at, by: admin)),
            .customerDeleted(CustomerDeleted(customerId: customer, reason: "duplicate", at: at, by: admin)),
            .customerRestored(CustomerRestored(customerId: customer, at: at, by: admin)),
            .dealCreated(
                DealCreated(
                    dealId: deal, name: "CRM licences", amount: "1200.5", currency: "EUR", stage: "qualification",
                    probability: 20, expectedCloseAt: later, responsible: manager, leadId: lead, customerId: customer,
                    at: at, by: manager)),
            .dealUpdated(DealUpdated(dealId: deal, changes: dealChanges, at: at, by: manager)),
            .dealStageMoved(DealStageMoved(dealId: deal, from: "qualification", to: "proposal", at: at, by: manager)),
            .dealWon(DealWon(dealId: deal, from: "proposal", to: "won", at: later, by: manager)),
            .dealLost(
                DealLost(dealId: deal, from: "proposal", to: "lost", reason: "Too expensive", at: later, by: manager)),
            .dealReopened(DealReopened(dealId: deal, from: "lost", to: "negotiation", at: later, by: manager)),
            .dealDeleted(DealDeleted(dealId: deal, reason: "Duplicate", at: later, by: admin)),
            .dealRestored(DealRestored(dealId: deal, at: later, by: admin)),
            .dealTaskAdded(
                DealTaskAdded(
                    dealId: deal, taskId: task, taskType: "meeting", description: "Present the offer",
                    responsible: manager, due: later, at: at, by: manager)),
            .dealTaskClosed(DealTaskClosed(dealId: deal, taskId: task, at: later, by: manager)),
            .dealTaskUpdated(DealTaskUpdated(dealId: deal, taskId: task, changes: taskChanges, at: at, by: manager)),
            .dealTaskReassigned(
                DealTaskReassigned(dealId: deal, taskId: task, from: manager, to: nil, at: at, by: admin)),
            .dealTaskReopened(DealTaskReopened(dealId: deal, taskId: task, at: later, by: manager)),
            .dealTaskDeleted(DealTaskDeleted(dealId: deal, taskId: task, at: later, by: admin)),
            .dealStageDefined(
                DealStageDefined(key: "demo", name: "Demo", probability: 25, kind: .open, at: at, by: admin)),
            .dealStageRenamed(DealStageRenamed(key: "proposal", from: "Proposal", to: "Offer sent", at: at, by: admin)),
            .dealStageProbabilityChanged(
                DealStageProbabilityChanged(key: "proposal", from: 40, to: 45, at: at, by: admin)),
            .dealStagesReordered(
                DealStagesReordered(
                    order: ["demo", "qualification", "proposal", "negotiation", "won", "lost"], at: at, by: admin)),
            .dealStageRetired(DealStageRetired(key: "demo", at: at, by: admin)),
            .stepDefined(
                StepDefined(
                    key: "negotiation", name: "Negotiation", colour: "#ffc107", description: "Haggling", at: at,
                    by: admin)),
            .stepRenamed(StepRenamed(key: "new", from: "New", to: "Incoming", at: at, by: admin)),
            .stepsReordered(
                StepsReordered(
                    order: ["new", "contacted", "qualified", "negotiation", "proposal", "won"], at: at, by: admin)),
            .stepRetired(StepRetired(key: "negotiation", at: at, by: admin)),
            .sourceDefined(SourceDefined(key: "fair", name: "Trade fair", at: at, by: admin)),
            .sourceRenamed(SourceRenamed(key: "fair", from: "Trade fair", to: "Fair", at: at, by: admin)),
            .sourceRetired(SourceRetired(key: "fair", at: at, by: admin)),
            .actionTypeDefined(ActionTypeDefined(key: "sms", name: "SMS", at: at, by: admin)),
            .actionTypeRetired(ActionTypeRetired(key: "sms", at: at, by: admin)),
            .tagDefined(TagDefined(name: "VIP", colour: "#f44336", at: at, by: admin)),
            .tagRemoved(TagRemoved(name: "VIP", at: at, by: admin)),
            .customFieldDefined(
                CustomFieldDefined(
                    field: CustomFieldDefinition(
                        key: "segment", name: "Segment", type: .list, required: true, options: ["b2b", "b2c"]),
                    at: at, by: admin)),
            .customFieldRetired(CustomFieldRetired(key: "segment", at: at, by: admin)),
            .taskTypeDefined(TaskTypeDefined(key: "send-offer", name: "Send an offer", at: at, by: admin)),
            .taskTypeRetired(TaskTypeRetired(key: "send-offer", at: at, by: admin)),
            .defaultsChanged(DefaultsChanged(defaultStep: "contacted", defaultSource: "website", at: at, by: admin)),
            .fieldLimitsChanged(FieldLimitsChanged(preset: .compact, limits: .compact, at: at, by: admin)),
            .requiredFieldsChanged(RequiredFieldsChanged(fields: [.phones, .source], at: at, by: admin)),
            .assessmentScaleChanged(
                AssessmentScaleChanged(values: ["weak", "equal", "strong"], at: at, by: admin)),
            .convertedLeadLockChanged(ConvertedLeadLockChanged(locked: true, at: at, by: admin)),
            .phoneCountrySet(PhoneCountrySet(country: "LT", at: at, by: admin)),
            .importMappingSaved(
                ImportMappingSaved(
                    name: "crm-weekly",
                    columns: [
                        ImportColumn(column: "E-mail", field: "emails"), ImportColumn(column: "ФИО", field: "fullName"),
                    ],
                    mode: .upsert, key: "email", at: at, by: admin)),
            .importMappingRemoved(ImportMappingRemoved(name: "crm-weekly", at: at, by: admin)),
            .leadFormSaved(
                LeadFormSaved(
                    form: LeadForm(
                        key: "contact-us", name: "Contact us",
                        fields: [
                            ImportColumn(column: "email", field: "emails"),
                            ImportColumn(column: "name", field: "fullName"),
                        ],
                        source: "website", step: "new", responsible: admin, allowedOrigins: ["https://example.com"],
                        honeypot: "website"),
                    at: at, by: admin)),
            .leadFormRemoved(LeadFormRemoved(key: "contact-us", at: at, by: admin)),
            .mailboxSaved(
                MailboxSaved(
                    mailbox: Mailbox(
                        key: "sales", name: "Sales inbox", maildir: "sales",
                        template: "Имя: {{fullName}}\nТелефон: {{phone}}",
                        source: "email", step: "new", responsible: manager, enabled: true),
                    at: at, by: admin)),
            .mailboxRemoved(MailboxRemoved(key: "sales", at: at, by: admin)),
            .messageTemplateSaved(
                MessageTemplateSaved(
                    template: MessageTemplate(
                        key: "autumn-offer", name: "Autumn offer", subject: "{{fullName}}, an offer for {{company}}",
                        text: "Hello {{fullName}},\n\n{{responsible.name}}", html: "<p>Hello {{fullName}},</p>"),
                    at: at, by: admin)),
            .messageTemplateRemoved(MessageTemplateRemoved(key: "autumn-offer", at: at, by: admin)),
            .smtpRelaySet(
                SMTPRelaySet(
                    relay: SMTPRelay(
                        host: "smtp.example.ru", port: 587, security: .starttls, username: "crm",
                        passwordVariable: "LEADLEDGER_SMTP_PASSWORD", senderAddress: "sales@example.ru",
                        senderName: "Отдел продаж", messagesPerMinute: 120),
                    at: at, by: admin)),
            .smsGatewaySet(
                SMSGatewaySet(
                    gateway: SMSGateway(
                        url: "https://sms.example.ru/send", method: .POST, body: "to={{to}}&text={{text}}",
                        contentType: "application/x-www-form-urlencoded", authHeader: "Authorization",
                        authVariable: "LEADLEDGER_SMS_TOKEN", successContains: "OK"),
                    at: at, by: admin)),
            .currencyRatesSet(
                CurrencyRatesSet(
                    reportingCurrency: "EUR", rates: [CurrencyRate(currency: "USD", rate: "0.92")], at: at, by: admin)),
            .adminCreated(
                AdminCreated(
                    adminId: manager, name: "Rūta", email: "ruta@rasa.lt", role: .manager,
                    permissions: [.leadsReadAll, .reportsRead], at: at, by: admin)),
            .roleChanged(RoleChanged(adminId: manager, from: .manager, to: .admin, at: at, by: admin)),
            .permissionsChanged(
                PermissionsChanged(
                    adminId: manager, from: [.reportsRead], to: [.leadsDelete, .reportsRead], at: at, by: admin)),
            .tokenIssued(
                TokenIssued(
                    adminId: manager, tokenId: token, label: "phone app",
                    sha256: String(repeating: "ab", count: 32), expiresAt: later, at: at, by: admin)),
            .tokenRevoked(TokenRevoked(adminId: manager, tokenId: token, at: at, by: admin)),
            .adminDisabled(AdminDisabled(adminId: manager, at: at, by: admin)),
            .importStarted(
                ImportStarted(
                    importId: other, format: .xlsx, fileName: "leads.xlsx", sheet: "Leads",
                    fileSha256: String(repeating: "cd", count: 32),
                    fileBytes: 48_213, mode: .upsert, key: "email",
                    mapping: [
                        ImportColumn(column: "E-mail", field: "emails"),
                        ImportColumn(column: "ИНН", field: "customFields.inn"),
                        ImportColumn(column: "Телефон", field: "phones"),
                        ImportColumn(column: "ФИО", field: "fullName"),
                    ],
                    at: at, by: admin)),
            .importCompleted(
                ImportCompleted(
                    importId: other, rows: 120, created: 100, updated: 12, unchanged: 3, skipped: 0, failed: 5,
                    errors: [
                        ImportRowError(
                            row: 7, column: "E-mail", field: "emails[0]", code: "invalidEmail",
                            message: "ivan@ is not an e-mail address")
                    ], at: at, by: admin)),
            .importReverted(
                ImportReverted(importId: other, deleted: 100, reverted: 12, conflicts: 1, at: at, by: admin)),
            .bulkOperationStarted(
                BulkOperationStarted(
                    bulkId: other,
                    operation: BulkOperation(
                        kind: .setFields, fields: [BulkFieldValue(field: "customFields.city", value: "Vilnius")]),
                    filter: "step=new&tag=vip", leads: 1_250, position: 42_000, at: at, by: admin)),
            .bulkOperationCompleted(
                BulkOperationCompleted(
                    bulkId: other, applied: 1_200, unchanged: 40, refused: 10,
                    refusals: [BulkRefusal(leadId: lead, code: "leadDeleted", message: "the lead is deleted")], at: at,
                    by: admin)),
            .bulkOperationReverted(
                BulkOperationReverted(bulkId: other, reverted: 1_190, conflicts: 10, at: at, by: admin)),
            .mailingStarted(
                MailingStarted(
                    mailingId: other, channel: .email,
                    template: MessageTemplate(
                        key: "autumn-offer", name: "Autumn offer", subject: "{{fullName}}, an offer",
                        text: "Hello {{fullName}}"),
                    actionType: "email", filter: "step=new", leads: 120, recipients: 118, refused: 2,
                    refusals: [BulkRefusal(leadId: lead, code: "noAddress", message: "the lead has no e-mail")],
                    position: 42_000, at: at, by: admin)),
            .mailingRecipientsAdded(
                MailingRecipientsAdded(mailingId: other, leadIds: [lead, customer], at: at, by: admin)),
            .messageDispatched(
                MessageDispatched(
                    mailingId: other, leadId: lead, attempt: 1, to: "ivan@example.ru",
                    messageId: "<mailing.lead@example.ru>", at: at, by: admin)),
            .messageAccepted(
                MessageAccepted(mailingId: other, leadId: lead, reply: "250 2.0.0 queued", at: at, by: admin)),
            .messageDeferred(
                MessageDeferred(
                    mailingId: other, leadId: lead, attempt: 1, reply: "451 4.3.0 try again later",
                    retryAt: at.adding(seconds: 60), at: at, by: admin)),
            .messageFailed(
                MessageFailed(
                    mailingId: other, leadId: lead, code: "permanent", reply: "550 5.1.1 no such user", at: at,
                    by: admin)),
            .mailingPaused(
                MailingPaused(mailingId: other, reason: "relay unreachable: connection refused", at: at, by: admin)),
            .mailingResumed(MailingResumed(mailingId: other, at: at, by: admin)),
            .mailingCompleted(MailingCompleted(mailingId: other, sent: 115, failed: 3, inDoubt: 1, at: at, by: admin)),
            .mailingCancelled(MailingCancelled(mailingId: other, reason: "wrong template", at: at, by: admin)),
        ]
    }()
}
