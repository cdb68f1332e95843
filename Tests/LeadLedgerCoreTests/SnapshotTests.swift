import EventLog
import Foundation
import LeadDomain
import Testing
@testable import LeadLedgerCore

@Suite("Snapshots")
struct SnapshotTests {
    /// A data directory with 30 leads, snapshots at positions 10 and 30, and the projections at 30.
    static func prepared(_ directory: String) async throws -> (full: [UInt8], older: [UInt8]) {
        let ledger = try await openLedger(directory)
        for n in 1...10 { try await createLead(ledger, n) }
        let older = try ledger.read { try $0.encodeCanonical() }
        try ledger.snapshot()
        for n in 11...30 { try await createLead(ledger, n) }
        let full = try ledger.read { try $0.encodeCanonical() }
        try await ledger.close()  // writes snapshot 30
        return (full, older)
    }

    static func newest(_ directory: String) -> String {
        SnapshotStore(directory: directory + "/snapshots").entries()[0].path
    }

    static func mutate(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Opening still gives the full projections; the store reports which snapshot it would use.
    static func expectRecovers(_ directory: String, full: [UInt8], usesPosition: UInt64?) async throws {
        let store = SnapshotStore(directory: directory + "/snapshots")
        #expect(store.loadNewest(atMost: 30)?.position == usesPosition)
        var configuration = LedgerConfiguration(dataDirectory: directory, clock: SteppingClock(start: fixtureStart))
        configuration.snapshotOnClose = false
        let ledger = try await Ledger.open(configuration)
        #expect(try ledger.read { try $0.encodeCanonical() } == full)
        try await ledger.close()
    }

    @Test("the file round-trips and its header says position, count and lengths")
    func roundTrip() throws {
        let canonical = Array("some canonical bytes, some canonical bytes".utf8)
        let bytes = try SnapshotFile(position: 7, eventCount: 7, canonical: canonical).encoded()
        let header = try SnapshotFile.header(of: bytes)
        #expect(header.position == 7 && header.uncompressedLength == UInt64(canonical.count))
        #expect(try SnapshotFile(decoding: bytes).canonical == canonical)
    }

    @Test("the newest snapshot is used when valid")
    func newestValid() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        try await Self.expectRecovers(directory.path, full: full, usesPosition: 30)
    }

    @Test("a corrupt byte in the body fails the checksum or decompression: the older snapshot is used")
    func corruptByte() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        try Self.mutate(Self.newest(directory.path)) { $0[$0.count - 5] ^= 0xFF }
        try await Self.expectRecovers(directory.path, full: full, usesPosition: 10)
    }

    @Test("a truncated snapshot is skipped")
    func truncated() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        try Self.mutate(Self.newest(directory.path)) { $0.removeLast($0.count / 2) }
        try await Self.expectRecovers(directory.path, full: full, usesPosition: 10)
    }

    @Test("a checksum mismatch is skipped")
    func checksum() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        try Self.mutate(Self.newest(directory.path)) { $0[50] ^= 0x01 }  // inside the SHA-256 field
        #expect(throws: SnapshotFile.ReadError.checksumMismatch) {
            _ = try SnapshotFile(decoding: [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.newest(directory.path)))))
        }
        try await Self.expectRecovers(directory.path, full: full, usesPosition: 10)
    }

    @Test("an unknown format version is skipped")
    func oldFormat() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        try Self.mutate(Self.newest(directory.path)) { $0[11] = 0 }  // format version 1 → 0
        try await Self.expectRecovers(directory.path, full: full, usesPosition: 10)
    }

    @Test("a snapshot beyond the log's head is skipped")
    func beyondHead() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        let path = Self.newest(directory.path)
        let moved = directory.path + "/snapshots/" + SnapshotStore.fileName(position: 31)
        try Self.mutate(path) { bytes in  // rewrite the header position too, so only the head check rejects it
            withUnsafeBytes(of: UInt64(31).bigEndian) { for i in 0..<8 { bytes[16 + i] = $0[i] } }
        }
        try FileManager.default.moveItem(atPath: path, toPath: moved)
        try await Self.expectRecovers(directory.path, full: full, usesPosition: 10)
    }

    @Test("with every snapshot bad, start-up replays the whole log")
    func allBad() async throws {
        let directory = TemporaryDirectory()
        let (full, _) = try await Self.prepared(directory.path)
        for entry in SnapshotStore(directory: directory.path + "/snapshots").entries() {
            try Self.mutate(entry.path) { $0[0] = 0 }
        }
        try await Self.expectRecovers(directory.path, full: full, usesPosition: nil)
    }

    @Test("only the newest K snapshots are kept")
    func pruning() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        for n in 1...5 {
            try await createLead(ledger, n)
            try ledger.snapshot()
        }
        let positions = SnapshotStore(directory: directory.path + "/snapshots").entries().map(\.position)
        #expect(positions == [5, 4, 3])
        try await ledger.close()
    }

    @Test("a background snapshot is taken every N events")
    func periodic() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path, snapshotEvery: 5)
        for n in 1...12 { try await createLead(ledger, n) }
        var found: [UInt64] = []
        for _ in 0..<200 {
            found = SnapshotStore(directory: directory.path + "/snapshots").entries().map(\.position)
            if found.contains(where: { $0 >= 5 }) { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(found.contains { $0 >= 5 })
        try await ledger.close()
    }
}

