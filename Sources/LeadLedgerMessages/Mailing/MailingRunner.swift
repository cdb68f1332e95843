import EventLog
import Foundation
import LeadDomain
import LeadLedgerCore

/// A mailing's request: what to send (a template, through e-mail or SMS, recorded as which action type), to
/// which leads, as whom.
public struct MailingRequest: Sendable {
    public var id: UUID
    public var channel: MessageChannel
    public var template: String
    public var actionType: String
    public var selection: BulkSelection
    public var actor: UUID
    /// Whether the caller reaches a lead (ids outside their reach are refused as not found).
    public var canReach: @Sendable (LeadState) -> Bool

    public init(
        id: UUID, channel: MessageChannel, template: String, actionType: String, selection: BulkSelection, actor: UUID,
        canReach: @escaping @Sendable (LeadState) -> Bool
    ) {
        self.id = id
        self.channel = channel
        self.template = template
        self.actionType = actionType
        self.selection = selection
        self.actor = actor
        self.canReach = canReach
    }
}

/// Mailings (mass e-mail and SMS, ABillS and NCRM): a job on the log that sends one message per lead.
///
/// **Never twice.** Before a message goes to the relay its `MessageDispatched` is durable; after, its outcome
/// (`MessageAccepted` with the lead's `MessageSent`, `MessageDeferred` or `MessageFailed`). A restart finds a
/// dispatch without an outcome, records it in doubt (`MessageFailed`, code `inDoubt`) and does not resend it:
/// the relay may have it. SMTP narrows that window to the end of the data (a connection broken before it leaves
/// nothing at the relay, RFC 5321 §4.1.1.4, and is `MessageDeferred`).
///
/// **Nothing lost.** Every recipient ends sent or failed with a code; leads without an address are refused at
/// the start (`noAddress`) and reported; an unreachable relay pauses the mailing (`MailingPaused`) with nothing
/// recorded as sent, and `resume` goes on from there.
public struct MailingRunner: Sendable {
    /// The longest SMS text sent (ten concatenated 160-character parts).
    public static let maxSMSText = 1_600
    public let ledger: Ledger
    public let transports: MailingTransports
    /// One pace per channel for every mailing this runner sends: the relay's rate is the relay's, however many
    /// mailings run at once.
    let throttle = SendThrottle()

    public init(ledger: Ledger, transports: MailingTransports) {
        self.ledger = ledger
        self.transports = transports
    }

