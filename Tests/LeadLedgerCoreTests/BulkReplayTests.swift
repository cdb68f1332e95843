import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

/// Replays decode on a second thread and apply in transactions of many events; the store must hold exactly what
/// applying event by event gives.
@Suite("Replay into the projection store")
struct BulkReplayTests {
    /// A generated log (merges, deletes, restores, conversions, settings) of `leads` leads in a fresh directory.
    static func generatedLog(_ directory: String, leads: Int) async throws -> EventLog {
        let log = try EventLog(directory: directory + "/log")
        _ = try await LogGenerator(leads: leads, seed: 7).run(log: log)
        return log
    }

    @Test("a store applied event by event equals one applied in large batches, entry for entry")
    func batchesAgree() async throws {
        let data = TemporaryDirectory()
        let log = try await Self.generatedLog(data.path, leads: 400)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            let oneByOne = try WorldProjections.replaying(log, batch: 1)
            let batched = try WorldProjections.replaying(log, batch: 4_096)
            checks.expect(batched.position == log.head)
            checks.expect(batched.read { try $0.leadCount() } == 400)
            checks.expect(batched.difference(from: oneByOne) == nil)
            checks.expect(batched.goldenJSON() == oneByOne.goldenJSON())
            // The bulk path (fold in memory, sorted appends) writes the same entries.
            let bulk = WorldProjections()
            checks.expect(try bulk.store.database.bulkBuild(log: log) == log.head)
            checks.expect(bulk.difference(from: oneByOne) == nil, "\(bulk.difference(from: oneByOne) ?? "")")
            checks.expect(bulk.goldenJSON() == oneByOne.goldenJSON())
            // Each lead's text tokens are emitted once each: the set the search index holds.
            for lead in batched.allLeads {
                var emitted: [String] = []
                LeadSearch.forEachTextToken(of: lead, nameKey: LeadSearch.nameKey(of: lead)) { emitted.append($0) }
                checks.expect(emitted.count == Set(emitted).count)
                checks.expect(Set(emitted) == LeadSearch.textTokens(of: lead))
                var reference = Set(LeadSearchTests.referenceWords(LeadSearch.nameKey(of: lead)))
                if let company = lead.company { reference.formUnion(LeadSearchTests.referenceWords(SearchText.fold(company))) }
                for email in lead.emails {
                    let folded = SearchText.fold(EmailAddress.normalize(email))
                    if !folded.isEmpty { reference.insert(folded) }
                    reference.formUnion(LeadSearchTests.referenceWords(folded))
                }
                checks.expect(Set(emitted) == reference)
            }
            // Both go on alike: a settings change that re-ranks the pipeline, and an event replayed twice.
            let now = Timestamp(rawValue: batched.lastRecordedAt)
            let next = AppliedEvent(
                position: log.head + 1, streamId: StreamID.settings, streamVersion: 99, recordedAt: now.rawValue,
                actor: "admin-x", event: .stepRetired(StepRetired(key: "qualified", at: now, by: testAdmin)))
            batched.apply([next])
            oneByOne.apply([next, next])
            checks.expect(batched.difference(from: oneByOne) == nil)
            checks.expect(batched.position == log.head + 1)
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }

    @Test("replaying on two threads delivers every event once, in order, up to a position or a time")
    func pipelinedReplay() async throws {
        let data = TemporaryDirectory()
        let log = try await Self.generatedLog(data.path, leads: 300)
        defer { log.close() }
        var positions: [UInt64] = []
        var progressed: [UInt64] = []
        try Replayer.forEachDecoded(
            after: 10, log: log, progressEvery: 500, progress: { progressed.append($0.applied) }, pipelineThreshold: 0
        ) { positions.append($0.position) }
        #expect(positions == Array(11...log.head))
        #expect(progressed.first == 500)
        #expect(progressed.last == log.head - 10)

        let limit = log.head / 2
        var throughPosition: [UInt64] = []
        try Replayer.forEachDecoded(after: 0, log: log, through: .position(limit), pipelineThreshold: 0) {
            throughPosition.append($0.position)
        }
        #expect(throughPosition == Array(1...limit))

        var recordedAt: [UInt64: Int64] = [:]
        try log.forEach { recorded in
            recordedAt[recorded.position] = recorded.recordedAt
            return true
        }
        let cut = try #require(recordedAt[limit])
        var throughTime: [UInt64] = []
        try Replayer.forEachDecoded(after: 0, log: log, through: .time(Timestamp(rawValue: cut)), pipelineThreshold: 0) {
            throughTime.append($0.position)
        }
        let expected = (1...log.head).prefix { recordedAt[$0]! <= cut }
        #expect(throughTime == Array(expected))
        #expect(throughTime.count >= Int(limit))
    }

    @Test("a log longer than the bulk budget is folded in bulk up to it and applied in batches after: the same store")
    func bulkBudget() async throws {
        let data = TemporaryDirectory()
        let log = try await Self.generatedLog(data.path, leads: 1_600)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            let full = TemporaryDirectory()
            let reference = try ProjectionDatabase(directory: full.path, durability: .discardable)
            defer { reference.close() }
            try reference.catchUp(log: log, bulkThreshold: 1_000)
            for budget in [log.head / 3, 0] {
                let part = TemporaryDirectory()
                let store = try ProjectionDatabase(directory: part.path, durability: .discardable)
                defer { store.close() }
                try store.catchUp(log: log, bulkThreshold: 1_000, bulkEvents: budget)
                checks.expect(try store.position() == log.head)
                checks.expect(try store.firstDifference(from: reference) == nil)
            }
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }

    @Test("catching a store up through a position equals replaying the log to that position")
    func catchUpThroughPosition() async throws {
        let data = TemporaryDirectory()
        let log = try await Self.generatedLog(data.path, leads: 1_600)
        defer { log.close() }
        let checks = Checks()
        try await onOwnThread {
            checks.expect(log.head > Replayer.pipelineThreshold)
            let half = TemporaryDirectory()
            let store = try ProjectionDatabase(directory: half.path, durability: .discardable)
            defer { store.close() }
            try store.catchUp(log: log, through: .position(log.head / 2), batchSize: 1_000)
            checks.expect(try store.position() == log.head / 2)
            let reference = WorldProjections()
            var events: [AppliedEvent] = []
            try log.forEach(through: log.head / 2) { recorded in
                events.append(try AppliedEvent(recorded: recorded))
                return true
            }
            reference.apply(events)
            _ = reference.position
            checks.expect(try store.firstDifference(from: reference.store.database) == nil)
            withExtendedLifetime(reference) {}
            // The rest of the log, caught up later, gives what one replay of everything gives.
            try store.catchUp(log: log)
            let full = try WorldProjections.replaying(log)
            checks.expect(try store.firstDifference(from: full.store.database) == nil)
            withExtendedLifetime(full) {}
        }
        #expect(checks.failures.isEmpty, "\(checks.report)")
        #expect(checks.count > 0)
    }
}
