import EventLog
import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore
import Synchronization

/// Web-to-lead forms (settings objects, `PUT /v1/settings/forms/{key}`) and their public endpoint:
///
/// - `POST /v1/forms/{key}/submissions` (no token): `application/x-www-form-urlencoded` or a JSON object. The
///   mapped fields are read as an import row is (the same checks); the lead the submission's e-mail or phone finds
///   among the live leads gets it as a note, otherwise a lead is created (the form's source, step and
///   responsible) with the note. Every outcome answers the same `202 {"status":"received"}`, a filled honeypot
///   included, so the endpoint tells nothing about existing leads; only bad fields are a 422 naming them.
/// - `OPTIONS` on the same path: the CORS preflight, for the form's allowed origins only. A browser at another
///   origin is refused (403) before anything is read; requests without `Origin` (a server posting) pass.
/// - At most `FormRateLimiter.burst` submissions per client address, refilled one per
///   `FormRateLimiter.refill` seconds (429 with Retry-After), and 64 KiB per body.
/// The events are the admin's who saved the form, with the submission's own correlation id.
struct FormRoutes: APIRouteCollection {
    let commands: CommandResponder
    static let maxBody = 64 << 10
    static let maxFields = 100
    private let limiter = FormRateLimiter()

    func register(on routes: APIRoutes) {
        let commands = commands
        let ledger = commands.reads.ledger
        let limiter = limiter

        routes.put("/v1/settings/forms/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)  // before the body is read
            let key = try context.textParameter("key")
            let body = try await request.decode(as: LeadFormRequest.self, context: context)
            if let responsible = body.responsible {
                guard try ledger.read({ try $0.admin(responsible) }) != nil else {
                    throw APIError.invalid(field: "responsible", code: "unknownAdmin", message: "No admin \(responsible.lowercased).")
                }
            }
            let form = LeadForm(
                key: key, name: body.name,
                fields: body.fields.map { ImportColumn(column: $0.key, field: $0.value) }.sorted { $0.column < $1.column },
                source: body.source, step: body.step, responsible: body.responsible,
                allowedOrigins: body.allowedOrigins ?? [], honeypot: body.honeypot)
            return try await commands.settings(request, context) { _ in .saveLeadForm(form) }
        }
        routes.delete("/v1/settings/forms/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .removeLeadForm(key: key) }
        }

        routes.on("/v1/forms/{key}/submissions", method: .options, access: .public) { request, context in
            let entry = try Self.form(ledger, try context.textParameter("key"))
            guard let origin = request.headers[.origin], entry.form.allows(origin: origin) else {
                throw APIError(.forbidden, code: "originNotAllowed", detail: "This origin may not post to the form.")
            }
            var response = Response(status: .noContent)
            Self.allow(origin, on: &response)
            response.headers[.accessControlAllowMethods] = "POST"
            response.headers[.accessControlAllowHeaders] = "Content-Type"
            response.headers[.accessControlMaxAge] = "600"
            return response
        }

        routes.post("/v1/forms/{key}/submissions", access: .public) { request, context in
            let entry = try Self.form(ledger, try context.textParameter("key"))
            let origin = request.headers[.origin]
            if let origin, !entry.form.allows(origin: origin) {
                throw APIError(.forbidden, code: "originNotAllowed", detail: "This origin may not post to the form.")
            }
            if let wait = limiter.admit(context.clientAddress ?? "unknown", now: Date()) {
                var error = APIError(.rateLimited, code: "rateLimited", detail: "Too many submissions; retry later.")
                error.headers[.retryAfter] = String(wait)
                throw error
            }
            let fields = try await Self.fields(request)
            if let honeypot = entry.form.honeypot, let value = fields.first(where: { $0.name == honeypot })?.value, !value.isEmpty {
                return Self.received(origin)  // a bot: answered as anyone, nothing kept
            }
            try await Self.submit(fields, to: entry, ledger: ledger)
            return Self.received(origin)
        }
    }

    private static func form(_ ledger: Ledger, _ key: String) throws -> LeadFormEntry {
        guard let entry = try ledger.currentSettings().leadForms.first(where: { $0.form.key == key }) else {
            throw APIError.notFound("No form \(key).")
        }
        return entry
    }

    private static func allow(_ origin: String, on response: inout Response) {
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
    }

    private static func received(_ origin: String?) -> Response {
        var response = Response(
            status: .accepted, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"received"}"#)))
        if let origin { allow(origin, on: &response) }
        return response
    }