    /// Checks the request, reads its set at one log position and appends `MailingStarted` with the recipients
    /// (one atomic append). A repeat of a started mailing answers it. Throws `BulkError` naming the field.
    public func start(_ request: MailingRequest) async throws -> MailingRecord {
        if let earlier = try ledger.mailing(request.id) { return earlier }
        let settings = try ledger.currentSettings()
        guard let entry = settings.messageTemplates.first(where: { $0.template.key == request.template }) else {
            throw BulkError(field: "template", code: "unknownTemplate", message: "no message template \(request.template)")
        }
        let template = entry.template
        if let problem = MessageRenderer.problems(template, settings: settings).first {
            throw BulkError(field: "template", code: problem.code.rawValue, message: "\(problem.field): \(problem.message)")
        }
        guard settings.isActiveActionType(request.actionType) else {
            throw BulkError(field: "actionType", code: "unknownActionType", message: "\(request.actionType) is not an active action type")
        }
        switch request.channel {
        case .email:
            guard settings.smtpRelay != nil else {
                throw BulkError(field: "channel", code: "notConfigured", message: "no SMTP relay is set (PUT /v1/settings/smtp-relay)")
            }
        case .sms:
            guard settings.smsGateway != nil else {
                throw BulkError(field: "channel", code: "notConfigured", message: "no SMS gateway is set (PUT /v1/settings/sms-gateway)")
            }
            guard template.text != nil else {
                throw BulkError(field: "template", code: "noText", message: "an SMS needs a template with a text body")
            }
        }
        let (ids, notFound, position) = try ledger.selectLeads(
            request.selection, limit: Ledger.maxMailingRecipients, canChange: request.canReach)
        var filter: String?
        if case .query(_, let text) = request.selection { filter = text }
        guard !ids.isEmpty || !notFound.isEmpty else {
            throw BulkError(
                field: filter == nil ? "ids" : "filter", code: "emptySelection",
                message: filter == nil ? "no lead ids were given" : "the filter matches no lead you can reach")
        }
        var recipients: [UUID] = []
        var refusals = notFound
        try ledger.read { view in
            for id in ids {
                guard let lead = try view.lead(id) else { continue }
                if Self.address(lead, channel: request.channel, settings: settings) == nil {
                    refusals.append(
                        BulkRefusal(
                            leadId: id, code: "noAddress",
                            message: request.channel == .email ? "the lead has no e-mail" : "the lead has no phone number"))
                } else {
                    recipients.append(id)
                }
            }
        }
        guard !recipients.isEmpty else {
            throw BulkError(
                field: filter == nil ? "ids" : "filter", code: "noRecipients",
                message: "none of the \(ids.count + notFound.count) selected leads has "
                    + (request.channel == .email ? "an e-mail" : "a phone number") + " you can send to")
        }
        let now = ledger.configuration.clock.now()
        let started = MailingStarted(
            mailingId: request.id, channel: request.channel, template: template, actionType: request.actionType,
            filter: filter, leads: Int64(ids.count + notFound.count), recipients: Int64(recipients.count),
            refused: Int64(refusals.count), refusals: Array(refusals.prefix(MailingRecord.maxFailures)),
            position: Int64(position), at: now, by: request.actor)
        var events: [(event: DomainEvent, key: String)] = [(.mailingStarted(started), "started")]
        var index = 0
        while index < recipients.count {
            let part = Array(recipients[index..<min(index + Ledger.recipientsPerEvent, recipients.count)])
            events.append(
                (.mailingRecipientsAdded(MailingRecipientsAdded(mailingId: request.id, leadIds: part, at: now, by: request.actor)),
                 "recipients:\(index)"))
            index += part.count
        }
        try await ledger.appendMailingEvents(events, mailingId: request.id, actor: request.actor, expectedVersion: 0)
        guard let record = try ledger.mailing(request.id) else { throw BulkError(field: "id", code: "notFound", message: "lost") }
        return record
    }

    /// Pauses a running mailing (an admin's choice): the message in flight, if any, still gets its outcome.
    public func pause(_ id: UUID, actor: UUID, reason: String) async throws -> MailingRecord {
        try await change(id, actor: actor, allowed: [.running], key: "paused") { at in
            .mailingPaused(MailingPaused(mailingId: id, reason: reason, at: at, by: actor))
        }
    }

    /// Lets a paused mailing go on (the caller runs it again).
    public func resume(_ id: UUID, actor: UUID) async throws -> MailingRecord {
        try await change(id, actor: actor, allowed: [.paused], key: "resumed") { at in
            .mailingResumed(MailingResumed(mailingId: id, at: at, by: actor))
        }
    }

    /// Cancels a running or paused mailing: its remaining recipients get nothing.
    public func cancel(_ id: UUID, actor: UUID, reason: String?) async throws -> MailingRecord {
        try await change(id, actor: actor, allowed: [.running, .paused], key: "cancelled") { at in
            .mailingCancelled(MailingCancelled(mailingId: id, reason: reason, at: at, by: actor))
        }
    }

    private func change(
        _ id: UUID, actor: UUID, allowed: Set<MailingRecord.State>, key: String, event: (Timestamp) -> DomainEvent
    ) async throws -> MailingRecord {
        for _ in 0..<10 {
            guard let record = try ledger.mailing(id) else {
                throw BulkError(field: "id", code: "notFound", message: "no mailing \(id.uuidString.lowercased())")
            }
            guard allowed.contains(record.state) else {
                throw BulkError(field: "id", code: "conflict", message: "the mailing is \(record.state.rawValue)")
            }
            do {
                // Keyed by the version: pausing, resuming and pausing again are three events.
                try await ledger.appendMailingEvents(
                    [(event(ledger.configuration.clock.now()), "\(key):\(record.version)")], mailingId: id, actor: actor,
                    expectedVersion: record.version)
                return try ledger.mailing(id) ?? record
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                continue  // the runner appended meanwhile
            }
        }
        throw BulkError(field: "id", code: "conflict", message: "the mailing changed too often; try again")
    }

