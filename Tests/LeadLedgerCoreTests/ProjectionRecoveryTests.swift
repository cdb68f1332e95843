import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

/// The projection store is disposable: deleted, truncated, ahead of the log or of another format, the ledger
/// rebuilds it from the log at open and answers exactly as before.
@Suite("Projection store recovery")
struct ProjectionRecoveryTests {
    /// A ledger with `leads` leads (some changed), closed; returns the golden answers it served.
    static func written(_ path: String, leads: Int) async throws -> [String: Data] {
        let ledger = try await openLedger(path)
        for n in 1...leads {
            let id = try await createLead(ledger, n, name: "Lead \(n)", phones: ["+370 600 \(10_000 + n)"])
            if n % 3 == 0 { try await ledger.execute(.lead(id, .markStep("contacted")), actor: testAdmin) }
        }
        let golden = try ledger.read { try $0.goldenJSON() }
        try await ledger.close()
        return golden
    }

    static func reopenedGolden(_ path: String) async throws -> (golden: [String: Data], position: UInt64, head: UInt64) {
        let ledger = try await openLedger(path)
        let golden = try ledger.read { try $0.goldenJSON() }
        let result = (golden, ledger.appliedPosition, ledger.log.head)
        try await ledger.close()
        return result
    }

    static var store: String { "/projections/g1/data.mdb" }

    @Test("a deleted projection store is rebuilt at open with the same answers")
    func deleted() async throws {
        let data = TemporaryDirectory()
        let before = try await Self.written(data.path, leads: 30)
        try FileManager.default.removeItem(atPath: data.path + "/projections")
        let after = try await Self.reopenedGolden(data.path)
        #expect(after.golden == before)
        #expect(after.position == after.head)
        #expect(FileManager.default.fileExists(atPath: data.path + Self.store))
    }

    @Test("a truncated or garbled store file is rebuilt at open, never served", arguments: [0, 1, 2])
    func damaged(kind: Int) async throws {
        let data = TemporaryDirectory()
        let before = try await Self.written(data.path, leads: 300)
        let path = data.path + Self.store
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        switch kind {
        case 0: try handle.truncate(atOffset: UInt64(size / 2))  // pages of the last commit cut off
        case 1: try handle.truncate(atOffset: 100)  // not even a meta page
        default:  // both meta pages overwritten
            try handle.seek(toOffset: 0)
            handle.write(Data(repeating: 0xA5, count: 8_192))
        }
        try handle.close()
        let after = try await Self.reopenedGolden(data.path)
        #expect(after.golden == before)
        #expect(after.position == after.head)
    }

    @Test("a store ahead of the log (a log restored from an older backup) is rebuilt, not served")
    func aheadOfTheLog() async throws {
        let data = TemporaryDirectory()
        let older = TemporaryDirectory()
        // The same first 10 leads in both; `data` goes on to 40.
        let expected = try await Self.written(older.path, leads: 10)
        _ = try await Self.written(data.path, leads: 40)
        try FileManager.default.removeItem(atPath: data.path + "/log")
        try FileManager.default.copyItem(atPath: older.path + "/log", toPath: data.path + "/log")
        let after = try await Self.reopenedGolden(data.path)
        #expect(after.head < 60)
        #expect(after.position == after.head)
        #expect(after.golden == expected)
    }

    @Test("a store of another format version is emptied and rebuilt at open")
    func otherFormat() async throws {
        let data = TemporaryDirectory()
        let before = try await Self.written(data.path, leads: 20)
        let store = try ProjectionDatabase(directory: data.path + "/projections/g1")
        try store.env.write { txn in try ProjectionDatabase.putMeta(txn, store.dbs.meta, ProjectionDatabase.MetaKey.format, 999) }
        store.close()
        // A reader beside the server refuses it rather than emptying it.
        #expect(throws: LedgerError.self) { _ = try ProjectionDatabase(directory: data.path + "/projections/g1", emptyOnMismatch: false) }
        let after = try await Self.reopenedGolden(data.path)
        #expect(after.golden == before)
        #expect(after.position == after.head)
    }

    @Test("a store left without its format by an interrupted bulk build is emptied and rebuilt at open")
    func interruptedBulkBuild() async throws {
        let data = TemporaryDirectory()
        let before = try await Self.written(data.path, leads: 20)
        let store = try ProjectionDatabase(directory: data.path + "/projections/g1")
        try store.env.write { txn in
            _ = try Array(ProjectionDatabase.MetaKey.format.utf8).withUnsafeBytes { try txn.delete(store.dbs.meta, key: $0) }
        }
        store.close()
        #expect(throws: LedgerError.self) { _ = try ProjectionDatabase(directory: data.path + "/projections/g1", emptyOnMismatch: false) }
        let reopened = try ProjectionDatabase(directory: data.path + "/projections/g1")
        #expect(reopened.openState == .emptied(reason: "no format version (an interrupted bulk build)"))
        #expect(try reopened.position() == 0)
        reopened.close()
        let after = try await Self.reopenedGolden(data.path)
        #expect(after.golden == before)
        #expect(after.position == after.head)
    }
}
