import Foundation
import Hummingbird
import HummingbirdCore
import LeadDomain
import LeadLedgerCore
import LeadLedgerMessages
import Logging
import ServiceLifecycle
import Synchronization

/// Mass e-mail and SMS (ABillS mass mailing, NCRM "send SMS"), and the relay and gateway they go through:
///
/// - `PUT /v1/settings/smtp-relay`, `GET …`, `DELETE …`; `PUT /v1/settings/sms-gateway`, `GET …`, `DELETE …`
///   (`settings.manage`). Secrets are named, not stored: `passwordVariable` and `authVariable` name the server's
///   environment variables.
/// - `POST /v1/mailings` `{"channel": "email"|"sms", "template", "actionType", "ids" | "filter"}` (`messages.send`):
///   checked (template, action type, relay, selection) before anything is appended, then `202` with the mailing
///   (`Location`), which the server sends in the background; an `Idempotency-Key` names the mailing.
/// - `GET /v1/mailings`, `GET /v1/mailings/{id}`: progress, counts, refusals and failures.
/// - `POST /v1/mailings/{id}/pause`, `…/resume`, `…/cancel` (`messages.send`).
///
/// Reach: a manager without `leads.read.all` sends only to the leads they reach and sees only their mailings.
struct MailingRoutes: APIRouteCollection {
    let commands: CommandResponder
    let jobs: MailingJobs

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads
        let ledger = reads.ledger
        let jobs = jobs

        routes.put("/v1/settings/smtp-relay") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let relay = try await request.decode(as: SMTPRelayBody.self, context: context).relay
            return try await commands.settings(request, context) { _ in .setSMTPRelay(relay) }
        }
        routes.get("/v1/settings/smtp-relay") { _, context in
            _ = try context.require(SettingsCommand.permission)
            guard let relay = try reads.settings().smtpRelay else { throw APIError.notFound("No SMTP relay is set.") }
            return try JSONResponse.make(relay)
        }
        routes.delete("/v1/settings/smtp-relay") { request, context in
            _ = try context.require(SettingsCommand.permission)
            return try await commands.settings(request, context) { _ in .setSMTPRelay(nil) }
        }
        routes.put("/v1/settings/sms-gateway") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let gateway = try await request.decode(as: SMSGatewayBody.self, context: context).gateway
            return try await commands.settings(request, context) { _ in .setSMSGateway(gateway) }
        }
        routes.get("/v1/settings/sms-gateway") { _, context in
            _ = try context.require(SettingsCommand.permission)
            guard let gateway = try reads.settings().smsGateway else { throw APIError.notFound("No SMS gateway is set.") }
            return try JSONResponse.make(gateway)
        }
        routes.delete("/v1/settings/sms-gateway") { request, context in
            _ = try context.require(SettingsCommand.permission)
            return try await commands.settings(request, context) { _ in .setSMSGateway(nil) }
        }

        routes.post("/v1/mailings") { request, context in
            let principal = try context.require(.messagesSend)
            let body = try await request.decode(as: MailingRequestBody.self, context: context)
            let selection = try BulkRoutes.selection(
                ids: body.ids, filter: body.filter, principal: principal, settings: reads.settings())
            let id: UUID
            if let key = try request.idempotencyKey()?.value {
                id = Ledger.correlationId(actor: principal.adminId, key: "mailing:" + key, request: context.requestFingerprint)
            } else {
                id = UUID.v7()
            }
            let mailing = MailingRequest(
                id: id, channel: body.channel, template: body.template, actionType: body.actionType ?? "email",
                selection: selection, actor: principal.adminId
            ) { principal.canReach($0) }
            let record = try await BulkRoutes.mapped { try await jobs.runner.start(mailing) }
            jobs.launch(record.id)
            return try Self.answer(jobs.summary(record.id) ?? record.summary, status: .accepted)
        }
        routes.get("/v1/mailings") { _, context in
            let principal = try context.principalOrThrow()
            let records = try ledger.mailings(limit: 200).filter { Self.sees(principal, $0.summary) }
            return try JSONResponse.make(MailingListResource(items: records.map { MailingResource(jobs.summary($0.id) ?? $0.summary) }))
        }
        routes.get("/v1/mailings/{id}") { _, context in
            let principal = try context.principalOrThrow()
            let id = try context.parameters.require("id", as: UUID.self)
            guard let record = try jobs.summary(id) ?? ledger.mailing(id)?.summary, Self.sees(principal, record) else {
                throw APIError.notFound("No mailing \(id.lowercased).")
            }
            return try Self.answer(record, status: .ok)
        }
        for action in ["pause", "resume", "cancel"] {
            routes.post("/v1/mailings/{id}/\(action)") { _, context in
                let principal = try context.require(.messagesSend)
                let id = try context.parameters.require("id", as: UUID.self)
                guard let record = try ledger.mailing(id)?.summary, Self.sees(principal, record) else {
                    throw APIError.notFound("No mailing \(id.lowercased).")
                }
                let changed = try await BulkRoutes.mapped { () async throws -> MailingRecord in
                    do {
                        switch action {
                        case "pause": return try await jobs.runner.pause(id, actor: principal.adminId, reason: "paused by an admin")
                        case "resume": return try await jobs.runner.resume(id, actor: principal.adminId)
                        default: return try await jobs.runner.cancel(id, actor: principal.adminId, reason: nil)
                        }
                    } catch let error as BulkError where error.code == "conflict" {
                        throw APIError(.conflict, code: "conflict", detail: error.message)
                    }
                }
                if changed.state == .running { jobs.launch(id) }
                return try Self.answer(changed.summary, status: .ok)
            }
        }
    }

    static func sees(_ principal: Principal, _ record: MailingSummary) -> Bool {
        !principal.seesOnlyOwnLeads || record.started.by == principal.adminId
    }

    static func answer(_ record: MailingSummary, status: HTTPResponse.Status) throws -> Response {
        var response = try JSONResponse.make(MailingResource(record), status: status, logPosition: record.position)
        response.headers[.location] = "/v1/mailings/" + record.id.lowercased
        return response
    }
}

