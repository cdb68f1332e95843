import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore
import LeadLedgerMessages

/// Message templates for mass e-mail (settings objects) and their preview:
///
/// - `PUT /v1/settings/message-templates/{key}`, `DELETE …`: save or remove a template (`settings.manage`). Its
///   variables are checked here, where the template engine is: an unknown one is a 422 naming the part.
/// - `POST /v1/message-templates/{key}/preview` `{"leadId": …}`: the template rendered for a lead the caller
///   reaches (404 otherwise), as a send would render it.
struct MessageTemplateRoutes: APIRouteCollection {
    let commands: CommandResponder

    func register(on routes: APIRoutes) {
        let commands = commands
        let reads = commands.reads

        routes.put("/v1/settings/message-templates/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            let body = try await request.decode(as: MessageTemplateRequest.self, context: context)
            let template = MessageTemplate(key: key, name: body.name, subject: body.subject, text: body.text, html: body.html)
            let problems = MessageRenderer.problems(template, settings: try reads.settings())
            if let first = problems.first {
                throw APIError(
                    .validation, code: first.code.rawValue, detail: first.message,
                    errors: problems.map { .init(field: $0.field, code: $0.code.rawValue, message: $0.message) })
            }
            return try await commands.settings(request, context) { _ in .saveMessageTemplate(template) }
        }
        routes.delete("/v1/settings/message-templates/{key}") { request, context in
            _ = try context.require(SettingsCommand.permission)
            let key = try context.textParameter("key")
            return try await commands.settings(request, context) { _ in .removeMessageTemplate(key: key) }
        }
        routes.post("/v1/message-templates/{key}/preview") { request, context in
            let principal = try context.principalOrThrow()
            let key = try context.textParameter("key")
            let body = try await request.decode(as: MessagePreviewRequest.self, context: context)
            let settings = try reads.settings()
            guard let entry = settings.messageTemplates.first(where: { $0.template.key == key }) else {
                throw APIError.notFound("No message template \(key).")
            }
            guard let lead = try reads.lead(body.leadId), principal.canReach(lead.state) else {
                throw APIError.invalid(field: "leadId", code: "unknownLead", message: "No lead \(body.leadId.lowercased) you can reach.")
            }
            let responsible = try lead.state.responsible.flatMap { id in try reads.ledger.read { try $0.admin(id) } }
            let message = MessageRenderer.render(entry.template, lead: lead.state, responsible: responsible, settings: settings)
            return try JSONResponse.make(
                RenderedMessageResource(subject: message.subject, text: message.text, html: message.html), logPosition: lead.position)
        }
    }
}

/// `PUT /v1/settings/message-templates/{key}`.
struct MessageTemplateRequest: Decodable, Sendable {
    var name: String
    var subject: String
    var text: String?
    var html: String?
}

struct MessagePreviewRequest: Decodable, Sendable {
    var leadId: UUID
}

struct RenderedMessageResource: Encodable, Sendable {
    var subject: String
    var text: String?
    var html: String?
}
