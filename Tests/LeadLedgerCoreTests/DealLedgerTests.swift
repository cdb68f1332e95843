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
        try forEachRebuiltStore(data.path) { store, bulk throws in
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
        try forEachRebuiltStore(data.path) { store, bulk throws in
            #expect(try store.read { try $0.dealFunnel() } == report)
        }
    }

    @Test("per-manager funnels and won/lost by closing period equal summing the deals; also rebuilt")
    func managersAndOutcomes() async throws {
        let data = TemporaryDirectory()
        // Every command advances the clock by six hours: deals close on different days.
        let ledger = try await openLedger(data.path, clock: SteppingClock(start: fixtureStart, step: 6 * 3_600_000_000))
        let anna = fixedUUID(0xB1)
        let boris = fixedUUID(0xB2)
        let carla = fixedUUID(0xB3)
        for (id, name) in [(anna, "Anna"), (boris, "Boris"), (carla, "Carla")] {
            try await ledger.execute(.admin(id, .create(adminId: id, name: name, email: nil, role: "manager", permissions: [])), actor: testAdmin)
        }
        let lead = try await createLead(ledger, 1, name: "Jonas Jonaitis")
        var random = SplitMix64(seed: 5)
        var ids: [UUID] = []
        for i in 0..<40 {
            let id = fixedUUID(0xe00 + i)
            ids.append(id)
            let input = DealInput(
                name: "Deal \(i)", amount: "\(1 + random.below(9_999)).\(random.below(100))", currency: ["EUR", "USD", "EUR"][i % 3],
                responsible: [anna, boris, carla][random.below(3)], leadId: lead)
            try await ledger.execute(.deal(id, .create(dealId: id, input)), actor: testAdmin)
            switch random.below(4) {
            case 0: try await ledger.execute(.deal(id, .win(stage: nil)), actor: testAdmin)
            case 1: try await ledger.execute(.deal(id, .lose(stage: nil, reason: "price")), actor: testAdmin)
            default: break
            }
            if random.below(10) == 0 { try await ledger.execute(.deal(id, .delete(reason: nil)), actor: testAdmin) }
            if random.below(10) == 0 { try await ledger.execute(.deal(id, .update(DealPatch(responsible: anna))), actor: testAdmin) }
        }
        let (deals, settings) = try ledger.read { view in (try ids.compactMap { try view.deal($0) }, view.settings) }
        let live = deals.filter { !$0.deleted }
        let closedDays = live.compactMap(\.closedAt).sorted()
        let periods = [
            ReportPeriod.allTime, ReportPeriod(from: closedDays[closedDays.count / 3], to: closedDays[2 * closedDays.count / 3]),
            ReportPeriod(from: closedDays[closedDays.count / 2]), ReportPeriod(to: closedDays[closedDays.count / 4]),
        ]
        func answers(_ view: borrowing ProjectionView) throws -> ([[DealStageReportRow]], [DealOutcomeReport]) {
            (try [anna, boris, carla].map { try view.dealFunnel(responsible: $0) }, try periods.map { try view.dealOutcomes($0) })
        }
        let (funnels, outcomes) = try ledger.read { try answers($0) }
        for (manager, funnel) in zip([anna, boris, carla], funnels) {
            var expected: [String: (Int, Decimal)] = [:]
            for deal in live where deal.responsible == manager {
                let key = deal.stage + "/" + deal.currency
                expected[key] = ((expected[key]?.0 ?? 0) + 1, (expected[key]?.1 ?? 0) + DealAmount.decimal(deal.amount))
            }
            #expect(funnel.count == expected.count)
            for row in funnel {
                #expect(expected[row.stage + "/" + row.currency]?.0 == row.count, "\(row)")
                #expect(expected[row.stage + "/" + row.currency]?.1 == Decimal(string: row.amount), "\(row)")
            }
        }
        #expect(try ledger.read { try $0.dealResponsibles() }.count == Set(live.map(\.responsible)).count)
        for (period, report) in zip(periods, outcomes) {
            var expected: [String: (Int, Decimal)] = [:]
            for deal in live where deal.outcome != .open {
                let day = ReportDays.day(of: deal.closedAt!.rawValue)
                guard period.contains(day: day) else { continue }
                let key = deal.outcome.rawValue + "/" + deal.currency + "/" + deal.responsible.uuidString
                expected[key] = ((expected[key]?.0 ?? 0) + 1, (expected[key]?.1 ?? 0) + DealAmount.decimal(deal.amount))
            }
            #expect(report.byManager.count == expected.count, "\(period)")
            for row in report.byManager {
                let want = expected[row.outcome.rawValue + "/" + row.currency + "/" + row.responsible!.uuidString]
                #expect(want?.0 == row.count && want?.1 == Decimal(string: row.amount), "\(period) \(row)")
            }
            #expect(report.rows.reduce(0) { $0 + $1.count } == expected.values.reduce(0) { $0 + $1.0 })
        }
        #expect(outcomes[0].rows.contains { $0.outcome == .won } && outcomes[0].rows.contains { $0.outcome == .lost })
        // Conversion uses only the rates given: EUR is the reporting currency, USD has no rate until it is set.
        try await ledger.execute(.settings(.setCurrencyRates(reporting: "EUR", rates: [])), actor: testAdmin)
        var reporting = try #require(ReportingCurrency(try ledger.read { $0.settings }))
        let eur = funnels[0].filter { $0.currency == "EUR" }
        #expect(reporting.total(funnels[0].map { ($0.units, $0.currency) }, scale: 4).missing == (funnels[0].contains { $0.currency == "USD" } ? ["USD"] : []))
        #expect(reporting.convert(1_234_5000, scale: 4, from: "USD") == nil)
        try await ledger.execute(.settings(.setCurrencyRates(reporting: "EUR", rates: [CurrencyRate(currency: "usd", rate: "0.9")])), actor: testAdmin)
        reporting = try #require(ReportingCurrency(try ledger.read { $0.settings }))
        #expect(reporting.convert(1_234_5000, scale: 4, from: "USD") == "1111.05")
        #expect(reporting.convert(1_234_5000, scale: 4, from: "EUR") == "1234.5")
        let eurUnits = eur.reduce(UInt128(0)) { $0 + $1.units }
        let usdUnits = funnels[0].filter { $0.currency == "USD" }.reduce(UInt128(0)) { $0 + $1.units }
        #expect(reporting.total(funnels[0].map { ($0.units, $0.currency) }, scale: 4).total == DealAmount.text(eurUnits * 10_000 + usdUnits * 9_000, scale: 8))
        _ = settings
        try await ledger.close()
        try forEachRebuiltStore(data.path) { store, bulk throws in
            let rebuilt = try store.read { try answers($0) }
            #expect(rebuilt.0 == funnels && rebuilt.1 == outcomes, "bulk: \(bulk)")
        }
    }

    @Test("a lead deleted with its deals deletes them in one append, named in its event; restored with them, exactly those return")
    func deleteWithDeals() async throws {
        let data = TemporaryDirectory()
        let ledger = try await openLedger(data.path)
        let lead = try await createLead(ledger, 1, name: "Jonas Jonaitis")
        let other = try await createLead(ledger, 2, name: "Ona Onaitė")
        let (a, b, c, d) = (fixedUUID(0xda), fixedUUID(0xdb), fixedUUID(0xdc), fixedUUID(0xdd))
        for (id, owner) in [(a, lead), (b, lead), (c, lead), (d, other)] {
            try await ledger.execute(
                .deal(id, .create(dealId: id, DealInput(name: "Deal", amount: "10", currency: "EUR", leadId: owner))), actor: testAdmin)
        }
        // Deleted on its own before: not part of the lead's deletion, and not restored with it.
        try await ledger.execute(.deal(c, .delete(reason: nil)), actor: testAdmin)
        let deleted = try await ledger.execute(.lead(lead, .delete(reason: "duplicate", withDeals: true)), actor: testAdmin)
        #expect(deleted.appends.count == 3)  // the lead and its two live deals, in one append
        #expect(Set(deleted.appends.map(\.streamId)) == [StreamID.lead(lead), StreamID.deal(a), StreamID.deal(b)])
        guard case .leadDeleted(let event)? = deleted.events.first(where: { $0.kind == .leadDeleted }) else {
            Issue.record("no LeadDeleted")
            return
        }
        #expect(Set(event.dealIds) == [a, b])
        #expect(try ledger.read { view in try [a, b, c, d].map { try view.deal($0)?.deleted } } == [true, true, true, false])
        #expect(try ledger.read { try $0.lead(lead)?.deletedWithDeals }.map(Set.init) == [a, b])
        let restored = try await ledger.execute(.lead(lead, .restore(withDeals: true)), actor: testAdmin)
        guard case .leadRestored(let back)? = restored.events.first(where: { $0.kind == .leadRestored }) else {
            Issue.record("no LeadRestored")
            return
        }
        #expect(Set(back.dealIds) == [a, b])
        #expect(try ledger.read { view in try [a, b, c].map { try view.deal($0)?.deleted } } == [false, false, true])
        // Alone (the default), the deals stay as they are.
        let alone = try await ledger.execute(.lead(lead, .delete(reason: nil)), actor: testAdmin)
        #expect(alone.appends.count == 1)
        #expect(try ledger.read { try $0.deal(a)?.deleted } == false)
        try await ledger.execute(.lead(lead, .restore()), actor: testAdmin)
        let served = try ledger.read { view in try [a, b, c, d].map { try view.deal($0) } }
        try await ledger.close()
        try forEachRebuiltStore(data.path) { store, bulk throws in
            #expect(try store.read { view in try [a, b, c, d].map { try view.deal($0) } } == served, "bulk: \(bulk)")
        }
    }
}