/// The mailings this server runs: one task each, with its latest progress. Started by `POST /v1/mailings` and
/// `resume`, and, when the server starts, for every mailing still running (a restart goes on where it stopped).
public final class MailingJobs: Sendable {
    let runner: MailingRunner
    let logger: Logger
    private let running = Mutex<[UUID: (task: Task<Void, Never>, summary: MailingSummary?)]>([:])

    /// Mailings on `ledger`, sent through the live transports (secrets from the server's environment).
    public init(ledger: Ledger, logger: Logger, transports: MailingTransports = .live()) {
        self.runner = MailingRunner(ledger: ledger, transports: transports)
        self.logger = logger
    }

    /// The progress of a mailing running here.
    func summary(_ id: UUID) -> MailingSummary? { running.withLock { $0[id]?.summary } }

    /// Runs the mailing unless it already runs here.
    func launch(_ id: UUID) {
        running.withLock { jobs in
            guard jobs[id] == nil else { return }
            let task = Task {
                do {
                    try await runner.run(id) { summary in
                        self.running.withLock { $0[id]?.summary = summary }
                    }
                } catch {
                    self.logger.error("mailing failed", metadata: ["id": "\(id)", "error": "\(error)"])
                }
                _ = self.running.withLock { $0.removeValue(forKey: id) }
            }
            jobs[id] = (task, nil)
        }
    }

    /// Runs every mailing the log says is running.
    func resumeAll() throws {
        for record in try runner.ledger.mailings(limit: 10_000) where record.state == .running { launch(record.id) }
    }

