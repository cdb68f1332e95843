import EventLog
import Foundation
import Testing

@Suite("Appending to one stream", .timeLimit(.minutes(1)))
struct AppendTests {
    @Test("a first append gets positions and versions from 1")
    func firstAppend() async throws {
        try await withLog { log, _ in
            #expect(log.head == 0)
            let result = try await log.append([makeEvent(), makeEvent()], to: "lead-1", expectedVersion: .noStream)
            #expect(result == AppendResult(
                streamId: "lead-1", firstPosition: 1, lastPosition: 2, streamVersion: 2, alreadyStored: false))
            #expect(log.head == 2)
            #expect(try log.streamVersion("lead-1") == 2)
            #expect(try log.streamVersion("lead-2") == 0)
            let second = try await log.append([makeEvent()], to: "lead-2", expectedVersion: .any)
            #expect(second.firstPosition == 3 && second.streamVersion == 1)
        }
    }

    @Test("events read back exactly as appended")
    func roundTrip() async throws {
        try await withLog { log, _ in
            let correlation = UUID()
            let causation = UUID()
            let original = ProposedEvent(
                type: "LeadUpdated", schemaVersion: 3, recordedAt: -42,
                metadata: EventMetadata(actor: "system:import", correlationId: correlation, causationId: causation),
                payload: leadPayload(7))
            let plain = makeEvent(payload: "{}")
            try await log.append([original, plain], to: "lead-9", expectedVersion: .any)
            let events = try log.readStream("lead-9")
            #expect(events.count == 2)
            let event = try #require(events.first)
            #expect(event.id == original.id && event.type == "LeadUpdated" && event.schemaVersion == 3)
            #expect(event.recordedAt == -42 && event.metadata == original.metadata && event.payload == original.payload)
            #expect(event.streamId == "lead-9" && event.streamVersion == 1 && event.position == 1)
            #expect(events[1].payload == Array("{}".utf8) && events[1].metadata.causationId == nil)
            #expect(try log.read(after: 0, limit: 10) == events)
        }
    }

    @Test("noStream on an existing stream fails with the actual version and writes nothing")
    func noStreamConflict() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent(), makeEvent(), makeEvent()], to: "lead-1", expectedVersion: .noStream)
            let error = await #expect(throws: EventLogError.self) {
                try await log.append([makeEvent()], to: "lead-1", expectedVersion: .noStream)
            }
            #expect(error?.code == .wrongExpectedVersion)
            #expect(error?.actualVersion == 3)
            #expect(error?.streamId == "lead-1")
            #expect(log.head == 3)
            #expect(try log.streamVersion("lead-1") == 3)
        }
    }

    @Test("an exact version mismatch reports the actual version and writes nothing")
    func exactConflict() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent(), makeEvent()], to: "lead-1", expectedVersion: .noStream)
            for expected: UInt64 in [0, 1, 3] {
                let error = await #expect(throws: EventLogError.self) {
                    try await log.append([makeEvent()], to: "lead-1", expectedVersion: .exact(expected))
                }
                #expect(error?.code == .wrongExpectedVersion && error?.actualVersion == 2)
            }
            let error = await #expect(throws: EventLogError.self) {
                try await log.append([makeEvent()], to: "lead-404", expectedVersion: .exact(1))
            }
            #expect(error?.actualVersion == 0)
            #expect(log.head == 2)
            #expect(try log.read(after: 0, limit: 100).count == 2)
            let ok = try await log.append([makeEvent()], to: "lead-1", expectedVersion: .exact(2))
            #expect(ok.streamVersion == 3 && ok.firstPosition == 3)
        }
    }

    @Test("every validation rule rejects the append and writes nothing")
    func validation() async throws {
        try await withLog({ $0.maxPayloadBytes = 1_000; $0.maxBatchEvents = 5 }) { (log: EventLog, _: String) async throws in
            await expectCode(.emptyBatch) { try await log.append([], to: "lead-1", expectedVersion: .any) }
            await expectCode(.emptyBatch) { try await log.append([]) }
            for bad in ["", "Lead-1", "lead-", "lead 1", "lead-1/2", "1lead", "-1", "lead-" + String(repeating: "x", count: 201), "lead-ä"] {
                await expectCode(.invalidStreamId) { try await log.append([makeEvent()], to: bad, expectedVersion: .any) }
            }
            await expectCode(.payloadTooLarge) {
                try await log.append([makeEvent(payload: String(repeating: "a", count: 1_001))], to: "lead-1", expectedVersion: .any)
            }
            await expectCode(.batchTooLarge) {
                try await log.append((0..<6).map { _ in makeEvent() }, to: "lead-1", expectedVersion: .any)
            }
            let id = UUID()
            await expectCode(.duplicateEventIdInBatch) {
                try await log.append([makeEvent(id: id), makeEvent(id: id)], to: "lead-1", expectedVersion: .any)
            }
            await expectCode(.invalidEvent) { try await log.append([makeEvent("")], to: "lead-1", expectedVersion: .any) }
            await expectCode(.invalidEvent) { try await log.append([makeEvent(actor: "")], to: "lead-1", expectedVersion: .any) }
            #expect(log.head == 0)
            #expect(try log.read(after: 0, limit: 10).isEmpty)
            #expect(try log.stats().streams == 0)
            for good in ["settings", "lead-1", "customer-7f3A_b.c:d-e", "admin-" + String(repeating: "x", count: 200)] {
                #expect(EventLog.isValidStreamId(good), "\(good)")
            }
        }
    }

    @Test("re-sending a stored batch returns the original positions and stores nothing")
    func idempotentResend() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent()], to: "lead-0", expectedVersion: .any)
            let batch = [makeEvent(), makeEvent(), makeEvent()]
            let original = try await log.append(batch, to: "lead-1", expectedVersion: .noStream)
            try await log.append([makeEvent()], to: "lead-1", expectedVersion: .exact(3))
            let again = try await log.append(batch, to: "lead-1", expectedVersion: .noStream)
            #expect(again == AppendResult(
                streamId: "lead-1", firstPosition: original.firstPosition, lastPosition: original.lastPosition,
                streamVersion: original.streamVersion, alreadyStored: true))
            #expect(log.head == 5)
            #expect(try log.streamVersion("lead-1") == 4)
            let single = try await log.append([batch[1]], to: "lead-1", expectedVersion: .any)
            #expect(single.alreadyStored && single.firstPosition == 3 && single.streamVersion == 2)
            #expect(log.head == 5)
        }
    }

    @Test("a batch mixing stored and new event ids, or re-sent to another stream, is rejected")
    func partiallyStored() async throws {
        try await withLog { log, _ in
            let stored = makeEvent()
            try await log.append([stored], to: "lead-1", expectedVersion: .any)
            let mixed = await #expect(throws: EventLogError.self) {
                try await log.append([stored, makeEvent()], to: "lead-1", expectedVersion: .any)
            }
            #expect(mixed?.code == .partiallyStored)
            let elsewhere = await #expect(throws: EventLogError.self) {
                try await log.append([stored], to: "lead-2", expectedVersion: .any)
            }
            #expect(elsewhere?.code == .partiallyStored)
            #expect(log.head == 1)
        }
    }

    @Test("a multi-stream append is all or nothing when one stream's version check fails")
    func multiStreamAtomic() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent()], to: "lead-2", expectedVersion: .noStream)
            let error = await #expect(throws: EventLogError.self) {
                try await log.append([
                    StreamAppend(streamId: "lead-1", expectedVersion: .noStream, events: [makeEvent("LeadsMerged")]),
                    StreamAppend(streamId: "lead-2", expectedVersion: .exact(5), events: [makeEvent("LeadMergedInto")]),
                ])
            }
            #expect(error?.code == .wrongExpectedVersion && error?.streamId == "lead-2" && error?.actualVersion == 1)
            #expect(log.head == 1)
            #expect(try log.streamVersion("lead-1") == 0)
            let results = try await log.append([
                StreamAppend(streamId: "lead-1", expectedVersion: .noStream, events: [makeEvent("LeadsMerged")]),
                StreamAppend(streamId: "lead-2", expectedVersion: .exact(1), events: [makeEvent("LeadMergedInto")]),
                StreamAppend(streamId: "lead-3", expectedVersion: .any, events: [makeEvent(), makeEvent()]),
            ])
            #expect(results.map(\.firstPosition) == [2, 3, 4])
            #expect(results.map(\.streamVersion) == [1, 2, 2])
            #expect(log.head == 5)
        }
    }

    @Test("readStream honours fromVersion and throughPosition, and does not mix streams sharing a prefix")
    func readStreamRanges() async throws {
        try await withLog { log, _ in
            for round in 0..<5 {
                try await log.append([makeEvent()], to: "lead-1", expectedVersion: .exact(UInt64(round)))
                try await log.append([makeEvent()], to: "lead-12", expectedVersion: .any)
            }
            #expect(try log.readStream("lead-1").map(\.position) == [1, 3, 5, 7, 9])
            #expect(try log.readStream("lead-1", fromVersion: 3).map(\.streamVersion) == [3, 4, 5])
            #expect(try log.readStream("lead-1", throughPosition: 6).map(\.streamVersion) == [1, 2, 3])
            #expect(try log.readStream("lead-12").count == 5)
            #expect(try log.readStream("lead").isEmpty)
            #expect(try log.read(after: 7, limit: 2).map(\.position) == [8, 9])
            var seen: [UInt64] = []
            try log.forEach(after: 2, through: 6) { event in
                seen.append(event.position)
                return event.position < 5
            }
            #expect(seen == [3, 4, 5])
        }
    }

    @Test("appending after close fails with closed")
    func closedLog() async throws {
        try await withLog { log, _ in
            log.close()
            let error = await #expect(throws: EventLogError.self) {
                try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any)
            }
            #expect(error?.code == .closed)
            #expect(throws: EventLogError.self) { try log.read(after: 0, limit: 1) }
        }
    }
}

/// Expects `append` to throw an `EventLogError` with `code`.
func expectCode(
    _ code: EventLogError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ append: () async throws -> Void
) async {
    do {
        try await append()
        Issue.record("expected \(code), but the append succeeded", sourceLocation: sourceLocation)
    } catch let error as EventLogError {
        #expect(error.code == code, "expected \(code), got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
