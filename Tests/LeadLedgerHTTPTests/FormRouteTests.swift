import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Web-to-lead forms: public submissions, CORS, honeypot, rate limit, nothing revealed")
struct FormRouteTests {
    static let formJSON = #"""
        {"name":"Contact us","fields":{"name":"fullName","email":"emails","phone":"phones"},
         "source":"website","allowedOrigins":["https://shop.example.com"],"honeypot":"website"}
        """#

    func post(
        _ client: any TestClientProtocol, _ key: String, body: String, contentType: String = "application/x-www-form-urlencoded",
        origin: String? = "https://shop.example.com"
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let origin { headers[HTTPField.Name("Origin")!] = origin }
        return try await client.executeRequest(
            uri: "/v1/forms/\(key)/submissions", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func leads(_ client: any TestClientProtocol, _ fixture: LedgerFixture, q: String) async throws -> [[String: Any]] {
        let page = try await client.send(.get, "/v1/leads?q=\(q)", token: fixture.adminToken)
        return try page.json()["items"] as? [[String: Any]] ?? []
    }

    @Test("a submission creates a lead or notes the one its e-mail finds, always answering the same 202")
    func submissions() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            let saved = try await client.send(.put, "/v1/settings/forms/contact-us", token: fixture.adminToken, json: Self.formJSON)
            #expect(saved.status == .ok, "\(saved.bodyText)")
            let forms = try #require(try saved.json()["leadForms"] as? [[String: Any]])
            #expect((forms.first?["form"] as? [String: Any])?["key"] as? String == "contact-us")

            var preflight = HTTPFields()
            preflight[HTTPField.Name("Origin")!] = "https://shop.example.com"
            let allowed = try await client.executeRequest(uri: "/v1/forms/contact-us/submissions", method: .options, headers: preflight, body: nil)
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "https://shop.example.com")
            #expect(allowed.headers[HTTPField.Name("Access-Control-Allow-Methods")!] == "POST")
            preflight[HTTPField.Name("Origin")!] = "https://evil.example.net"
            let refusedPreflight = try await client.executeRequest(uri: "/v1/forms/contact-us/submissions", method: .options, headers: preflight, body: nil)
            #expect(refusedPreflight.status == .forbidden)

            let created = try await post(client, "contact-us", body: "name=Ona+Petraitien%C4%97&email=ona%40example.lt&message=Call+me+after+6&website=")
            #expect(created.status == .accepted, "\(created.bodyText)")
            #expect(created.bodyText == #"{"status":"received"}"#)
            #expect(created.headers[HTTPField.Name("Access-Control-Allow-Origin")!] == "https://shop.example.com")
            let found = try await leads(client, fixture, q: "ona")
            #expect(found.map { $0["fullName"] as? String } == ["Ona Petraitienė"])
            #expect(found.first?["source"] as? String == "website")
            let id = try #require(found.first?["id"] as? String)

            // The same person again, as JSON from a server (no Origin): a second note on the same lead, no new lead.
            let again = try await post(
                client, "contact-us", body: #"{"name":"Ona P.","email":"ONA@example.lt","message":"Still waiting"}"#,
                contentType: "application/json", origin: nil)
            #expect(again.status == .accepted && again.bodyText == created.bodyText)
            #expect(try await leads(client, fixture, q: "ona").count == 1)
            let lead = try await client.send(.get, "/v1/leads/\(id)", token: fixture.adminToken)
            let notes = try #require(try lead.json()["notes"] as? [[String: Any]])
            #expect(notes.count == 2)
            #expect(notes.contains { ($0["text"] as? String)?.contains("message: Still waiting") == true })

            // A bot filling the honeypot, a browser elsewhere, an unknown form: nothing appended.
            let head = fixture.head
            let bot = try await post(client, "contact-us", body: "name=Bot&email=bot%40spam.example&website=http%3A%2F%2Fspam")
            #expect(bot.status == .accepted && bot.bodyText == created.bodyText)
            let elsewhere = try await post(client, "contact-us", body: "name=X&email=x%40example.com", origin: "https://evil.example.net")
            #expect(elsewhere.status == .forbidden)
            let unknown = try await post(client, "no-such-form", body: "name=X")
            #expect(unknown.status == .notFound)
            #expect(fixture.head == head)
        }
    }

    @Test("bad fields name the form field; wrong bodies are refused; a flood is 429 with Retry-After")
    func refusals() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            _ = try await client.send(.put, "/v1/settings/forms/contact-us", token: fixture.adminToken, json: Self.formJSON)
            let head = fixture.head
            let bad = try await post(client, "contact-us", body: "name=Ona&email=not-an-email")
            #expect(bad.status == .unprocessableContent, "\(bad.bodyText)")
            #expect(try bad.problemFields() == ["email"])
            let text = try await post(client, "contact-us", body: "name=Ona", contentType: "text/plain")
            #expect(text.status == .unsupportedMediaType)
            let array = try await post(client, "contact-us", body: "[1,2]", contentType: "application/json")
            #expect(array.status == .badRequest)
            #expect(fixture.head == head)

            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for n in 0..<12 {
                let response = try await post(client, "contact-us", body: "name=Flood&email=flood\(n)%40example.com")
                statuses.append(response.status)
                if response.status == .tooManyRequests { retryAfter = response.headers[.retryAfter] }
            }
            #expect(statuses.contains(.tooManyRequests), "\(statuses)")
            #expect(statuses.filter { $0 == .accepted }.count <= 10)
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)

            // Saving a form checks it: an unknown source, an origin with a path, the honeypot mapped.
            let invalid = try await client.send(
                .put, "/v1/settings/forms/other", token: fixture.adminToken,
                json: #"{"name":"Other","fields":{"email":"emails"},"source":"fax","allowedOrigins":["https://a.example/form"],"honeypot":"email"}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(try invalid.problemFields()) == ["source", "allowedOrigins[0]", "honeypot"])
            let manager = try await client.createManager(token: fixture.adminToken)
            let forbidden = try await client.send(.put, "/v1/settings/forms/mine", token: manager.token, json: Self.formJSON)
            #expect(forbidden.status == .forbidden)
        }
    }
}
