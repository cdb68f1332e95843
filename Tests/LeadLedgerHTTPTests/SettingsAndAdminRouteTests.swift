import Foundation
import Hummingbird
import HummingbirdTesting
import LeadLedgerHTTP
import Testing

@Suite("Settings and admin routes")
struct SettingsAndAdminRouteTests {
    @Test("settings are read by anyone and changed by settings.manage, with the settings stream's ETag")
    func settings() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let initial = try await client.send(.get, "/v1/settings", token: token)
            #expect(initial.status == .ok)
            #expect(initial.headers[.eTag] == "\"v0\"")
            #expect(try initial.json()["defaultStep"] as? String == "new")
            let tag = try await client.send(.post, "/v1/settings/tags", token: token, json: ##"{"name":"vip","colour":"#ff0000"}"##)
            #expect(tag.status == .ok, "\(tag.bodyText)")
            #expect(tag.headers[.eTag] == "\"v1\"")
            let step = try await client.send(
                .post, "/v1/settings/steps", token: token, json: ##"{"key":"lost","name":"Lost","colour":"#000000"}"##)
            #expect(step.status == .ok, "\(step.bodyText)")
            let field = try await client.send(
                .put, "/v1/settings/custom-fields/budget", token: token, json: #"{"name":"Budget","type":"int","minValue":0}"#)
            #expect(field.status == .ok, "\(field.bodyText)")
            let source = try await client.send(.post, "/v1/settings/sources", token: token, json: #"{"key":"fair","name":"Trade fair"}"#)
            #expect(source.status == .ok)
            let limits = try await client.send(.put, "/v1/settings/field-limits", token: token, json: #"{"preset":"compact"}"#)
            #expect(limits.status == .ok, "\(limits.bodyText)")
            let bad = try await client.send(
                .post, "/v1/settings/steps", token: token, json: #"{"key":"Not A Key","name":"","colour":"red"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try bad.problemFields()).isSuperset(of: ["key", "colour"]))
            let stale = try await client.send(
                .post, "/v1/settings/action-types", token: token, json: #"{"key":"visit","name":"Visit"}"#,
                headers: [.ifMatch: "\"v1\""])
            #expect(stale.status == .preconditionFailed)

            // A custom field filter on the list uses the field's type.
            _ = try await client.createLead(#"{"fullName":"Rich","customFields":{"budget":{"type":"int","value":500}}}"#, token: token)
            let rich = try await client.send(.get, "/v1/leads?cf.budget=500", token: token).json()
            #expect((rich["items"] as? [Any])?.count == 1)
            let unknown = try await client.send(.get, "/v1/leads?cf.nope=1", token: token)
            #expect(unknown.status == .unprocessableContent)
        }
    }

    @Test("admins are created, re-roled and given permissions; a token is shown once and works")
    func admins() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let created = try await client.send(
                .post, "/v1/admins", token: token, json: #"{"name":"Rasa","role":"manager","permissions":["reports.read"]}"#)
            #expect(created.status == .created)
            let id = try created.json()["id"] as! String
            #expect(created.headers[.location] == "/v1/admins/\(id)")
            let role = try await client.send(.put, "/v1/admins/\(id)/role", token: token, json: #"{"role":"admin"}"#)
            #expect(try role.json()["role"] as? String == "admin")
            let permissions = try await client.send(
                .put, "/v1/admins/\(id)/permissions", token: token, json: #"{"permissions":["leads.merge"]}"#)
            #expect(try permissions.json()["permissions"] as? [String] == ["leads.merge"])
            let badRole = try await client.send(.put, "/v1/admins/\(id)/role", token: token, json: #"{"role":"king"}"#)
            #expect(badRole.status == .unprocessableContent)
            let issued = try await client.send(.post, "/v1/admins/\(id)/tokens", token: token, json: #"{"label":"laptop"}"#)
            #expect(issued.status == .created)
            #expect(issued.headers[.cacheControl] == "no-store")
            let newToken = try #require(try issued.json()["token"] as? String)
            let me = try await client.send(.get, "/v1/admins/\(id)", token: newToken)
            #expect(me.status == .ok)
            #expect(!me.bodyText.contains(newToken))
            #expect(try await client.send(.get, "/v1/admins/\(UUID().uuidString)", token: token).status == .notFound)
        }
    }
}
