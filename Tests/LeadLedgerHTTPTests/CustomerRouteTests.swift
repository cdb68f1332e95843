import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The customer directory over HTTP: persons and companies, search, delete and restore, e-mail check, reach")
struct CustomerRouteTests {
    static func ids(_ response: TestResponse) throws -> [String] {
        ((try response.json()["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    @Test("companies and their persons are registered, found by name, phone and e-mail, updated, deleted and restored")
    func directory() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let company = try await client.send(
                .post, "/v1/customers", token: token, json: #"{"kind":"company","fullName":"UAB Šiaurės vėjas","phones":["+370 5 212 3456"]}"#)
            #expect(company.status == .created)
            let companyId = try #require(try company.json()["id"] as? String)
            #expect(company.headers[.location] == "/v1/customers/\(companyId)")
            let person = try await client.send(
                .post, "/v1/customers", token: token,
                json: #"{"fullName":"Rūta Kazlauskienė","companyId":"\#(companyId)","emails":["Ruta@Vejas.lt"]}"#)
            #expect(person.status == .created)
            let personId = try #require(try person.json()["id"] as? String)
            #expect(try person.json()["kind"] as? String == "person" && (try person.json()["companyId"] as? String) == companyId)
            // Search folds case and diacritics like lead search; phones by digits; e-mails by word.
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=ruta", token: token)) == [personId])
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=siaures", token: token)) == [companyId])
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=3705212", token: token)) == [companyId])
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=vejas", token: token)).sorted() == [companyId, personId].sorted())
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?kind=company", token: token)) == [companyId])
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?company=\(companyId)", token: token)) == [personId])
            // By name, paged.
            let first = try await client.send(.get, "/v1/customers?limit=1", token: token)
            #expect(try Self.ids(first) == [personId])  // "rūta…" folds before "uab…"
            let cursor = try #require(try first.json()["nextCursor"] as? String)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?limit=1&cursor=\(cursor)", token: token)) == [companyId])
            let renamed = try await client.send(.patch, "/v1/customers/\(personId)", token: token, json: #"{"fullName":"Rūta Jonaitienė","address":null}"#)
            #expect(renamed.status == .ok && renamed.headers[.eTag] == "\"v2\"")
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=jonaitiene", token: token)) == [personId])
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=kazlauskiene", token: token)).isEmpty)
            let out = try await client.send(.put, "/v1/customers/\(personId)/company", token: token, json: #"{"companyId":null}"#)
            #expect(try out.json()["companyId"] == nil)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?company=\(companyId)", token: token)).isEmpty)
            // Delete hides it from the directory and refuses edits; restore brings it back as it was.
            let deleted = try await client.send(.delete, "/v1/customers/\(personId)?reason=duplicate", token: token)
            #expect(try deleted.json()["deleted"] as? Bool == true)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=ruta", token: token)).isEmpty)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?deleted=true", token: token)) == [personId])
            let refused = try await client.send(.patch, "/v1/customers/\(personId)", token: token, json: #"{"fullName":"X"}"#)
            #expect(refused.status == .conflict)
            #expect(try refused.problemCode() == "customerDeleted")
            #expect(try await client.send(.post, "/v1/customers/\(personId)/restore", token: token).status == .ok)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers?q=ruta", token: token)) == [personId])
            let fetched = try await client.send(.get, "/v1/customers/\(personId)", token: token)
            #expect(try fetched.json()["fullName"] as? String == "Rūta Jonaitienė")
            #expect(try await client.send(.get, "/v1/customers/\(UUID().uuidString)", token: token).status == .notFound)
        }
    }

    @Test("bad customers name the field and append nothing: no name, a person as company, a company in a company, unknown ids")
    func badInput() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let person = try await client.send(.post, "/v1/customers", token: token, json: #"{"fullName":"Ona"}"#)
            let personId = try #require(try person.json()["id"] as? String)
            let company = try await client.send(.post, "/v1/customers", token: token, json: #"{"kind":"company","fullName":"Acme"}"#)
            let companyId = try #require(try company.json()["id"] as? String)
            let head = fixture.head
            for (json, field) in [
                (#"{"fullName":" "}"#, "fullName"), (#"{"fullName":"A","emails":["nope"]}"#, "emails[0]"),
                (#"{"fullName":"A","companyId":"\#(personId)"}"#, "companyId"),
                (#"{"fullName":"A","companyId":"\#(UUID().uuidString)"}"#, "companyId"),
                (#"{"kind":"company","fullName":"B","companyId":"\#(companyId)"}"#, "companyId"),
            ] {
                let response = try await client.send(.post, "/v1/customers", token: token, json: json)
                #expect(response.status == .unprocessableContent, "\(json)")
                #expect(try response.problemFields() == [field], "\(json)")
            }
            let kind = try await client.send(.post, "/v1/customers", token: token, json: #"{"kind":"robot","fullName":"A"}"#)
            #expect(kind.status == .badRequest)
            let noKey = try await client.send(.put, "/v1/customers/\(personId)/company", token: token, json: "{}")
            #expect(noKey.status == .badRequest)
            #expect(fixture.head == head)
            let tooMany = try await client.send(
                .post, "/v1/customer-matches", token: token,
                json: #"{"leadIds":[\#(Array(repeating: "\"\(UUID().uuidString)\"", count: 501).joined(separator: ","))]}"#)
            #expect(tooMany.status == .unprocessableContent)
            #expect(try tooMany.problemFields() == ["leadIds"])
            let none = try await client.send(.post, "/v1/customer-matches", token: token, json: #"{"leadIds":[]}"#)
            #expect(none.status == .unprocessableContent)
            // A lead cannot be linked to a deleted customer; a deal cannot name one.
            _ = try await client.send(.delete, "/v1/customers/\(personId)", token: token)
            let lead = try await client.createLead(token: token)["id"] as! String
            let link = try await client.send(.post, "/v1/leads/\(lead)/link-customer", token: token, json: #"{"customerId":"\#(personId)"}"#)
            #expect(link.status == .conflict)
            let deal = try await client.send(
                .post, "/v1/deals", token: token, json: #"{"name":"D","amount":"1","currency":"EUR","customerId":"\#(personId)"}"#)
            #expect(deal.status == .unprocessableContent)
            #expect(try deal.problemFields() == ["customerId"])
        }
    }

    @Test("leads link to any customer; the e-mail check answers each lead's customers; a manager reaches only their own")
    func linkCheckAndReach() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let manager = try await client.createManager(token: token)
            let customer = try await client.send(.post, "/v1/customers", token: token, json: #"{"fullName":"Jonas","emails":["jonas@example.lt"]}"#)
            let customerId = try #require(try customer.json()["id"] as? String)
            let other = try await client.send(.post, "/v1/customers", token: token, json: #"{"fullName":"Petras","emails":["petras@example.lt"]}"#)
            let otherId = try #require(try other.json()["id"] as? String)
            let mine = try await client.createLead(
                #"{"fullName":"Jonas J.","emails":["JONAS@example.lt"],"responsible":"\#(manager.id)"}"#, token: token)["id"] as! String
            let theirs = try await client.createLead(#"{"fullName":"Petras P.","emails":["petras@example.lt"]}"#, token: token)["id"] as! String
            let check = try await client.send(
                .post, "/v1/customer-matches", token: token, json: #"{"leadIds":["\#(mine)","\#(theirs)","\#(UUID().uuidString)"]}"#)
            #expect(check.status == .ok)
            let items = try #require(try check.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["leadId"] as? String } == [mine, theirs])
            #expect(items.map { $0["customerIds"] as? [String] } == [[customerId], [otherId]])
            // Before any link the manager reaches no customer.
            #expect(try Self.ids(try await client.send(.get, "/v1/customers", token: manager.token)).isEmpty)
            #expect(try await client.send(.get, "/v1/customers/\(customerId)", token: manager.token).status == .notFound)
            for view in ["leads", "matching-leads", "deals"] {
                let response = try await client.send(.get, "/v1/customers/\(customerId)/\(view)", token: manager.token)
                #expect(response.status == .notFound, "\(view)")
            }
            let managerCheck = try await client.send(.post, "/v1/customer-matches", token: manager.token, json: #"{"leadIds":["\#(mine)","\#(theirs)"]}"#)
            #expect((try managerCheck.json()["items"] as? [[String: Any]])?.map { $0["customerIds"] as? [String] } == [[]])
            // An admin links the manager's lead to an existing customer (not made by a conversion).
            let linked = try await client.send(.post, "/v1/leads/\(mine)/link-customer", token: token, json: #"{"customerId":"\#(customerId)"}"#)
            #expect(linked.status == .ok)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers", token: manager.token)) == [customerId])
            #expect(try await client.send(.get, "/v1/customers/\(customerId)", token: manager.token).status == .ok)
            #expect(try await client.send(.get, "/v1/customers/\(otherId)", token: manager.token).status == .notFound)
            #expect(try await client.send(.get, "/v1/customers/\(otherId)/leads", token: manager.token).status == .notFound)
            #expect(try await client.send(.get, "/v1/customers/\(customerId)/deals", token: manager.token).status == .ok)
            let leads = try await client.send(.get, "/v1/customers/\(customerId)/leads", token: manager.token)
            #expect(try Self.ids(leads) == [mine])
            // A manager cannot edit or link a customer out of reach (404, nothing appended), but edits their own.
            let head = fixture.head
            #expect(try await client.send(.patch, "/v1/customers/\(otherId)", token: manager.token, json: #"{"fullName":"X"}"#).status == .notFound)
            #expect(
                try await client.send(.post, "/v1/leads/\(mine)/link-customer", token: manager.token, json: #"{"customerId":"\#(otherId)"}"#).status
                    == .notFound)
            #expect(fixture.head == head)
            let own = try await client.send(.post, "/v1/customers", token: manager.token, json: #"{"fullName":"Mano klientas"}"#)
            let ownId = try #require(try own.json()["id"] as? String)
            #expect(try Self.ids(try await client.send(.get, "/v1/customers", token: manager.token)).sorted() == [customerId, ownId].sorted())
            #expect(try await client.send(.delete, "/v1/customers/\(ownId)", token: manager.token).status == .forbidden)
        }
    }
}
