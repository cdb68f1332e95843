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
            // The customer's deals: every one for the admin; for a, who reaches neither the customer nor a deal of
            // it, the customer does not exist (404, as GET /v1/customers/{id} answers).
            let all = try await client.send(.get, "/v1/customers/\(customer)/deals", token: fixture.adminToken)
            #expect((try all.json()["items"] as? [[String: Any]])?.count == 1)
            let theirsOnly = try await client.send(.get, "/v1/customers/\(customer)/deals", token: a.token)
            #expect(theirsOnly.status == .notFound)
            let missing = try await client.send(.get, "/v1/customers/00000000-0000-4000-8000-000000000099/deals", token: fixture.adminToken)
            #expect(missing.status == .notFound)
        }
    }

    @Test("a deal's tasks: the lead task requests under /v1/deals/{id}, listed in /v1/tasks with on=deal, within reach")
    func dealTasks() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let a = try await client.createManager(token: fixture.adminToken)
            let b = try await client.createManager(token: fixture.adminToken)
            let lead = try await client.createLead(#"{"fullName":"Mine"}"#, token: a.token)["id"] as! String
            let deal = try #require(
                try await client.send(
                    .post, "/v1/deals", token: a.token, json: #"{"name":"Licences","amount":"5","currency":"EUR","leadId":"\#(lead)"}"#
                ).json()["id"] as? String)
            let added = try await client.send(
                .post, "/v1/deals/\(deal)/tasks", token: a.token,
                json: #"{"taskType":"meeting","description":"Present the offer","due":"2020-01-02"}"#)
            #expect(added.status == .created)
            let task = try #require((try added.json()["tasks"] as? [[String: Any]])?.first)
            let taskId = try #require(task["id"] as? String)
            #expect(task["description"] as? String == "Present the offer" && task["closed"] as? Bool == false)
            // Listed with what it is on; overdue since 2020.
            let listed = try await client.send(.get, "/v1/tasks?mine=true&on=deal", token: a.token)
            let item = try #require((try listed.json()["items"] as? [[String: Any]])?.first)
            #expect(item["on"] as? String == "deal" && item["dealId"] as? String == deal && item["dealName"] as? String == "Licences")
            #expect(item["leadId"] as? String == lead && item["overdue"] as? Bool == true)
            #expect((try await client.send(.get, "/v1/tasks?on=lead", token: a.token).json()["items"] as? [[String: Any]])?.isEmpty == true)
            // Edit, reassign, close, reopen, delete: the same requests as on a lead.
            let edited = try await client.send(.patch, "/v1/deals/\(deal)/tasks/\(taskId)", token: a.token, json: #"{"due":null}"#)
            #expect(try edited.status == .ok && (edited.json()["tasks"] as? [[String: Any]])?.first?["due"] == nil)
            let given = try await client.send(
                .put, "/v1/deals/\(deal)/tasks/\(taskId)/responsible", token: a.token, json: #"{"responsible":"\#(a.id)"}"#)
            #expect((try given.json()["tasks"] as? [[String: Any]])?.first?["responsible"] as? String == a.id)
            let closed = try await client.send(.post, "/v1/deals/\(deal)/tasks/\(taskId)/close", token: a.token)
            #expect((try closed.json()["tasks"] as? [[String: Any]])?.first?["closed"] as? Bool == true)
            #expect(try await client.send(.post, "/v1/deals/\(deal)/tasks/\(taskId)/reopen", token: a.token).status == .ok)
            // Bad input names the field and appends nothing; another manager does not see the deal at all.
            let head = fixture.head
            let bad = try await client.send(
                .post, "/v1/deals/\(deal)/tasks", token: a.token, json: #"{"taskType":"juggling","description":"x"}"#)
            #expect(try bad.status == .unprocessableContent && (bad.problemFields()) == ["taskType"])
            let unknown = try await client.send(.post, "/v1/deals/\(deal)/tasks/00000000-0000-4000-8000-000000000099/close", token: a.token)
            #expect(try unknown.status == .notFound && (unknown.problemCode()) == "taskNotFound")
            let foreign = try await client.send(
                .post, "/v1/deals/\(deal)/tasks", token: b.token, json: #"{"taskType":"meeting","description":"x"}"#)
            #expect(try foreign.status == .notFound && (foreign.problemCode()) == "dealNotFound")
            #expect((try await client.send(.get, "/v1/tasks?on=deal", token: b.token).json()["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(fixture.head == head)
            let deleted = try await client.send(.delete, "/v1/deals/\(deal)/tasks/\(taskId)", token: a.token)
            #expect(try deleted.status == .ok && (deleted.json()["tasks"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("reports per manager and won/lost by period; conversion only at rates set in settings; bad rates are named")
    func reportsAndRates() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let eur = try await client.send(.post, "/v1/deals", token: token, json: #"{"name":"A","amount":"100","currency":"EUR","leadId":"\#(lead)"}"#)
            let usd = try await client.send(.post, "/v1/deals", token: token, json: #"{"name":"B","amount":"10.5","currency":"USD","leadId":"\#(lead)"}"#)
            let eurId = try #require(try eur.json()["id"] as? String)
            let usdId = try #require(try usd.json()["id"] as? String)
            _ = try await client.send(.post, "/v1/deals/\(eurId)/win", token: token, json: "{}")
            _ = try await client.send(.post, "/v1/deals/\(usdId)/lose", token: token, json: #"{"reason":"price"}"#)
            let admin = fixture.adminId.uuidString.lowercased()
            // No reporting currency: nothing is converted.
            let plain = try await client.send(.get, "/v1/reports/deals", token: token).json()
            #expect(plain["reportingCurrency"] == nil && plain["convertedAmount"] == nil)
            let head = fixture.head
            for (json, field) in [
                (#"{"reportingCurrency":"XXY","rates":[]}"#, "reportingCurrency"),
                (#"{"reportingCurrency":null,"rates":[{"currency":"USD","rate":"1"}]}"#, "rates"),
                (#"{"reportingCurrency":"EUR","rates":[{"currency":"USD","rate":"0"}]}"#, "rates[0].rate"),
                (#"{"reportingCurrency":"EUR","rates":[{"currency":"USD","rate":"-1"}]}"#, "rates[0].rate"),
                (#"{"reportingCurrency":"EUR","rates":[{"currency":"EUR","rate":"1"}]}"#, "rates[0].currency"),
                (#"{"reportingCurrency":"EUR","rates":[{"currency":"USD","rate":"1"},{"currency":"usd","rate":"2"}]}"#, "rates[1].currency"),
            ] {
                let response = try await client.send(.put, "/v1/settings/currency-rates", token: token, json: json)
                #expect(response.status == .unprocessableContent, "\(json)")
                #expect(try response.problemFields() == [field], "\(json)")
            }
            #expect(try await client.send(.put, "/v1/settings/currency-rates", token: token, json: #"{"rates":[]}"#).status == .badRequest)
            #expect(fixture.head == head)
            // EUR without a USD rate: rows in EUR convert, the total is withheld and USD is named.
            #expect(try await client.send(.put, "/v1/settings/currency-rates", token: token, json: #"{"reportingCurrency":"eur","rates":[]}"#).status == .ok)
            let partial = try await client.send(.get, "/v1/reports/deals", token: token).json()
            #expect(partial["reportingCurrency"] as? String == "EUR" && partial["convertedAmount"] == nil)
            #expect(partial["missingRates"] as? [String] == ["USD"])
            let set = try await client.send(
                .put, "/v1/settings/currency-rates", token: token, json: #"{"reportingCurrency":"EUR","rates":[{"currency":"USD","rate":"0.9"}]}"#)
            #expect(try set.json()["currencyRates"] as? [[String: String]] == [["currency": "USD", "rate": "0.9"]])
            let full = try await client.send(.get, "/v1/reports/deals", token: token).json()
            #expect(full["convertedAmount"] as? String == "109.45" && (full["missingRates"] as? [String]) == [])
            let managers = try await client.send(.get, "/v1/reports/deals/managers", token: token).json()
            let rows = try #require(managers["items"] as? [[String: Any]])
            #expect(rows.count == 2 && rows.allSatisfy { $0["responsible"] as? String == admin })
            let mine = try await client.send(.get, "/v1/reports/deals?responsible=\(admin)", token: token).json()
            #expect((mine["items"] as? [[String: Any]])?.count == 2)
            let outcomes = try await client.send(.get, "/v1/reports/deal-outcomes?from=2000-01-01", token: token).json()
            let items = try #require(outcomes["items"] as? [[String: Any]])
            #expect(items.map { $0["outcome"] as? String } == ["won", "lost"])
            #expect(items.map { $0["amount"] as? String } == ["100", "10.5"])
            #expect(items.map { $0["convertedAmount"] as? String } == ["100", "9.45"])
            let none = try await client.send(.get, "/v1/reports/deal-outcomes?to=2000-01-01", token: token).json()
            #expect((none["items"] as? [[String: Any]])?.isEmpty == true)
            let manager = try await client.createManager(token: token)
            #expect(try await client.send(.get, "/v1/reports/deal-outcomes", token: manager.token).status == .forbidden)
        }
    }

    @Test("DELETE /v1/leads/{id}?withDeals=true deletes the lead's deals with it; restore?withDeals=true brings them back")
    func leadWithDeals() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let token = fixture.adminToken
            let lead = try await client.createLead(token: token)["id"] as! String
            let deal = try await client.send(.post, "/v1/deals", token: token, json: #"{"name":"A","amount":"1","currency":"EUR","leadId":"\#(lead)"}"#)
            let dealId = try #require(try deal.json()["id"] as? String)
            let bad = try await client.send(.delete, "/v1/leads/\(lead)?withDeals=maybe", token: token)
            #expect(bad.status == .badRequest)
            #expect(try await client.send(.delete, "/v1/leads/\(lead)?withDeals=true", token: token).status == .ok)
            #expect(try await client.send(.get, "/v1/deals/\(dealId)", token: token).json()["deleted"] as? Bool == true)
            #expect((try await client.send(.get, "/v1/reports/deals", token: token).json()["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await client.send(.post, "/v1/leads/\(lead)/restore?withDeals=true", token: token).status == .ok)
            #expect(try await client.send(.get, "/v1/deals/\(dealId)", token: token).json()["deleted"] as? Bool == false)
            let history = try await client.send(.get, "/v1/leads/\(lead)/history", token: token)
            let summaries = ((try history.json()["items"] as? [[String: Any]]) ?? []).compactMap { $0["summary"] as? String }
            #expect(summaries.contains("Deleted with 1 deal") && summaries.contains("Restored with 1 deal"))
            let manager = try await client.createManager(token: token)
            #expect(try await client.send(.delete, "/v1/leads/\(lead)?withDeals=true", token: manager.token).status == .forbidden)
        }
    }
}
