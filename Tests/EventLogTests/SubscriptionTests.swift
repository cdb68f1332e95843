import EventLog
import Foundation
import Testing

@Suite("Subscriptions", .timeLimit(.minutes(1)))
struct SubscriptionTests {
    @Test("a subscription catches up then goes live with appends racing the switch: positions exactly 1...N")
    func catchUpThenLive() async throws {
        try await withLog { log, _ in
            let perWriter = 150
            let total = 500 + 8 * perWriter
            for index in 0..<500 {
                try await log.append([makeEvent()], to: "lead-\(index % 10)", expectedVersion: .any)
            }
            let writers = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            for _ in 0..<perWriter {
                                try await log.append([makeEvent()], to: "lead-w\(writer)", expectedVersion: .any)
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            var positions: [UInt64] = []
            for try await event in log.subscribe(after: 0) {
                positions.append(event.position)
                if positions.count == total { break }
            }
            try await writers.value
            #expect(positions == Array(1...UInt64(total)))
        }
    }

    @Test("a subscription from the middle starts after the given position and ends when cancelled")
    func fromMiddleAndCancel() async throws {
        try await withLog { log, _ in
            for _ in 0..<10 { try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any) }
            let consumer = Task {
                var positions: [UInt64] = []
                for try await event in log.subscribe(after: 7) { positions.append(event.position) }
                return positions
            }
            try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any)
            try await Task.sleep(for: .milliseconds(100))
            consumer.cancel()
            let positions = try await consumer.value
            #expect(positions == [8, 9, 10, 11])
        }
    }

    @Test("a subscription ends when the log closes")
    func endsOnClose() async throws {
        try await withLog { log, _ in
            try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any)
            let consumer = Task {
                var count = 0
                for try await _ in log.subscribe(after: 0) { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(50))
            log.close()
            #expect(try await consumer.value == 1)
        }
    }
}
