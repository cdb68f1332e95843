import Foundation
import LeadDomain
import LeadLedgerCore
import Testing

@Suite("Reports add up")
struct ReportsTests {
    let manager = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!
    let other = UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!

    /// Ten leads walked through the pipeline at different depths, from two sources, for two managers.
    func pipelineWorld() throws -> (ProjectionWorld, [UUID]) {
        var w = ProjectionWorld()
        let steps = ["new", "contacted", "qualified", "proposal", "won"]
        var ids: [UUID] = []
        for i in 0..<10 {
            let id = try w.create(
                "Lead \(i)", source: i % 2 == 0 ? "website" : "phone", responsible: i < 6 ? manager : other,
                competitor: i % 3 == 0 ? "Telia" : nil, assessment: i % 3 == 0 ? String(i % 5 + 1) : nil, by: manager)
            ids.append(id)
            let depth = i % 5  // lead i reaches steps[0...depth]
            for step in steps.dropFirst().prefix(depth) {
                w.advance(seconds: 3_600)
                try w.run(id, .markStep(step))
            }
        }
        return (w, ids)
    }

    @Test("funnel: a lead reached every step it was created on or marked on; rates between consecutive steps")
    func funnel() throws {
        var (w, ids) = try pipelineWorld()
        var report = w.projections.funnel()
        #expect(report.steps.map(\.reached) == [10, 8, 6, 4, 2])
        #expect(report.created == 10)
        #expect(report.steps[1].conversionFromPrevious == 0.8)
        #expect(report.steps[0].conversionFromPrevious == nil)
        // A lead jumping back keeps the steps it reached; a deleted lead leaves the report, a restored one returns.
        try w.run(ids[4], .markStep("new"))
        #expect(w.projections.funnel().steps.map(\.reached) == [10, 8, 6, 4, 2])
        try w.run(ids[4], .delete(reason: nil))
        report = w.projections.funnel()
        #expect(report.steps.map(\.reached) == [9, 7, 5, 3, 1])
        #expect(report.created == w.list(LeadQuery(filter: LeadFilter(states: LeadStatus.live), includeTotal: true)).total)
        try w.run(ids[4], .restore())
        #expect(w.projections.funnel().steps.map(\.reached) == [10, 8, 6, 4, 2])
    }

    @Test("funnel and sources for a period count leads by their UTC creation day")
    func period() throws {
        var w = ProjectionWorld()
        _ = try w.create("Yesterday", source: "website")
        w.advance(seconds: 86_400)
        let dayStart = Timestamp(microseconds: 1_763_942_400_000_000)  // 2025-11-24 00:00 UTC
        _ = try w.create("Today", source: "phone")
        _ = try w.create("Today too", source: "phone")
        let today = ReportPeriod(from: dayStart, to: dayStart.adding(seconds: 86_400))
        #expect(w.projections.funnel(today).created == 2)
        #expect(w.projections.funnel(ReportPeriod(to: dayStart)).created == 1)
        #expect(w.projections.perSource(today).map(\.source) == ["phone"])
    }

    @Test("a period's counts equal counting the leads created on its days, across span boundaries")
    func periodsAcrossSpans() throws {
        var w = ProjectionWorld()
        var created: [(day: Int64, source: String)] = []
        for i in 0..<90 {
            w.advance(seconds: Int64(i % 7) * 86_400 + 3_600)
            let source = i % 3 == 0 ? "phone" : "website"
            _ = try w.create("Lead \(i)", source: source)
            created.append((w.now.rawValue / 86_400_000_000, source))
        }
        let first = created.first!.day
        let last = created.last!.day
        var random = SplitMix64(seed: 11)
        for _ in 0..<60 {
            let a = first - 40 + Int64(random.below(Int(last - first) + 80))
            let b = a + Int64(random.below(120))
            let from = random.below(6) == 0 ? nil : Timestamp(microseconds: a * 86_400_000_000 + Int64(random.below(3)) * 3_600_000_000)
            let to = random.below(6) == 0 ? nil : Timestamp(microseconds: b * 86_400_000_000)
            let period = ReportPeriod(from: from, to: to)
            let fromDay = from.map { $0.rawValue / 86_400_000_000 }
            let toDay = to.map { ($0.rawValue + 86_400_000_000 - 1) / 86_400_000_000 }
            let inside = created.filter { lead in
                (fromDay.map { lead.day >= $0 } ?? true) && (toDay.map { lead.day < $0 } ?? true)
            }
            #expect(w.projections.funnel(period).created == inside.count, "\(period)")
            let phone = w.projections.perSource(period).first { $0.source == "phone" }?.count ?? 0
            #expect(phone == inside.filter { $0.source == "phone" }.count, "\(period)")
        }
    }

    @Test("per source: counts sum to the total, conversion rate is converted / count")
    func perSource() throws {
        var (w, ids) = try pipelineWorld()
        try w.run(ids[4], .convert(customerId: w.newID()))  // "won", website
        let rows = w.projections.perSource()
        #expect(rows.map(\.count).reduce(0, +) == 10)
        let website = try #require(rows.first { $0.source == "website" })
        #expect(website.count == 5 && website.converted == 1 && website.conversionRate == 0.2)
        #expect(website.name == "Website")
    }

