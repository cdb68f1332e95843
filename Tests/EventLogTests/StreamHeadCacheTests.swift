@testable import EventLog
import Foundation
import Testing

/// The writer caches stream versions; these tests hold it to what LMDB says after failures and reopen.
@Suite("Writer stream-head cache", .timeLimit(.minutes(1)))
struct StreamHeadCacheTests {
    @Test("a multi-stream append that fails after writing one stream leaves that stream's version untouched")
    func failedNestedAppend() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent()], to: "lead-b", expectedVersion: .noStream)
            await #expect(throws: EventLogError.self) {
                try await log.append([
                    StreamAppend(streamId: "lead-a", expectedVersion: .any, events: [makeEvent(), makeEvent()]),
                    StreamAppend(streamId: "lead-b", expectedVersion: .exact(9), events: [makeEvent()]),
                ])
            }
            #expect(try log.streamVersion("lead-a") == 0)
            do {
                try await log.append([makeEvent()], to: "lead-a", expectedVersion: .exact(2))
                Issue.record("a version only the failed append wrote was accepted")
            } catch let error as EventLogError {
                #expect(error.code == .wrongExpectedVersion && error.actualVersion == 0)
            }
            let result = try await log.append([makeEvent()], to: "lead-a", expectedVersion: .noStream)
            #expect(result.streamVersion == 1 && result.firstPosition == 2)
            #expect(try log.readStream("lead-a").map(\.streamVersion) == [1])
            #expect(try log.verify().isIntact)
        }
    }

    @Test("failing and succeeding appends to one stream in the same groups keep its versions gapless")
    func failuresInsideGroups() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent()], to: "lead-y", expectedVersion: .noStream)
            for _ in 0..<10 {
                await withTaskGroup(of: Void.self) { group in
                    for task in 0..<32 {
                        group.addTask {
                            if task % 2 == 0 {
                                // Writes lead-x, then fails on lead-y: rolled back as a whole.
                                _ = try? await log.append([
                                    StreamAppend(streamId: "lead-x", expectedVersion: .any, events: [makeEvent()]),
                                    StreamAppend(streamId: "lead-y", expectedVersion: .noStream, events: [makeEvent()]),
                                ])
                            } else {
                                _ = try? await log.append([makeEvent()], to: "lead-x", expectedVersion: .any)
                            }
                        }
                    }
                }
            }
            let versions = try log.readStream("lead-x").map(\.streamVersion)
            #expect(versions == Array(1...160))
            #expect(try log.streamVersion("lead-x") == 160)
            #expect(try log.streamVersion("lead-y") == 1)
            let next = try await log.append([makeEvent()], to: "lead-x", expectedVersion: .exact(160))
            #expect(next.streamVersion == 161)
        }
    }

    @Test("streamIds(withPrefix:) lists the streams with events under a prefix, in byte order")
    func streamIdsByPrefix() async throws {
        try await withLog { log, _ in
            for stream in ["admin-b", "lead-x", "admin-a", "adminx", "settings"] {
                try await log.append([makeEvent()], to: stream, expectedVersion: .noStream)
            }
            try await log.append([makeEvent()], to: "admin-a", expectedVersion: .exact(1))
            #expect(try log.streamIds(withPrefix: "admin-") == ["admin-a", "admin-b"])
            #expect(try log.streamIds(withPrefix: "admin") == ["admin-a", "admin-b", "adminx"])
            #expect(try log.streamIds(withPrefix: "") == ["admin-a", "admin-b", "adminx", "lead-x", "settings"])
            #expect(try log.streamIds(withPrefix: "customer-").isEmpty)
            #expect(try log.streamIds(withPrefix: "z").isEmpty)
        }
    }

    @Test("after reopening, versions come from the log (expected-version checks hold)")
    func reopen() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let log = try EventLog(directory: directory)
                try await log.append([makeEvent(), makeEvent(), makeEvent()], to: "lead-r", expectedVersion: .noStream)
                log.close()
            }
            let log = try EventLog(directory: directory)
            defer { log.close() }
            await #expect(throws: EventLogError.self) {
                try await log.append([makeEvent()], to: "lead-r", expectedVersion: .noStream)
            }
            let result = try await log.append([makeEvent()], to: "lead-r", expectedVersion: .exact(3))
            #expect(result.streamVersion == 4 && result.lastPosition == 4)
        }
    }

    @Test("a re-sent batch is answered with its original result even when its expected version is stale")
    func resendAfterCache() async throws {
        try await withLog { log, _ in
            let events = [makeEvent(), makeEvent()]
            let first = try await log.append(events, to: "lead-s", expectedVersion: .noStream)
            try await log.append([makeEvent()], to: "lead-s", expectedVersion: .exact(2))
            let again = try await log.append(events, to: "lead-s", expectedVersion: .noStream)
            #expect(again.alreadyStored && again.firstPosition == first.firstPosition && again.streamVersion == 2)
            #expect(log.head == 3)
        }
    }
}

/// Groups run without nested transactions; a failing write makes the writer redo the group with them.
@Suite("Group commit without nested transactions", .timeLimit(.minutes(1)))
struct FlatGroupTests {
    @Test("a write that fails inside a group fails only its append; the others commit, versions stay gapless")
    func failingWriteIsolated() async throws {
        try await withTemporaryDirectory { directory in
            var options = EventLog.Options()
            options.failWritesToStream = "lead-poisoned"
            let log = try EventLog(directory: directory, options: options)
            defer { log.close() }
            var failures = 0
            for _ in 0..<10 {
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for task in 0..<32 {
                        group.addTask {
                            do {
                                if task == 5 {
                                    try await log.append([
                                        StreamAppend(streamId: "lead-shared", expectedVersion: .any, events: [makeEvent()]),
                                        StreamAppend(streamId: "lead-poisoned", expectedVersion: .any, events: [makeEvent()]),
                                    ])
                                } else {
                                    try await log.append([makeEvent()], to: "lead-shared", expectedVersion: .any)
                                }
                                return true
                            } catch {
                                return false
                            }
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                failures += outcomes.filter { !$0 }.count
            }
            #expect(failures == 10)
            #expect(log.head == 310)
            #expect(try log.streamVersion("lead-poisoned") == 0)
            #expect(try log.readStream("lead-shared").map(\.streamVersion) == Array(1...310))
            #expect(try log.verify().isIntact)
        }
    }
}