    /// The submitted fields in order: a form-encoded body or a JSON object of strings, numbers and booleans.
    static func fields(_ request: Request) async throws -> [(name: String, value: String)] {
        let buffer = try await request.body.collect(upTo: maxBody)
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        var fields: [(name: String, value: String)] = []
        switch type {
        case "application/x-www-form-urlencoded":
            // `+` is a space in form encoding; URLComponents decodes percent escapes only in a well-formed query.
            let text = String(buffer: buffer).replacingOccurrences(of: "+", with: "%20")
            guard let items = URLComponents(string: "?" + text)?.queryItems ?? (text.isEmpty ? [] : nil) else {
                throw APIError.badRequest(field: "body", code: "unreadableBody", message: "The body is not form-encoded.")
            }
            fields = items.map { ($0.name, $0.value ?? "") }
        case "application/json":
            guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
                throw APIError.badRequest(field: "body", code: "unreadableBody", message: "The body must be a JSON object.")
            }
            for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                switch value {
                case let text as String: fields.append((name, text))
                case let number as NSNumber: fields.append((name, number.stringValue))
                case is NSNull: continue
                default:
                    throw APIError.badRequest(field: name, code: "invalidValue", message: "\(name) must be a string, a number or a boolean.")
                }
            }
        default:
            throw APIError(
                .unsupportedMediaType, code: "unsupportedMediaType",
                detail: "Send application/x-www-form-urlencoded or application/json.")
        }
        guard fields.count <= maxFields else {
            throw APIError.invalid(field: "body", code: "tooMany", message: "At most \(maxFields) fields.")
        }
        return fields
    }

    /// Reads the mapped fields as an import row, finds the lead by e-mail or phone, and appends one atomic batch:
    /// the note on that lead, or the new lead with its note.
    private static func submit(_ fields: [(name: String, value: String)], to entry: LeadFormEntry, ledger: Ledger) async throws {
        let form = entry.form
        let mapping = form.mapping
        let settings = try ledger.currentSettings()
        var header: [String] = []
        var values: [String] = []
        for (name, value) in fields where mapping.columns[name] != nil && !header.contains(name) {
            header.append(name)
            values.append(value)
        }
        let plan = ImportRecord.Plan(header: header, mapping: mapping, settings: settings)
        var (record, errors) = plan.record(values, row: 1)
        if let first = errors.first {
            throw APIError(
                .validation, code: first.code, detail: first.message,
                errors: errors.map { .init(field: $0.column ?? "body", code: $0.code, message: $0.message) })
        }
        let text = (["Web form \(form.name):"] + fields.filter { $0.name != form.honeypot && !$0.value.isEmpty }.map { "\($0.name): \($0.value)" })
            .joined(separator: "\n")
        let note = LeadCommand.addEntry(
            EntryInput(entryId: UUID.v7(), text: String(text.prefix(settings.fieldLimits.note)), format: .plain))
        let submission = UUID.v7()
        if record.fullName?.isEmpty ?? true { record.fullName = record.emails.first ?? record.phones.first }
        if record.source == nil { record.source = form.source ?? "website" }
        if record.step == nil { record.step = form.step }
        if record.responsible == nil { record.responsible = form.responsible }
        let input = record.leadInput
        let contacts = (emails: record.emails, phones: record.phones)
        // Who to attach to: a live lead with one of the e-mails, else one of the phones. Looked up and appended
        // under the intake lock, so two submissions of one person at once make one lead.
        let outcomes = try await ledger.contactIntake.run { () async throws -> [LeadBatchOutcome] in
            let existing = try ledger.read { try $0.liveLead(emails: contacts.emails, phones: contacts.phones) }
            let item: LeadBatchItem
            if let existing {
                item = LeadBatchItem(leadId: existing, eventKey: "form:\(form.key):\(submission)") { state in
                    guard let state, state.isLive else { return [] }
                    return [note]
                }
            } else {
                let leadId = UUID.v7()
                item = LeadBatchItem(leadId: leadId, eventKey: "form:\(form.key):\(submission)") { _ in
                    [.create(leadId: leadId, input), note]
                }
            }
            let (outcomes, position) = try await ledger.executeBatch([item][...], actor: entry.savedBy, correlationId: submission)
            // The next submission finds this lead by its e-mail or phone only once the projections have it.
            if let position { try await ledger.waitUntilApplied(position) }
            return outcomes
        }
        if case .rejected(let error)? = outcomes.first {
            errors = error.fieldErrors.map { field in
                ImportRowError(row: 1, column: plan.column(forField: field.field), field: field.field, code: field.code.rawValue, message: field.message)
            }
            throw APIError(
                .validation, code: error.code.rawValue, detail: error.message,
                errors: errors.map { .init(field: $0.column ?? "body", code: $0.code, message: $0.message) })
        }
    }
}

/// `PUT /v1/settings/forms/{key}`.
struct LeadFormRequest: Decodable, Sendable {
    var name: String
    /// Form field → lead field path.
    var fields: [String: String]
    var source: String?
    var step: String?
    var responsible: UUID?
    var allowedOrigins: [String]?
    var honeypot: String?
}

/// Token buckets per client address: `burst` submissions at once, one more every `refill` seconds. Holds at most
/// `maxClients` buckets; when full, the ones idle longest go first.
final class FormRateLimiter: Sendable {
    static let burst = 10.0
    static let refill = 6.0
    static let maxClients = 10_000
    private let buckets = Mutex<[String: (tokens: Double, at: Date)]>([:])

    /// nil when the client may submit now (one token taken), otherwise the seconds to wait.
    func admit(_ client: String, now: Date) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? (Self.burst, now)
            bucket.tokens = min(Self.burst, bucket.tokens + now.timeIntervalSince(bucket.at) / Self.refill)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                return Int(((1 - bucket.tokens) * Self.refill).rounded(.up))
            }
            bucket.tokens -= 1
            if buckets[client] == nil, buckets.count >= Self.maxClients {
                for (key, _) in buckets.sorted(by: { $0.value.at < $1.value.at }).prefix(Self.maxClients / 10) { buckets[key] = nil }
            }
            buckets[client] = bucket
            return nil
        }
    }
}