    @Test("per manager: responsible, created, converted, actions completed, median time to convert")
    func perManager() throws {
        var (w, ids) = try pipelineWorld()
        // ids[4] and ids[9] are on "won": 4 and 4 hours after creation plus the steps of others in between.
        w.advance(seconds: 7_200)
        try w.run(ids[4], .convert(customerId: w.newID()))
        let action = w.newID()
        try w.run(ids[0], .addEntry(EntryInput(entryId: action, text: "call", actionType: "call")), by: other)
        try w.run(ids[0], .completeAction(action), by: other)
        let rows = w.projections.perManager()
        let mine = try #require(rows.first { $0.admin == manager })
        let theirs = try #require(rows.first { $0.admin == other })
        #expect(mine.responsible == 6 && theirs.responsible == 4)
        #expect(mine.created == 10 && theirs.created == 0)
        #expect(mine.converted == 1 && theirs.converted == 0)
        #expect(theirs.actionsCompleted == 1)
        let lead = try #require(w.projections.lead(ids[4]))
        #expect(mine.medianTimeToConvert == w.now.rawValue - lead.createdAt.rawValue)
        #expect(theirs.medianTimeToConvert == nil)
        #expect(rows.map(\.responsible).reduce(0, +) == 10)
    }

    @Test("time in step: stays end at the next step change; mean and lower median per step")
    func timeInStep() throws {
        var w = ProjectionWorld()
        let a = try w.create("A")
        let b = try w.create("B")
        w.advance(seconds: 100)
        try w.run(a, .markStep("contacted"))
        w.advance(seconds: 200)
        try w.run(b, .markStep("contacted"))
        w.advance(seconds: 1_000)
        try w.run(a, .markStep("new"))
        let rows = w.projections.timeInStep()
        let new = try #require(rows.first { $0.step == "new" })
        let contacted = try #require(rows.first { $0.step == "contacted" })
        #expect(new.count == 2)
        #expect(new.mean == Int64(200_000_000))  // (100 + 300) / 2 s
        #expect(new.median == Int64(100_000_000))
        #expect(contacted.count == 1 && contacted.median == 1_200 * 1_000_000)
        #expect(rows.first { $0.step == "won" }?.count == 0)
    }

    @Test("medians over many stays and conversions are the lower medians of the sorted durations")
    func mediansOfMany() throws {
        var w = ProjectionWorld()
        let n = 61
        var ids: [UUID] = []
        var created: [Int64] = []
        for i in 0..<n {
            w.advance(seconds: Int64((i * 37) % 11 + 1))
            ids.append(try w.create("Lead \(i)", responsible: manager))
            created.append(w.now.rawValue)
        }
        // Marked and converted in two other orders, some at the same instant, so durations repeat and interleave.
        var stays: [Int64] = []
        for k in 0..<n {
            let i = (k * 17) % n
            if k % 3 != 0 { w.advance(seconds: Int64((k * 53) % 29)) }
            try w.run(ids[i], .markStep("won"))
            stays.append(w.now.rawValue - created[i])
        }
        var toConvert: [Int64] = []
        for k in 0..<n where k % 4 != 1 {
            let i = (k * 23) % n
            w.advance(seconds: Int64((k * 31) % 7))
            try w.run(ids[i], .convert(customerId: w.newID()))
            toConvert.append(w.now.rawValue - created[i])
        }
        let newStep = try #require(w.projections.timeInStep().first { $0.step == "new" })
        #expect(newStep.count == n)
        #expect(newStep.median == stays.sorted()[(n - 1) / 2])
        #expect(newStep.mean == stays.reduce(0, +) / Int64(n))
        let mine = try #require(w.projections.perManager().first { $0.admin == manager })
        #expect(mine.converted == toConvert.count)
        #expect(mine.medianTimeToConvert == toConvert.sorted()[(toConvert.count - 1) / 2])
    }

    @Test("paused leads and competitor assessments")
    func pausedAndCompetitors() throws {
        var (w, ids) = try pipelineWorld()
        try w.run(ids[1], .pause(until: w.now.adding(seconds: 60)))
        try w.run(ids[2], .pause(until: w.now.adding(seconds: 30)))
        let paused = w.projections.pausedLeads(now: w.now)
        #expect(paused.count == 2)
        #expect(paused.leads.map(\.leadId) == [ids[2], ids[1]])
        #expect(w.projections.pausedLeads(now: w.now.adding(seconds: 45)).count == 1)
        let competitors = w.projections.competitors()
        #expect(competitors.map(\.competitor) == ["Telia"])
        #expect(competitors[0].total == 4)  // leads 0, 3, 6, 9
        #expect(competitors[0].assessments.map(\.assessment) == ["1", "2", "4", "5"])
        try w.run(ids[0], .update(LeadPatch(competitor: "")))
        #expect(w.projections.competitors()[0].total == 3)
    }
}
