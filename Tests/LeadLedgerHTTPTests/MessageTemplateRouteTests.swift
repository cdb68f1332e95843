import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Message templates over HTTP: saved as settings, checked, previewed for a lead in reach")
struct MessageTemplateRouteTests {
    @Test("a template is saved, previewed for a lead with its responsible, HTML escaped; a manager previews only leads in reach")
    func saveAndPreview() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let saved = try await client.send(
                .put, "/v1/settings/message-templates/offer", token: token,
                json: #"{"name":"Offer","subject":"{{fullName}}, an offer","text":"Hello {{fullName}} from {{responsible.name}}","html":"<b>{{fullName}}</b>"}"#)
            #expect(saved.status == .ok, "\(saved.bodyText)")
            let templates = try #require(try saved.json()["messageTemplates"] as? [[String: Any]])
            #expect((templates.first?["template"] as? [String: Any])?["key"] as? String == "offer")

            let manager = try await client.createManager(token: token)
            let mine = try await client.createLead(#"{"fullName":"Tom & Jerry","responsible":"\#(manager.id)"}"#, token: token)
            let other = try await client.createLead(#"{"fullName":"Somebody Else"}"#, token: token)
            let preview = try await client.send(
                .post, "/v1/message-templates/offer/preview", token: manager.token, json: #"{"leadId":"\#(mine["id"] as! String)"}"#)
            #expect(preview.status == .ok, "\(preview.bodyText)")
            let message = try preview.json()
            #expect(message["subject"] as? String == "Tom & Jerry, an offer")
            #expect(message["text"] as? String == "Hello Tom & Jerry from Max Manager")
            #expect(message["html"] as? String == "<b>Tom &amp; Jerry</b>")
            let hidden = try await client.send(
                .post, "/v1/message-templates/offer/preview", token: manager.token, json: #"{"leadId":"\#(other["id"] as! String)"}"#)
            #expect(hidden.status == .unprocessableContent)
            #expect(try await client.send(.delete, "/v1/settings/message-templates/offer", token: token).status == .ok)
            let gone = try await client.send(
                .post, "/v1/message-templates/offer/preview", token: token, json: #"{"leadId":"\#(mine["id"] as! String)"}"#)
            #expect(gone.status == .notFound)
        }
    }

    @Test("an unknown variable, a missing body or a manager without settings.manage is refused, appending nothing")
    func refused() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let head = fixture.head
            let unknown = try await client.send(
                .put, "/v1/settings/message-templates/offer", token: token, json: #"{"name":"Offer","subject":"Hi {{nickname}}","text":"x"}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.bodyText.contains("{{nickname}} is not a template variable"))
            let noBody = try await client.send(
                .put, "/v1/settings/message-templates/offer", token: token, json: #"{"name":"Offer","subject":"Hi"}"#)
            #expect(noBody.status == .unprocessableContent && noBody.bodyText.contains("\"text\""))
            #expect(fixture.head == head)
            let manager = try await client.createManager(token: token)
            let headAfterManager = fixture.head
            let forbidden = try await client.send(
                .put, "/v1/settings/message-templates/offer", token: manager.token, json: #"{"name":"Offer","subject":"Hi","text":"x"}"#)
            #expect(forbidden.status == .forbidden)
            #expect(fixture.head == headAfterManager)
        }
    }
}