    /// The address a message to `lead` goes to: its first e-mail, or its first phone in international form.
    static func address(_ lead: LeadState, channel: MessageChannel, settings: SettingsState) -> String? {
        switch channel {
        case .email: return lead.emails.first
        case .sms:
            guard let phone = lead.phones.first else { return nil }
            let digits = settings.internationalDigits(phone)
            return digits.count >= 7 ? "+" + digits : nil
        }
    }
}

extension MailingRunner {
    /// Why a run stopped before the end: the mailing is no longer running (an admin paused or cancelled it).
    struct Stopped: Error {}

    /// Sends the mailing's remaining messages, throttled, until every recipient is sent or failed
    /// (`MailingCompleted`), the relay is unreachable (`MailingPaused`), an admin pauses or cancels it, or the task
    /// is cancelled (a server shutting down: the run stops between two messages and the next start resumes it).
    /// `progress` is told after each outcome.
    @discardableResult
    public func run(_ id: UUID, progress: @Sendable (MailingSummary) -> Void = { _ in }) async throws -> MailingRecord {
        guard var record = try ledger.mailing(id) else {
            throw BulkError(field: "id", code: "notFound", message: "no mailing \(id.uuidString.lowercased())")
        }
        guard record.state == .running else { return record }
        var run = Run(runner: self, record: record)
        do {
            try await run.go(progress: progress)
        } catch is Stopped {
        } catch is CancellationError {
        }
        await run.transport?.close()
        record = try ledger.mailing(id) ?? run.record
        progress(record.summary)
        return record
    }

    /// One run's state: the record as this run knows it (its version is the stream's) and the transport.
    struct Run {
        let runner: MailingRunner
        var record: MailingRecord
        var transport: (any MessageTransport)?
        var cursor = 0
        /// The recipients waiting for a retry, and when: kept beside the record so that picking the next message
        /// does not walk every recipient.
        var deferred: [UUID: (attempt: Int64, retryAt: Timestamp)] = [:]
        var ledger: Ledger { runner.ledger }
        var actor: UUID { record.started.by }
        var id: UUID { record.id }

        init(runner: MailingRunner, record: MailingRecord) {
            self.runner = runner
            self.record = record
            for (lead, status) in record.status {
                if case .deferred(let attempt, let retryAt) = status { deferred[lead] = (attempt, retryAt) }
            }
        }

