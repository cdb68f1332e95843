import EventLog
import Foundation
import Testing
@testable import LeadLedgerCore

/// Golden answers: the JSON of every projection after replaying the fixture log, committed in `snapshots/` — the
/// reference the projection store answers against (they were first written by the in-memory engine it replaced).
/// Regenerate with `LEADLEDGER_UPDATE_GOLDEN=1 swift test --filter Golden`.
@Suite("Golden projections")
struct GoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("snapshots")

    @Test("every projection of the replayed fixture log matches snapshots/<projection>.json")
    func goldenProjections() async throws {
        let data = TemporaryDirectory()
        let ledger = try await openLedger(data.path)
        try await GoldenFixture.write(ledger)
        try await ledger.close()
        let served = try await Self.servedGolden(data.path)
        // A store rebuilt from the log (not the one the ledger kept), three events per transaction.
        var options = EventLog.Options()
        options.readOnly = true
        let log = try EventLog(directory: data.path + "/log", options: options)
        defer { log.close() }
        let rebuilt = try WorldProjections.replaying(log, batch: 3)
        let golden = rebuilt.goldenJSON()
        #expect(golden == served)
        let bulk = WorldProjections()
        try bulk.store.database.bulkBuild(log: log)
        #expect(bulk.difference(from: rebuilt) == nil)
        #expect(golden.count >= 8)
        if ProcessInfo.processInfo.environment["LEADLEDGER_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            for (name, json) in golden {
                try (json + Data("\n".utf8)).write(to: Self.directory.appendingPathComponent("\(name).json"))
            }
            return
        }
        for (name, json) in golden.sorted(by: { $0.key < $1.key }) {
            let url = Self.directory.appendingPathComponent("\(name).json")
            guard let expected = try? Data(contentsOf: url) else {
                Issue.record("missing golden file snapshots/\(name).json (LEADLEDGER_UPDATE_GOLDEN=1 to create)")
                continue
            }
            let expectedValue = try JSONSerialization.jsonObject(with: expected, options: [.fragmentsAllowed])
            let actualValue = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
            if let path = Self.firstDifference(expectedValue, actualValue, path: "$") {
                Issue.record("projection '\(name)' differs from snapshots/\(name).json at \(path)")
            }
        }
    }

    /// The golden JSON of the store the ledger itself kept while it wrote the fixture.
    static func servedGolden(_ path: String) async throws -> [String: Data] {
        let ledger = try await openLedger(path)
        let golden = try ledger.read { try $0.goldenJSON() }
        try await ledger.close()
        return golden
    }

    /// The JSON path of the first difference between two parsed JSON values, nil when equal.
    static func firstDifference(_ a: Any, _ b: Any, path: String) -> String? {
        switch (a, b) {
        case (let a as [String: Any], let b as [String: Any]):
            for key in Set(a.keys).union(b.keys).sorted() {
                guard let av = a[key], let bv = b[key] else { return "\(path).\(key) (present on one side only)" }
                if let difference = firstDifference(av, bv, path: "\(path).\(key)") { return difference }
            }
            return nil
        case (let a as [Any], let b as [Any]):
            for index in 0..<min(a.count, b.count) {
                if let difference = firstDifference(a[index], b[index], path: "\(path)[\(index)]") { return difference }
            }
            return a.count == b.count ? nil : "\(path) (\(a.count) vs \(b.count) elements)"
        case (let a as NSNumber, let b as NSNumber):
            return a == b ? nil : "\(path) (\(a) vs \(b))"
        case (let a as String, let b as String):
            return a == b ? nil : "\(path) (\"\(a)\" vs \"\(b)\")"
        case (is NSNull, is NSNull):
            return nil
        default:
            return "\(path) (different kinds)"
        }
    }
}
