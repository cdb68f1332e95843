import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Deals over HTTP: quick deals, outcomes, a lead's card, bad input and reach")
struct DealRouteTests {
    @Test("a quick deal on a lead: created 201 with the first open stage; won; listed on the lead's card")
    func quickDeal() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let lead = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let created = try await client.send(
                .post, "/v1/deals", token: fixture.adminToken,
                json: #"{"name":"CRM licences","amount":"1200.50","currency":"eur","leadId":"\#(lead)"}"#)
            #expect(created.status == .created)
            let deal = try created.json()
            let id = try #require(deal["id"] as? String)
            #expect(deal["amount"] as? String == "1200.5" && deal["currency"] as? String == "EUR")
            #expect(deal["stage"] as? String == "qualification" && deal["probability"] as? Int == 10)
            #expect(created.headers[.location] == "/v1/deals/\(id)")
            let moved = try await client.send(.post, "/v1/deals/\(id)/stage", token: fixture.adminToken, json: #"{"stage":"negotiation"}"#)
            #expect(try moved.json()["probability"] as? Int == 70)
            let won = try await client.send(.post, "/v1/deals/\(id)/win", token: fixture.adminToken, json: "{}")
            #expect(won.status == .ok)
            #expect(try won.json()["outcome"] as? String == "won")
            let again = try await client.send(.post, "/v1/deals/\(id)/stage", token: fixture.adminToken, json: #"{"stage":"proposal"}"#)
            #expect(again.status == .conflict)
            #expect(try again.problemCode() == "dealClosed")
            let card = try await client.send(.get, "/v1/leads/\(lead)/deals", token: fixture.adminToken)
            let items = try #require(try card.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["id"] as? String } == [id])
            let fetched = try await client.send(.get, "/v1/deals/\(id)", token: fixture.adminToken)
            #expect(fetched.status == .ok && fetched.headers[.eTag] == "\"v3\"")
            _ = try await client.send(
                .post, "/v1/deals", token: fixture.adminToken,
                json: #"{"name":"Support","amount":"99.99","currency":"EUR","probability":50,"leadId":"\#(lead)"}"#)
            let report = try await client.send(.get, "/v1/reports/deals", token: fixture.adminToken)
            #expect(report.status == .ok)
            let rows = try #require(try report.json()["items"] as? [[String: Any]])
            #expect(rows.map { $0["stage"] as? String } == ["qualification", "won"])
            #expect(rows.first?["weighted"] as? String == "49.995" && rows.last?["amount"] as? String == "1200.5")
            let manager = try await client.createManager(token: fixture.adminToken)
            #expect(try await client.send(.get, "/v1/reports/deals", token: manager.token).status == .forbidden)
        }
    }

    @Test("bad input is a 422 naming each field and appends nothing")
    func badInput() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let lead = try await client.createLead(token: fixture.adminToken)["id"] as! String
            let head = fixture.head
            let bad = try await client.send(
                .post, "/v1/deals", token: fixture.adminToken,
                json: #"{"name":"X","amount":"12.5","currency":"ZZZ","stage":"won","probability":50,"leadId":"\#(lead)"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try bad.problemFields()) == ["currency", "stage"])
            let negative = try await client.send(
                .post, "/v1/deals", token: fixture.adminToken, json: #"{"name":"X","amount":"-1","currency":"EUR","leadId":"\#(lead)"}"#)
            #expect(negative.status == .badRequest || negative.status == .unprocessableContent)
            let noOwner = try await client.send(.post, "/v1/deals", token: fixture.adminToken, json: #"{"name":"X","amount":"1","currency":"EUR"}"#)
            #expect(try noOwner.problemFields() == ["leadId"])
            let unknownLead = try await client.send(
                .post, "/v1/deals", token: fixture.adminToken,
                json: #"{"name":"X","amount":"1","currency":"EUR","leadId":"00000000-0000-4000-8000-000000000099"}"#)
            #expect(try unknownLead.problemFields() == ["leadId"])
            #expect(fixture.head == head)
        }
    }

    @Test("a manager reaches the deals of the leads they reach and their own; others are 404 and append nothing")
    func reach() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let a = try await client.createManager(token: fixture.adminToken)
            let b = try await client.createManager(token: fixture.adminToken)
            let theirs = try await client.createLead(#"{"fullName":"Theirs"}"#, token: b.token)["id"] as! String
            let mine = try await client.createLead(#"{"fullName":"Mine"}"#, token: a.token)["id"] as! String
            let onTheirs = try await client.send(
                .post, "/v1/deals", token: b.token, json: #"{"name":"Secret deal","amount":"5","currency":"EUR","leadId":"\#(theirs)"}"#)
            let theirDeal = try #require(try onTheirs.json()["id"] as? String)
            let head = fixture.head
            let create = try await client.send(
                .post, "/v1/deals", token: a.token, json: #"{"name":"X","amount":"5","currency":"EUR","leadId":"\#(theirs)"}"#)
            #expect(create.status == .notFound)
            #expect(try await client.send(.get, "/v1/deals/\(theirDeal)", token: a.token).status == .notFound)
            #expect(try await client.send(.post, "/v1/deals/\(theirDeal)/win", token: a.token, json: "{}").status == .notFound)
            #expect(try await client.send(.get, "/v1/leads/\(theirs)/deals", token: a.token).status == .notFound)
            #expect(fixture.head == head)
            let own = try await client.send(
                .post, "/v1/deals", token: a.token, json: #"{"name":"Mine","amount":"5","currency":"EUR","leadId":"\#(mine)"}"#)
            #expect(own.status == .created)
            #expect(try own.json()["responsible"] as? String == a.id)
            // A customer made from b's lead is unknown to a: naming it is a 404 too, whether it exists or not.
            let converted = try await client.send(.post, "/v1/leads/\(theirs)/step", token: fixture.adminToken, json: #"{"step":"won"}"#)
            #expect(converted.status == .ok)
            let customer = try #require(
                try await client.send(.post, "/v1/leads/\(theirs)/convert", token: fixture.adminToken).json()["linkedCustomer"] as? String)
            let before = fixture.head
            let onCustomer = try await client.send(
                .post, "/v1/deals", token: a.token, json: #"{"name":"X","amount":"5","currency":"EUR","customerId":"\#(customer)"}"#)
            #expect(onCustomer.status == .notFound)
            #expect(try onCustomer.problemCode() == "customerNotFound")
            #expect(fixture.head == before)
            let byAdmin = try await client.send(
                .post, "/v1/deals", token: fixture.adminToken, json: #"{"name":"X","amount":"5","currency":"EUR","customerId":"\#(customer)"}"#)
            #expect(byAdmin.status == .created)
            // The customer's deals: every one for the admin, only the reachable ones (none here) for a.
            let all = try await client.send(.get, "/v1/customers/\(customer)/deals", token: fixture.adminToken)
            #expect((try all.json()["items"] as? [[String: Any]])?.count == 1)
            let theirsOnly = try await client.send(.get, "/v1/customers/\(customer)/deals", token: a.token)
            #expect((try theirsOnly.json()["items"] as? [[String: Any]])?.isEmpty == true)
            let missing = try await client.send(.get, "/v1/customers/00000000-0000-4000-8000-000000000099/deals", token: fixture.adminToken)
            #expect(missing.status == .notFound)
        }
    }
}