        mutating func go(progress: @Sendable (MailingSummary) -> Void) async throws {
            // A dispatch a crash left without an outcome: the relay may have it. Recorded, never resent.
            let inDoubt = record.recipients.filter { if case .dispatched = record.status[$0] { true } else { false } }
            for lead in inDoubt {
                try await outcome(
                    .messageFailed(
                        MessageFailed(
                            mailingId: id, leadId: lead, code: "inDoubt",
                            reply: "the server stopped while the relay had the message; it is not sent again", at: now(),
                            by: actor)), key: "\(lead):indoubt")
            }
            let settings = try ledger.currentSettings()
            let perMinute: Int64
            let maxAttempts: Int64
            let retrySeconds: Int64
            do {
                switch record.started.channel {
                case .email:
                    guard let relay = settings.smtpRelay else { throw TransportUnavailable(message: "no SMTP relay is set") }
                    (perMinute, maxAttempts, retrySeconds) = (relay.messagesPerMinute, relay.maxAttempts, relay.retrySeconds)
                    transport = try runner.transports.email(relay)
                case .sms:
                    guard let gateway = settings.smsGateway else { throw TransportUnavailable(message: "no SMS gateway is set") }
                    (perMinute, maxAttempts, retrySeconds) = (gateway.messagesPerMinute, gateway.maxAttempts, gateway.retrySeconds)
                    transport = try runner.transports.sms(gateway)
                }
            } catch let error as TransportUnavailable {
                try await pause(error.message)
                return
            }
            let interval = Duration.milliseconds(60_000 / max(perMinute, 1))
            let domain = settings.smtpRelay.map { MailingTransports.heloName($0.senderAddress) } ?? "leadledger.invalid"

            while true {
                try Task.checkCancellation()
                guard let (leadId, attempt) = try await next() else { break }
                try await runner.throttle.wait(record.started.channel, interval: interval)
                // The lead and the mailing's author as they are now: the lead may have been deleted, merged or
                // moved out of the author's reach since the start, the author disabled or their permission taken.
                let current = try ledger.read { view -> (author: AdminState?, lead: LeadState?, responsible: AdminState?) in
                    let lead = try view.lead(leadId)
                    return (try view.admin(actor), lead, try lead?.responsible.flatMap { try view.admin($0) })
                }
                guard let author = current.author, author.has(.messagesSend) else {
                    try await pause("the admin who started the mailing may no longer send messages")
                    return
                }
                guard let lead = current.lead, !lead.deleted, lead.mergedInto == nil else {
                    try await failed(leadId, "unavailable", "the lead was deleted or merged", progress: progress)
                    continue
                }
                guard author.has(.leadsReadAll) || lead.isOwnedOrWatched(by: actor) else {
                    try await failed(leadId, "unavailable", "the lead is no longer in reach of the mailing's author", progress: progress)
                    continue
                }
                let responsible = current.responsible
                guard let to = MailingRunner.address(lead, channel: record.started.channel, settings: settings) else {
                    try await failed(leadId, "noAddress", "the lead has no address any more", progress: progress)
                    continue
                }
                let rendered = MessageRenderer.render(record.started.template, lead: lead, responsible: responsible, settings: settings)
                if record.started.channel == .sms, (rendered.text ?? "").count > MailingRunner.maxSMSText {
                    try await failed(
                        leadId, "permanent", "the SMS text is longer than \(MailingRunner.maxSMSText) characters", progress: progress)
                    continue
                }
                let messageId = "<\(id.uuidString.lowercased()).\(leadId.uuidString.lowercased())@\(domain)>"
                let message = MailingMessage(
                    to: to, toName: lead.fullName, subject: rendered.subject, text: rendered.text, html: rendered.html,
                    messageId: messageId, date: now())
                do {
                    try await transport!.ready()
                } catch {
                    try await pause("\(error)")
                    return
                }
                // The intent, durable before anything reaches the relay; stops here if an admin paused meanwhile.
                try await dispatch(
                    .messageDispatched(
                        MessageDispatched(mailingId: id, leadId: leadId, attempt: attempt, to: to, messageId: messageId, at: now(), by: actor)),
                    key: "\(leadId):dispatched:\(attempt)")
                let result = await transport!.send(message)
                switch result {
                case .accepted(let reply):
                    let text = rendered.text ?? rendered.html ?? ""
                    let sent = MessageSent(
                        leadId: leadId, actionId: Ledger.derivedId(actor: actor, key: "mailing:\(id):\(leadId):action"),
                        mailingId: id, channel: record.started.channel, to: to,
                        subject: record.started.channel == .email ? rendered.subject : nil,
                        text: String(text.prefix(settings.fieldLimits.note)), messageId: messageId,
                        actionType: record.started.actionType, step: lead.step, at: now(), by: actor)
                    try await accepted(sent, reply: reply)
                case .transient(let why):
                    if attempt >= maxAttempts {
                        try await outcome(
                            .messageFailed(
                                MessageFailed(
                                    mailingId: id, leadId: leadId, code: "attemptsExhausted",
                                    reply: "\(attempt) tries; the last: \(why)", at: now(), by: actor)),
                            key: "\(leadId):failed")
                    } else {
                        let backoff = retrySeconds.multipliedSaturating(by: Int64(1) << min(attempt - 1, 20))
                        try await outcome(
                            .messageDeferred(
                                MessageDeferred(
                                    mailingId: id, leadId: leadId, attempt: attempt, reply: why,
                                    retryAt: now().adding(seconds: min(backoff, 86_400)), at: now(), by: actor)),
                            key: "\(leadId):deferred:\(attempt)")
                    }
                case .permanent(let why):
                    try await outcome(
                        .messageFailed(MessageFailed(mailingId: id, leadId: leadId, code: "permanent", reply: why, at: now(), by: actor)),
                        key: "\(leadId):failed")
                case .inDoubt(let why):
                    try await outcome(
                        .messageFailed(MessageFailed(mailingId: id, leadId: leadId, code: "inDoubt", reply: why, at: now(), by: actor)),
                        key: "\(leadId):failed")
                case .unavailable(let why):
                    try await outcome(
                        .messageDeferred(
                            MessageDeferred(mailingId: id, leadId: leadId, attempt: attempt, reply: why, retryAt: now(), at: now(), by: actor)),
                        key: "\(leadId):deferred:\(attempt)")
                    try await pause(why)
                    return
                }
                progress(record.summary)
            }
            try await dispatch(
                .mailingCompleted(
                    MailingCompleted(
                        mailingId: id, sent: Int64(record.sent), failed: Int64(record.failed), inDoubt: Int64(record.inDoubt),
                        at: now(), by: actor)), key: "completed")
        }

