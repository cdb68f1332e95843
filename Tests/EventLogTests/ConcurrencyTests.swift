import EventLog
import Foundation
import Testing

@Suite("One writer with group commit", .timeLimit(.minutes(1)))
struct ConcurrencyTests {
    @Test("64 tasks × 50 appends get gapless positions, correct stream versions, and commits are grouped")
    func concurrentAppends() async throws {
        try await withLog { log, _ in
            let tasks = 64
            let appendsPerTask = 50
            let results = try await withThrowingTaskGroup(of: [AppendResult].self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        var results: [AppendResult] = []
                        var version: UInt64 = 0
                        for round in 0..<appendsPerTask {
                            // Half the tasks share streams to exercise .any; the others own one stream each.
                            let stream = task % 2 == 0 ? "lead-shared\(task % 8)" : "lead-own\(task)"
                            let expected: ExpectedVersion = task % 2 == 0 ? .any : .exact(version)
                            let events = (0..<(1 + round % 2)).map { _ in makeEvent(payload: String(decoding: leadPayload(round), as: UTF8.self)) }
                            let result = try await log.append(events, to: stream, expectedVersion: expected)
                            version = result.streamVersion
                            results.append(result)
                        }
                        return results
                    }
                }
                var all: [AppendResult] = []
                for try await results in group { all += results }
                return all
            }
            #expect(results.count == tasks * appendsPerTask)
            let total = results.reduce(0) { $0 + Int($1.lastPosition - $1.firstPosition + 1) }
            #expect(log.head == UInt64(total))
            // Every position from 1 to head is covered exactly once by the acknowledged ranges.
            let positions = results.flatMap { Array($0.firstPosition...$0.lastPosition) }.sorted()
            #expect(positions == Array(1...UInt64(total)))
            var read: [UInt64] = []
            try log.forEach { event in
                read.append(event.position)
                return true
            }
            #expect(read == Array(1...UInt64(total)))
            // Per-stream versions are gapless from 1 and match the stream heads.
            for stream in Set(results.map(\.streamId)) {
                let events = try log.readStream(stream)
                #expect(events.map(\.streamVersion) == Array(1...UInt64(events.count)))
                #expect(try log.streamVersion(stream) == UInt64(events.count))
            }
            let stats = try log.stats()
            #expect(stats.appends == UInt64(tasks * appendsPerTask))
            #expect(stats.commits < stats.appends, "commits \(stats.commits) should be fewer than appends")
            #expect(try log.verify().isIntact)
        }
    }

    @Test("a failing append in a concurrent group does not fail the others")
    func failingAppendIsolated() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent()], to: "lead-target", expectedVersion: .noStream)
            for _ in 0..<20 {
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for task in 0..<32 {
                        group.addTask {
                            do {
                                if task == 7 {
                                    // Always wrong: the stream exists.
                                    try await log.append([makeEvent()], to: "lead-target", expectedVersion: .noStream)
                                } else {
                                    try await log.append([makeEvent()], to: "lead-ok\(task)", expectedVersion: .any)
                                }
                                return true
                            } catch {
                                return false
                            }
                        }
                    }
                    var outcomes: [Bool] = []
                    for await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                #expect(outcomes.filter { !$0 }.count == 1)
            }
            #expect(log.head == 1 + 20 * 31)
            #expect(try log.streamVersion("lead-target") == 1)
            #expect(try log.verify().isIntact)
        }
    }

    @Test("commit observers see each new head before the appending caller is answered")
    func commitObserver() async throws {
        try await withLog { log, _ in
            let seen = LockedHeads()
            let token = log.onCommit { head in seen.append(head) }
            let result = try await log.append([makeEvent(), makeEvent()], to: "lead-1", expectedVersion: .any)
            #expect(seen.values.last == result.lastPosition)
            try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any)
            log.removeCommitObserver(token)
            try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any)
            #expect(seen.values == [2, 3])
            try await log.waitForCommit(through: 4)
        }
    }
}

final class LockedHeads: @unchecked Sendable {
    private let lock = NSLock()
    private var heads: [UInt64] = []
    func append(_ head: UInt64) { lock.withLock { heads.append(head) } }
    var values: [UInt64] { lock.withLock { heads } }
}
