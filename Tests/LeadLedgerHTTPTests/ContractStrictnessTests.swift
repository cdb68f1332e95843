import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The server accepts what the OpenAPI document describes, and names what it does not")
struct ContractStrictnessTests {
    @Test("an unknown or empty query parameter is a 400 naming it; custom field filters and known ones pass")
    func queryParameters() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            for (query, field, code) in [
                ("overdue=true", "overdue", "unknownParameter"), ("status=", "status", "emptyValue"),
                ("step=new&stpe=new", "stpe", "unknownParameter"),
            ] {
                let response = try await client.send(.get, "/v1/leads?\(query)", token: token)
                #expect(response.status == .badRequest, "\(query)")
                #expect(try response.problemFields() == [field], "\(query)")
                #expect(try (response.json()["errors"] as? [[String: Any]])?.first?["code"] as? String == code)
            }
            #expect(try await client.send(.get, "/v1/leads?step=new&limit=5&count=true", token: token).status == .ok)
            let customField = try await client.send(.get, "/v1/leads?cf.budget=5", token: token)
            #expect(try customField.problemCode() != "badRequest")  // read as a custom field filter (unknown: 422)
            #expect(try await client.send(.get, "/v1/kanban?tag=vip", token: token).status == .ok)
            #expect(try await client.send(.get, "/v1/reports/funnel?limit=5", token: token).status == .badRequest)
            let lead = try await client.createLead(token: token)["id"] as! String
            #expect(try await client.send(.delete, "/v1/leads/\(lead)?because=x", token: token).status == .badRequest)
        }
    }

    @Test("unknown body fields, at the top or nested, and nulls the document forbids are a 400 naming the path")
    func bodies() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let head = fixture.head
            let cases: [(HTTPRequest.Method, String, String, String, String)] = [
                (.post, "/v1/leads", #"{"name":"Jonas"}"#, "name", "unknownField"),
                (.post, "/v1/leads", #"{"fullName":"Jonas","address":{"zip":"01100"}}"#, "address.zip", "unknownField"),
                (.post, "/v1/leads", #"{"fullName":"Jonas","customFields":{"x":{"type":"string","value":"a","extra":1}}}"#,
                 "customFields.x.extra", "unknownField"),
                (.patch, "/v1/leads/\(lead)", #"{"fullName":null}"#, "fullName", "mustNotBeNull"),
                (.patch, "/v1/leads/\(lead)", #"{"phones":null}"#, "phones", "mustNotBeNull"),
                (.post, "/v1/leads/\(lead)/notes", #"{"text":"Hi","colour":"red"}"#, "colour", "unknownField"),
                (.post, "/v1/settings/tags", ##"{"name":"vip","color":"#ff0000"}"##, "color", "unknownField"),
            ]
            for (method, path, json, field, code) in cases {
                let response = try await client.send(method, path, token: token, json: json)
                #expect(response.status == .badRequest, "\(path) \(json): \(response.bodyText)")
                #expect(try response.problemFields() == [field], "\(json)")
                #expect(try (response.json()["errors"] as? [[String: Any]])?.first?["code"] as? String == code, "\(json)")
            }
            #expect(fixture.head == head)
            // Null where the document allows it: nobody responsible; a custom field value cleared.
            let assign = try await client.send(.post, "/v1/leads/\(lead)/assign", token: token, json: #"{"responsible":null}"#)
            #expect(assign.status == .ok)
            let clear = try await client.send(.patch, "/v1/leads/\(lead)", token: token, json: #"{"customFields":{"x":null}}"#)
            #expect(try clear.problemCode() != "badRequest", "\(clear.bodyText)")
        }
    }

    @Test("a body that is not JSON is a 415; NUL and other control characters in text are a 422 naming the field")
    func mediaTypeAndControlCharacters() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let head = fixture.head
            let text = try await client.executeRequest(
                uri: "/v1/leads", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/plain"],
                body: ByteBuffer(string: #"{"fullName":"Jonas"}"#))
            #expect(text.status == .unsupportedMediaType)
            #expect(try text.problemCode() == "unsupportedMediaType")
            for (json, field) in [(#"{"fullName":"Jo\u0000nas"}"#, "fullName"), (#"{"fullName":"Jonas","company":"A\u001bB"}"#, "company"),
                                  (#"{"fullName":"Jonas","tags":["v\u0007ip"]}"#, "tags[0]")] {
                let response = try await client.send(.post, "/v1/leads", token: token, json: json)
                #expect(response.status == .unprocessableContent, "\(json)")
                #expect(try response.problemFields() == [field], "\(json)")
            }
            #expect(fixture.head == head)
            let lead = try await client.createLead(token: token)["id"] as! String
            let note = try await client.send(.post, "/v1/leads/\(lead)/notes", token: token, json: #"{"text":"Line one\nLine two\tend"}"#)
            #expect(note.status == .created)
        }
    }

    @Test("HEAD answers every GET route with its status and headers and no body")
    func head() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            for path in ["/v1/leads", "/v1/leads/\(lead)", "/v1/leads/\(lead)/history", "/v1/kanban", "/v1/settings",
                         "/v1/reports/funnel", "/healthz"] {
                let get = try await client.send(.get, path, token: token)
                let head = try await client.send(.head, path, token: token)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                #expect(head.headers[.contentLength] == String(get.body.readableBytes), "\(path)")
            }
            #expect(try await client.send(.head, "/v1/leads/\(UUID().uuidString)", token: token).status == .notFound)
        }
    }

    @Test("a settings or admin command without the permission is a 403 before its body is read")
    func permissionBeforeBody() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let manager = try await client.createManager(token: fixture.adminToken)
            for (method, path) in [(HTTPRequest.Method.post, "/v1/settings/tags"), (.put, "/v1/settings/step-order"), (.post, "/v1/admins")] {
                let response = try await client.send(method, path, token: manager.token, json: "not json at all")
                #expect(response.status == .forbidden, "\(path): \(response.bodyText)")
            }
        }
    }
}
