import EventLog
import Foundation
import LeadDomain
@testable import LeadLedgerCore

/// A fresh data directory per test, removed afterwards.
struct TemporaryDirectory: ~Copyable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("leadledger-core-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// 2026-11-01T09:00:00Z
let fixtureStart = Timestamp(microseconds: 1_793_523_600_000_000)

/// A deterministic UUID: `00000000-0000-4000-8000-<n as 12 hex digits>`.
func fixedUUID(_ n: Int) -> UUID {
    UUID(uuidString: "00000000-0000-4000-8000-" + String(format: "%012x", n))!
}

let testAdmin = fixedUUID(0xA0)

func openLedger(_ directory: String, clock: SteppingClock? = nil) async throws -> Ledger {
    let configuration = LedgerConfiguration(
        dataDirectory: directory, clock: clock ?? SteppingClock(start: fixtureStart, step: 1_000_000))
    return try await Ledger.open(configuration)
}

/// Creates a lead and returns its id.
@discardableResult
func createLead(
    _ ledger: Ledger, _ n: Int, name: String = "Ольга Смирнова", phones: [String] = ["+7 912 345-67-89"],
    emails: [String] = []
) async throws -> UUID {
    let id = fixedUUID(n)
    try await ledger.execute(
        .lead(id, .create(leadId: id, LeadInput(fullName: name, phones: phones, emails: emails))), actor: testAdmin)
    return id
}

/// Builds the projection store of the log at `<directory>/log` twice, event by event and in bulk, and hands each
/// to `body` with whether it was built in bulk: what a rebuild must answer as the served store did.
func forEachRebuiltStore(_ directory: String, _ body: (ProjectionDatabase, _ bulk: Bool) throws -> Void) throws {
    let log = try EventLog(directory: directory + "/log")
    defer { log.close() }
    for bulk in [false, true] {
        let path = TemporaryDirectory()
        let store = try ProjectionDatabase(directory: path.path, durability: .discardable)
        defer { store.close() }
        try store.catchUp(log: log, bulkThreshold: bulk ? 1 : .max)
        try body(store, bulk)
    }
}

/// Runs a long synchronous body on a thread of its own, so a test replaying thousands of events does not hold
/// one of the few threads of the cooperative pool that every other test's tasks share.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Deterministic generator so a failure reproduces.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Expectations checked on a thread of `onOwnThread` (outside the test's task, where `#expect` cannot record):
/// collected here and asserted by the test afterwards with `#expect(checks.failures.isEmpty, …)`.
final class Checks: @unchecked Sendable {
    // @unchecked: written by the one thread running the body, read after it finished.
    private(set) var failures: [String] = []
    private(set) var count = 0

    func expect(_ condition: Bool, _ message: @autoclosure () -> String = "", line: Int = #line) {
        count += 1
        if !condition && failures.count < 50 { failures.append("line \(line): \(message())") }
    }

    /// The collected failures, one per line, for the test's own `#expect`.
    var report: String { failures.joined(separator: "\n") }
}
