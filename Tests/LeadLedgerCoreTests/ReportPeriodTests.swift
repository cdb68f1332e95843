import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerCore

/// Reports over a period add up the day counters inside it; that must equal counting the live leads created on
/// those days one by one, for any bounds.
@Suite("Report periods")
struct ReportPeriodTests {
    struct Totals: Equatable {
        var created = 0
        var converted = 0
        var sources: [String: Int] = [:]
        var sourcesConverted: [String: Int] = [:]
        var createdBy: [UUID: Int] = [:]

        /// Counted lead by lead: the live leads created on a UTC day inside the period.
        init(_ leads: [LeadState], _ period: ReportPeriod) {
            for lead in leads where lead.isLive && period.contains(day: ReportDays.day(of: lead.createdAt.rawValue)) {
                created += 1
                sources[lead.source, default: 0] += 1
                createdBy[lead.createdBy, default: 0] += 1
                if lead.converted {
                    converted += 1
                    sourcesConverted[lead.source, default: 0] += 1
                }
            }
        }
    }

    @Test("any period's reports equal counting its leads one by one")
    func blocksEqualDays() throws {
        var world = ProjectionWorld()
        var generator = SplitMix64(seed: 21)
        let managers = [world.admin, UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!]
        let steps = ["contacted", "qualified", "proposal"]
        var ids: [UUID] = []
        // 400 leads over about two years, some a few days apart and some the same day; some converted, some deleted.
        for n in 0..<400 {
            world.advance(seconds: Int64(generator.next() % (4 * 86_400)))
            let id = try world.create(
                "Lead \(n)", source: n % 3 == 0 ? "website" : "phone", responsible: managers[n % 2],
                by: managers[Int(generator.next() % 2)])
            for step in steps.prefix(Int(generator.next() % 4)) { try world.run(id, .markStep(step)) }
            if n % 7 == 0 {
                try world.run(id, .markStep("won"))
                try world.run(id, .convert(customerId: world.newID()))
            }
            ids.append(id)
        }
        for id in ids where generator.next() % 10 == 0 { try world.run(id, .delete(reason: nil)) }
        let leads = world.projections.allLeads
        let first = leads.map(\.createdAt.rawValue).min()!
        #expect(Set(leads.map { ReportDays.day(of: $0.createdAt.rawValue) }).count > 100)

        var bounds: [Timestamp?] = [nil]
        for _ in 0..<60 {
            bounds.append(Timestamp(microseconds: first + Int64(generator.next() % (800 * 86_400_000_000)) - 10 * 86_400_000_000))
        }
        bounds.append(Timestamp(microseconds: first))
        for from in bounds {
            for to in bounds.shuffled(using: &generator).prefix(12) {
                let period = ReportPeriod(from: from, to: to)
                let expected = Totals(leads, period)
                let funnel = world.projections.funnel(period)
                #expect(funnel.created == expected.created)
                #expect(funnel.converted == expected.converted)
                for row in world.projections.perSource(period) {
                    #expect(row.count == expected.sources[row.source] ?? 0)
                    #expect(row.converted == expected.sourcesConverted[row.source] ?? 0)
                }
                for row in world.projections.perManager(period) {
                    #expect(row.created == expected.createdBy[row.admin] ?? 0)
                }
            }
        }
    }
}