    /// Stops every run between two messages (the message in flight gets its outcome) and waits for them.
    func stopAll() async {
        let tasks = running.withLock { $0.values.map(\.task) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}

/// Resumes the running mailings when the server starts, and stops them cleanly when it shuts down.
struct MailingService: Service {
    let jobs: MailingJobs

    func run() async throws {
        do {
            try jobs.resumeAll()
        } catch {
            // The API still serves; the mailings wait for `resume` or the next start.
            jobs.logger.error("mailings not resumed", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
        await jobs.stopAll()
    }
}

/// `PUT /v1/settings/smtp-relay`: the relay, with the documented defaults for what is left out.
struct SMTPRelayBody: Decodable, Sendable {
    var host: String
    var port: Int64?
    var security: SMTPSecurity?
    var username: String?
    var passwordVariable: String?
    var caFile: String?
    var senderAddress: String
    var senderName: String?
    var messagesPerMinute: Int64?
    var maxAttempts: Int64?
    var retrySeconds: Int64?

    var relay: SMTPRelay {
        let d = SMTPRelay(host: host, senderAddress: senderAddress)
        return SMTPRelay(
            host: host, port: port ?? d.port, security: security ?? d.security, username: username,
            passwordVariable: passwordVariable, caFile: caFile, senderAddress: senderAddress, senderName: senderName,
            messagesPerMinute: messagesPerMinute ?? d.messagesPerMinute, maxAttempts: maxAttempts ?? d.maxAttempts,
            retrySeconds: retrySeconds ?? d.retrySeconds)
    }
}

/// `PUT /v1/settings/sms-gateway`, with the documented defaults.
struct SMSGatewayBody: Decodable, Sendable {
    var url: String
    var method: SMSMethod?
    var body: String?
    var contentType: String?
    var authHeader: String?
    var authVariable: String?
    var from: String?
    var successContains: String?
    var messagesPerMinute: Int64?
    var maxAttempts: Int64?
    var retrySeconds: Int64?

    var gateway: SMSGateway {
        let d = SMSGateway(url: url)
        return SMSGateway(
            url: url, method: method ?? d.method, body: body, contentType: contentType, authHeader: authHeader,
            authVariable: authVariable, from: from, successContains: successContains,
            messagesPerMinute: messagesPerMinute ?? d.messagesPerMinute, maxAttempts: maxAttempts ?? d.maxAttempts,
            retrySeconds: retrySeconds ?? d.retrySeconds)
    }
}

/// `POST /v1/mailings`.
struct MailingRequestBody: Decodable, Sendable {
    var channel: MessageChannel
    var template: String
    /// The action type each sent message is recorded as (default `email`).
    var actionType: String?
    var ids: [UUID]?
    var filter: String?
}

struct MailingResource: Encodable, Sendable {
    /// A lead refused or failed, as bulk operations report theirs.
    typealias Failure = BulkResource.Refusal

    var id: String
    var state: String
    var channel: String
    var template: String
    var subject: String
    var actionType: String
    var filter: String?
    var leads: Int64
    var recipients: Int
    var sent: Int
    var failed: Int
    var inDoubt: Int
    var pending: Int
    var refused: Int64
    var refusals: [Failure]
    var failures: [Failure]
    var pausedReason: String?
    var startedAt: String
    var completedAt: String?
    var author: String

    init(_ record: MailingSummary) {
        let started = record.started
        id = record.id.lowercased
        state = record.state.rawValue
        channel = started.channel.rawValue
        template = started.template.key
        subject = started.template.subject
        actionType = started.actionType
        filter = started.filter
        leads = started.leads
        recipients = record.recipients
        sent = record.sent
        failed = record.failed
        inDoubt = record.inDoubt
        pending = record.pending
        refused = started.refused
        refusals = started.refusals.map { Failure(leadId: $0.leadId.lowercased, code: $0.code, message: $0.message) }
        failures = record.failures.map { Failure(leadId: $0.leadId.lowercased, code: $0.code, message: $0.message) }
        pausedReason = record.pausedReason
        startedAt = started.at.iso8601
        completedAt = record.completedAt?.iso8601
        author = started.by.lowercased
    }
}

struct MailingListResource: Encodable, Sendable {
    var items: [MailingResource]
}
