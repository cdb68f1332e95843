import EventLog
import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerCore

@Suite("Deals through the ledger and the projection store")
struct DealLedgerTests {
    @Test("deals are created on leads, listed on the lead's card, move and close; a rebuilt store holds the same")
    func lifecycle() async throws {
        let data = TemporaryDirectory()
        let ledger = try await openLedger(data.path)
        let lead = try await createLead(ledger, 1, name: "Jonas Jonaitis")
        let other = try await createLead(ledger, 2, name: "Ona Onaitė")
        let first = fixedUUID(0xd1)
        let second = fixedUUID(0xd2)
        try await ledger.execute(
            .deal(first, .create(dealId: first, DealInput(name: "Licences", amount: "1200.50", currency: "EUR", leadId: lead))),
            actor: testAdmin)
        try await ledger.execute(
            .deal(second, .create(dealId: second, DealInput(name: "Support", amount: "300", currency: "EUR", leadId: lead))),
            actor: testAdmin)
        try await ledger.execute(.deal(second, .moveStage("proposal")), actor: testAdmin)
        let won = try await ledger.execute(.deal(first, .win(stage: nil)), actor: testAdmin)
        #expect(won.state.deal?.outcome == .won && won.streamVersion == 2)
        // A deal moved to another lead leaves the first lead's card.
        try await ledger.execute(.deal(second, .update(DealPatch(leadId: .some(other)))), actor: testAdmin)
        #expect(try ledger.read { try $0.deals(ofLead: lead).map(\.id) } == [first])
        #expect(try ledger.read { try $0.deals(ofLead: other).map(\.id) } == [second])
        #expect(try ledger.read { try $0.deal(second)?.stage } == "proposal")
        // Bad input appends nothing.
        let head = ledger.log.head
        await #expect(throws: DomainError.self) {
            try await ledger.execute(
                .deal(fixedUUID(0xd3), .create(dealId: fixedUUID(0xd3), DealInput(name: "X", amount: "-1", currency: "EUR", leadId: lead))),
                actor: testAdmin)
        }
        await #expect(throws: DomainError.self) {
            try await ledger.execute(
                .deal(fixedUUID(0xd4), .create(dealId: fixedUUID(0xd4), DealInput(name: "X", amount: "1", currency: "EUR", leadId: fixedUUID(99)))),
                actor: testAdmin)
        }
        #expect(ledger.log.head == head)
        // Deleted deals leave the cards; restored ones come back.
        try await ledger.execute(.deal(first, .delete(reason: nil)), actor: testAdmin)
        #expect(try ledger.read { try $0.deals(ofLead: lead) }.isEmpty)
        try await ledger.execute(.deal(first, .restore), actor: testAdmin)
        #expect(try ledger.read { try $0.deals(ofLead: lead).map(\.id) } == [first])
        // A store rebuilt from the log, event by event and in bulk, equals the served one.
        let served = try ledger.read { view in (try view.deal(first), try view.deal(second)) }
        try await ledger.close()
        let log = try EventLog(directory: data.path + "/log")
        defer { log.close() }
        for bulk in [false, true] {
            let directory = TemporaryDirectory()
            let store = try ProjectionDatabase(directory: directory.path, durability: .discardable)
            defer { store.close() }
            try store.catchUp(log: log, bulkThreshold: bulk ? 1 : .max)
            let rebuilt = try store.read { view in (try view.deal(first), try view.deal(second)) }
            #expect(rebuilt.0 == served.0 && rebuilt.1 == served.1)
            #expect(try store.read { try $0.deals(ofLead: other).map(\.id) } == [second])
        }
    }

    @Test("the deal funnel sums budgets and probability-weighted budgets per stage and currency, as counting deals does")
    func funnel() async throws {
        let data = TemporaryDirectory()
        let ledger = try await openLedger(data.path)
        let lead = try await createLead(ledger, 1, name: "Jonas Jonaitis")
        var ids: [UUID] = []
        let amounts = ["1200.5", "300", "0.0001", "999999999999999.9999", "42.42", "7", "19.99", "1000"]
        for (i, amount) in amounts.enumerated() {
            let id = fixedUUID(0xd00 + i)
            ids.append(id)
            let input = DealInput(
                name: "Deal \(i)", amount: amount, currency: i % 3 == 0 ? "USD" : "EUR",
                probability: i % 4 == 1 ? Int64(i * 10) : nil, leadId: lead)
            try await ledger.execute(.deal(id, .create(dealId: id, input)), actor: testAdmin)
        }
        try await ledger.execute(.deal(ids[1], .moveStage("proposal")), actor: testAdmin)
        try await ledger.execute(.deal(ids[2], .moveStage("negotiation")), actor: testAdmin)
        try await ledger.execute(.deal(ids[3], .win(stage: nil)), actor: testAdmin)
        try await ledger.execute(.deal(ids[4], .lose(stage: nil, reason: "price")), actor: testAdmin)
        try await ledger.execute(.deal(ids[5], .delete(reason: nil)), actor: testAdmin)
        try await ledger.execute(.deal(ids[6], .update(DealPatch(amount: "20", probability: .some(35)))), actor: testAdmin)
        try await ledger.execute(.deal(ids[1], .update(DealPatch(probability: .some(nil)))), actor: testAdmin)
        // A new stage probability changes the weighted sums of the deals that follow it, and only those.
        try await ledger.execute(.settings(.setDealStageProbability(key: "qualification", probability: 15)), actor: testAdmin)
        let (report, deals, settings) = try ledger.read { view in
            (try view.dealFunnel(), try ids.compactMap { try view.deal($0) }, view.settings)
        }
        var expected: [String: (count: Int, units: Decimal, weighted: Decimal)] = [:]
        for deal in deals where !deal.deleted {
            let key = deal.stage + "/" + deal.currency
            let amount = DealAmount.decimal(deal.amount)
            var row = expected[key] ?? (0, 0, 0)
            row.count += 1
            row.units += amount
            row.weighted += amount * Decimal(deal.probability(in: settings)) / 100
            expected[key] = row
        }
        #expect(report.count == expected.count)
        for row in report {
            let want = try #require(expected[row.stage + "/" + row.currency], "\(row)")
            #expect(row.count == want.count, "\(row)")
            #expect(Decimal(string: row.amount) == want.units, "\(row)")
            #expect(Decimal(string: row.weighted) == want.weighted, "\(row)")
        }
        #expect(report.map(\.stage).first == "qualification" && report.contains { $0.stage == "won" && $0.weighted == $0.amount })
        try await ledger.close()
        // The same totals from a rebuilt store, event by event and in bulk.
        let log = try EventLog(directory: data.path + "/log")
        defer { log.close() }
        for bulk in [false, true] {
            let directory = TemporaryDirectory()
            let store = try ProjectionDatabase(directory: directory.path, durability: .discardable)
            defer { store.close() }
            try store.catchUp(log: log, bulkThreshold: bulk ? 1 : .max)
            #expect(try store.read { try $0.dealFunnel() } == report)
        }
    }
}
