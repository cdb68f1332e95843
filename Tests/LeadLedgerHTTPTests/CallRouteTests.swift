import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Incoming calls over HTTP: the lead with the number, or a new one, records the call")
struct CallRouteTests {
    @Test("a call from a known number in another form lands on its lead; an unknown one makes a lead; retries count once")
    func calls() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let country = try await client.send(.put, "/v1/settings/phone-country", token: fixture.adminToken, json: #"{"country":"ru"}"#)
            #expect(try country.status == .ok && country.json()["phoneCountry"] as? String == "RU")
            let lead = try await client.createLead(#"{"fullName":"Ольга","phones":["8 912 345-67-89"]}"#, token: fixture.adminToken)
            let leadId = try #require(lead["id"] as? String)
            let known = try await client.send(.post, "/v1/calls", token: fixture.adminToken, json: #"{"number":"+7 (912) 345 67 89"}"#)
            #expect(known.status == .ok)
            let card = try known.json()
            #expect(card["id"] as? String == leadId)
            let calls = try #require(card["calls"] as? [[String: Any]])
            #expect(calls.map { $0["digits"] as? String } == ["79123456789"] && calls.first?["number"] as? String == "+7 (912) 345 67 89")
            let history = try await client.send(.get, "/v1/leads/\(leadId)/history", token: fixture.adminToken)
            #expect(String(buffer: history.body).contains("Call from +7 (912) 345 67 89 taken by"))
            // Nobody has this number: a lead for it, from the phone source, with the call.
            var retry = HTTPFields()
            retry[HTTPField.Name("Idempotency-Key")!] = "pbx-call-42"
            let unknown = try await client.send(.post, "/v1/calls", token: fixture.adminToken, json: #"{"number":"8 495 123-45-67"}"#, headers: retry)
            #expect(unknown.status == .created)
            let created = try unknown.json()
            let createdId = try #require(created["id"] as? String)
            #expect(created["source"] as? String == "phone" && created["fullName"] as? String == "Call from 8 495 123-45-67")
            #expect((created["calls"] as? [[String: Any]])?.count == 1)
            let head = fixture.head
            let again = try await client.send(.post, "/v1/calls", token: fixture.adminToken, json: #"{"number":"8 495 123-45-67"}"#, headers: retry)
            #expect(try again.json()["id"] as? String == createdId)
            #expect((try again.json()["calls"] as? [[String: Any]])?.count == 1)
            #expect(fixture.head == head)
            // Bad input names the field and appends nothing.
            for body in [#"{"number":"call me"}"#, #"{"number":"+7 912","takenBy":"00000000-0000-4000-8000-000000000099"}"#] {
                let bad = try await client.send(.post, "/v1/calls", token: fixture.adminToken, json: body)
                #expect(bad.status == .unprocessableContent, "\(body)")
                #expect(try bad.problemFields() == ["number"], "\(body)")
            }
            let badAdmin = try await client.send(
                .post, "/v1/calls", token: fixture.adminToken, json: #"{"number":"+79123456789","takenBy":"00000000-0000-4000-8000-000000000099"}"#)
            #expect(try badAdmin.problemFields() == ["takenBy"])
            let badCountry = try await client.send(.put, "/v1/settings/phone-country", token: fixture.adminToken, json: #"{"country":"XX"}"#)
            #expect(try badCountry.problemFields() == ["country"])
            #expect(fixture.head == head)
        }
    }

    @Test("a manager's call is matched among the leads they reach only; a customer with the number names the new lead")
    func reachAndCustomers() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let a = try await client.createManager(token: fixture.adminToken)
            let b = try await client.createManager(token: fixture.adminToken)
            let theirs = try await client.createLead(#"{"fullName":"Secret","phones":["+370 612 34567"]}"#, token: a.token)
            let call = try await client.send(.post, "/v1/calls", token: b.token, json: #"{"number":"+370 612 34567"}"#)
            #expect(call.status == .created)
            let mine = try call.json()
            #expect(mine["id"] as? String != theirs["id"] as? String && mine["fullName"] as? String == "Call from +370 612 34567")
            #expect(mine["responsible"] as? String == b.id)
            // A customer the admin reaches, with the number: the new lead carries its name and link.
            let customer = try await client.send(
                .post, "/v1/customers", token: fixture.adminToken, json: #"{"fullName":"UAB Rasa","kind":"company","phones":["+370 5 2123456"]}"#)
            let customerId = try #require(try customer.json()["id"] as? String)
            let fromCustomer = try await client.send(.post, "/v1/calls", token: fixture.adminToken, json: #"{"number":"+370 5 2123456"}"#)
            #expect(fromCustomer.status == .created)
            #expect(try fromCustomer.json()["fullName"] as? String == "UAB Rasa")
            #expect(try fromCustomer.json()["linkedCustomer"] as? String == customerId)
        }
    }
}
