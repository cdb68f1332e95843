import Foundation
import LeadDomain
import Testing

@testable import LeadLedgerCore

/// Reports over a period add up 32-day blocks and the days at the period's ends; that must equal adding up every
/// day bucket the period contains, for any bounds.
@Suite("Report periods")
struct ReportPeriodTests {
    struct Totals: Equatable {
        var created = 0
        var converted = 0
        var reached: [String: Int] = [:]
        var sources: [String: Int] = [:]
        var sourcesConverted: [String: Int] = [:]
        var createdBy: [UUID: Int] = [:]

        mutating func add(_ bucket: LeadReports.DayBucket) {
            created += bucket.created
            converted += bucket.converted
            for (step, n) in bucket.reached { reached[step, default: 0] += n }
            for (source, count) in bucket.sources {
                sources[source, default: 0] += count.count
                sourcesConverted[source, default: 0] += count.converted
            }
            for (admin, n) in bucket.createdBy { createdBy[admin, default: 0] += n }
        }
    }

    @Test("any period's blocks and edge days add up to its day buckets, and the reports show them")
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
        let reports = world.projections.reports
        let first = world.projections.directory.sortedLeads.map(\.createdAt.rawValue).min()!
        #expect(reports.days.count > 100)
        #expect(reports.blocks.count > 10)

        var bounds: [Timestamp?] = [nil]
        for _ in 0..<60 {
            bounds.append(Timestamp(microseconds: first + Int64(generator.next() % (800 * 86_400_000_000)) - 10 * 86_400_000_000))
        }
        bounds.append(Timestamp(microseconds: first))
        for from in bounds {
            for to in bounds.shuffled(using: &generator).prefix(12) {
                let period = ReportPeriod(from: from, to: to)
                var expected = Totals()
                for (day, bucket) in reports.days where period.contains(day: day) { expected.add(bucket) }
                var summed = Totals()
                reports.forEachBucket(period) { summed.add($0) }
                #expect(summed == expected, "from \(String(describing: from)) to \(String(describing: to))")
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