@Suite("Canonical snapshot formats")
struct CanonicalFormatTests {
    @Test("format 2 decodes to the same value whatever the block size; format 1 snapshots still load")
    func formats() async throws {
        let data = TemporaryDirectory()
        let log = try await BulkReplayTests.generatedLog(data.path, leads: 150)
        defer { log.close() }
        let projections = try BulkReplayTests.incremental(log)
        let canonical = try projections.encodeCanonical()
        #expect(Array(canonical[4..<5]) == [2], "format version 2")
        for (version, blockSize) in [(1, 1), (2, 1), (2, 7), (2, 149), (2, 150), (2, 32_768)] {
            let bytes = try projections.encodeCanonical(formatVersion: UInt64(version), leadBlockSize: blockSize)
            let decoded = try Projections(decodingCanonical: bytes)
            #expect(decoded == projections, "format \(version), blocks of \(blockSize)")
            #expect(decoded.directory.orderedEntriesAreCurrent)
            #expect(try decoded.encodeCanonical() == canonical, "format \(version), blocks of \(blockSize)")
            #expect(throws: SnapshotDecodingError.self) { _ = try Projections(decodingCanonical: Array(bytes.dropLast())) }
        }
        let empty = Projections()
        #expect(try Projections(decodingCanonical: empty.encodeCanonical()) == empty)
    }

    @Test("a block whose leads overrun or fall short of its length is refused")
    func malformedBlock() async throws {
        let data = TemporaryDirectory()
        let log = try await BulkReplayTests.generatedLog(data.path, leads: 20)
        defer { log.close() }
        let projections = try BulkReplayTests.incremental(log)
        let one = try projections.encodeCanonical(formatVersion: 2, leadBlockSize: 32_768)
        let many = try projections.encodeCanonical(formatVersion: 2, leadBlockSize: 1)
        // The two agree up to the lead section, whose first varint is the number of blocks (1, and 20).
        var offset = 0
        while one[offset] == many[offset] { offset += 1 }
        #expect(many[offset] == 20)
        // `offset` is where the lead section starts: the block count (1), then the block's length varint.
        #expect(one[offset] == 1)
        var lengthEnd = offset + 1
        while one[lengthEnd] >= 0x80 { lengthEnd += 1 }
        let countAt = lengthEnd + 1
        var overrun = one
        overrun[countAt] += 1  // one more lead than the block holds
        #expect(throws: SnapshotDecodingError.self) { _ = try Projections(decodingCanonical: overrun) }
        var short = one
        short[countAt] -= 1  // one lead fewer: bytes left over in the block
        #expect(throws: SnapshotDecodingError.self) { _ = try Projections(decodingCanonical: short) }
    }
}

@Suite("Determinism")
struct DeterminismTests {
    @Test("deleting the projections and replaying from position 0 gives byte-identical state")
    func rebuildIsByteIdentical() async throws {
        let directory = TemporaryDirectory()
        let ledger = try await openLedger(directory.path)
        try await GoldenFixture.write(ledger)
        let live = try ledger.read { try $0.encodeCanonical() }
        let log = ledger.log
        try await ledger.close()
        _ = log
        try FileManager.default.removeItem(atPath: directory.path + "/snapshots")
        let reopened = try await openLedger(directory.path)
        #expect(try reopened.read { try $0.encodeCanonical() } == live)
        let rebuilt = try Replayer.projections(log: reopened.log)
        #expect(try rebuilt.encodeCanonical() == live)
        try await reopened.close()
    }
}
