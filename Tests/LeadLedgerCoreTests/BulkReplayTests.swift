import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

/// Full replays go through `ProjectionsBuilder` (indexes built once at the end) and decode on a second thread;
/// both must give exactly what applying event by event gives.
@Suite("Bulk replay")
struct BulkReplayTests {
    /// A generated log (merges, deletes, restores, conversions, settings) of `leads` leads in a fresh directory.
    static func generatedLog(_ directory: String, leads: Int) async throws -> EventLog {
        let log = try EventLog(directory: directory + "/log")
        _ = try await LogGenerator(leads: leads, seed: 7).run(log: log)
        return log
    }

    static func incremental(_ log: EventLog, through limit: UInt64? = nil) throws -> Projections {
        var projections = Projections()
        try log.forEach(through: limit) { recorded in
            projections.apply(try AppliedEvent(recorded: recorded))
            return true
        }
        return projections
    }

    @Test("the builder equals event-by-event application on a generated log, to the snapshot byte")
    func builderEqualsIncremental() async throws {
        let data = TemporaryDirectory()
        let log = try await Self.generatedLog(data.path, leads: 400)
        defer { log.close() }
        let expected = try Self.incremental(log)
        var builder = ProjectionsBuilder()
        try log.forEach { recorded in
            builder.apply(try AppliedEvent(recorded: recorded))
            return true
        }
        let built = builder.build()
        #expect(built.position == log.head)
        #expect(built.directory.count == 400)
        #expect(built == expected)
        #expect(built.directory.orderedEntriesAreCurrent)
        #expect(expected.directory.orderedEntriesAreCurrent)
        #expect(try built.encodeCanonical() == expected.encodeCanonical())
        #expect(built.goldenJSON() == expected.goldenJSON())
        // The bulk token pass emits each lead's text tokens once each: the same set the incremental path indexes.
        for lead in built.directory.sortedLeads {
            var emitted: [String] = []
            LeadSearch.forEachTextToken(of: lead, nameKey: LeadSearch.nameKey(of: lead)) { emitted.append($0) }
            #expect(emitted.count == Set(emitted).count)
            #expect(Set(emitted) == LeadSearch.textTokens(of: lead))
            var reference = Set(LeadSearchTests.referenceWords(LeadSearch.nameKey(of: lead)))
            if let company = lead.company { reference.formUnion(LeadSearchTests.referenceWords(SearchText.fold(company))) }
            for email in lead.emails {
                let folded = SearchText.fold(EmailAddress.normalize(email))
                if !folded.isEmpty { reference.insert(folded) }
                reference.formUnion(LeadSearchTests.referenceWords(folded))
            }
            #expect(Set(emitted) == reference)
        }
        // The built value keeps working as a live one.
        var live = built
        var reference = expected
        let next = AppliedEvent(
            position: log.head + 1, streamId: StreamID.settings, streamVersion: 99, recordedAt: expected.lastRecordedAt,
            actor: "admin-x", event: .stepRetired(StepRetired(key: "qualified", at: Timestamp(rawValue: expected.lastRecordedAt), by: testAdmin)))
        live.apply(next)
        reference.apply(next)
        #expect(live == reference)
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

    @Test("Replayer.projections (bulk, pipelined) equals catching up event by event, also as of a position")
    func replayerAgrees() async throws {
        let data = TemporaryDirectory()
        let log = try await Self.generatedLog(data.path, leads: 1_600)
        defer { log.close() }
        #expect(log.head > Replayer.pipelineThreshold)
        let bulk = try Replayer.projections(log: log)
        #expect(try bulk.encodeCanonical() == Self.incremental(log).encodeCanonical())
        var caughtUp = Projections()
        try Replayer.catchUp(&caughtUp, log: log)
        #expect(caughtUp == bulk)
        #expect(caughtUp.directory.orderedEntriesAreCurrent)
        let half = try Replayer.projections(log: log, asOf: .position(log.head / 2))
        #expect(half.position == log.head / 2)
        #expect(half == (try Self.incremental(log, through: log.head / 2)))
    }
}