        /// The next message to send and its attempt: a deferred one that is due, else the next pending one, else
        /// (only deferred ones left) after waiting for the first to come due; nil when none is left.
        mutating func next() async throws -> (UUID, Int64)? {
            while true {
                let now = now()
                var due: (UUID, Int64, Timestamp)?
                for (lead, entry) in deferred where due.map({ entry.retryAt < $0.2 }) ?? true {
                    due = (lead, entry.attempt, entry.retryAt)
                }
                if let due, due.2 <= now {
                    deferred[due.0] = nil
                    return (due.0, due.1 + 1)
                }
                while cursor < record.recipients.count, record.status[record.recipients[cursor]] != .pending { cursor += 1 }
                if cursor < record.recipients.count { return (record.recipients[cursor], 1) }
                guard let due else { return nil }
                let wait = min(max(due.2.rawValue - now.rawValue, 1_000), 1_000_000)
                try await Task.sleep(for: .microseconds(wait))
            }
        }

        func now() -> Timestamp { ledger.configuration.clock.now() }

        /// Appends `event` unless the mailing stopped running meanwhile (then throws `Stopped`).
        mutating func dispatch(_ event: DomainEvent, key: String) async throws {
            do {
                try await append(event, key: key)
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                try reload()
                guard record.state == .running else { throw Stopped() }
                try await append(event, key: key)
            }
        }

        /// Appends an outcome, whatever happened to the mailing meanwhile: what the relay did must be recorded.
        mutating func outcome(_ event: DomainEvent, key: String) async throws {
            for _ in 0..<10 {
                do {
                    try await append(event, key: key)
                    return
                } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                    try reload()
                }
            }
            throw BulkError(field: "id", code: "conflict", message: "the mailing's stream keeps changing")
        }

        mutating func accepted(_ sent: MessageSent, reply: String) async throws {
            let accepted = MessageAccepted(mailingId: id, leadId: sent.leadId, reply: String(reply.prefix(500)), at: sent.at, by: actor)
            for _ in 0..<10 {
                do {
                    let results = try await ledger.recordMessageSent(sent, accepted: accepted, actor: actor, mailingVersion: record.version)
                    record.apply(.messageAccepted(accepted))
                    record.version = results[1].streamVersion
                    return
                } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                    try reload()
                }
            }
            throw BulkError(field: "id", code: "conflict", message: "the mailing's stream keeps changing")
        }

        mutating func failed(_ lead: UUID, _ code: String, _ why: String, progress: @Sendable (MailingSummary) -> Void) async throws {
            try await outcome(
                .messageFailed(MessageFailed(mailingId: id, leadId: lead, code: code, reply: why, at: now(), by: actor)),
                key: "\(lead):failed")
            progress(record.summary)
        }

        mutating func pause(_ reason: String) async throws {
            try await dispatch(
                .mailingPaused(MailingPaused(mailingId: id, reason: String(reason.prefix(1_000)), at: now(), by: actor)),
                key: "paused:\(record.version)")
        }

        private mutating func append(_ event: DomainEvent, key: String) async throws {
            let result = try await ledger.appendMailingEvents(
                [(event, key)], mailingId: id, actor: actor, expectedVersion: record.version)
            if !result.alreadyStored { record.apply(event) }
            if case .messageDeferred(let e) = event { deferred[e.leadId] = (e.attempt, e.retryAt) }
            record.version = result.streamVersion
        }

        private mutating func reload() throws {
            if let fresh = try ledger.mailing(id) { record = fresh }
        }
    }
}

/// Spaces the sends of one channel at least `interval` apart, across every mailing that shares it.
actor SendThrottle {
    private var next: [MessageChannel: ContinuousClock.Instant] = [:]

    /// Waits for this channel's next slot and takes it.
    func wait(_ channel: MessageChannel, interval: Duration) async throws {
        let now = ContinuousClock.now
        let slot = max(next[channel] ?? now, now)
        next[channel] = slot.advanced(by: interval)
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
