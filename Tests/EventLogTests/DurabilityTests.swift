import CLMDB
import EventLog
import Foundation
import Testing

/// Raw LMDB access to the log's files, bypassing EventLog: used to tamper with stored records.
func withRawDatabase(_ directory: String, _ name: String, _ body: (OpaquePointer, MDB_dbi) throws -> Void) throws {
    var env: OpaquePointer?
    #expect(mdb_env_create(&env) == 0)
    defer { mdb_env_close(env) }
    mdb_env_set_maxdbs(env, 8)
    mdb_env_set_mapsize(env, 1 << 30)
    try #require(mdb_env_open(env, directory, UInt32(MDB_NOTLS), 0o644) == 0)
    var txn: OpaquePointer?
    try #require(mdb_txn_begin(env, nil, 0, &txn) == 0)
    var dbi: MDB_dbi = 0
    try #require(mdb_dbi_open(txn, name, 0, &dbi) == 0)
    try body(txn!, dbi)
    try #require(mdb_txn_commit(txn) == 0)
}

@Suite("Durability, tamper evidence and map growth", .timeLimit(.minutes(1)))
struct DurabilityTests {
    @Test("flipping one byte of a stored record makes verify name that position", arguments: [0, 1, 7, 13, 40, -40, -1])
    func tamperDetection(offset: Int) async throws {
        try await withTemporaryDirectory { directory in
            var options = EventLog.Options()
            options.compression.dictionaryTrainingEvents = 0
            do {
                let log = try EventLog(directory: directory, options: options)
                for index in 0..<10 {
                    try await log.append([makeEvent(payload: String(decoding: leadPayload(index), as: UTF8.self))],
                                         to: "lead-\(index % 3)", expectedVersion: .any)
                }
                #expect(try log.verify().isIntact)
                log.close()
            }
            try withRawDatabase(directory, "events") { txn, dbi in
                var position = UInt64(5).bigEndian
                try withUnsafeMutableBytes(of: &position) { keyBytes in
                    var key = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                    var value = MDB_val()
                    try #require(mdb_get(txn, dbi, &key, &value) == 0)
                    var record = Array(UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
                    let index = offset >= 0 ? offset : record.count + offset
                    record[index] ^= 0x5A
                    try record.withUnsafeMutableBytes { bytes in
                        var newValue = MDB_val(mv_size: bytes.count, mv_data: bytes.baseAddress)
                        try #require(mdb_put(txn, dbi, &key, &newValue, 0) == 0)
                    }
                }
            }
            let log = try EventLog(directory: directory, options: options)
            defer { log.close() }
            let report = try log.verify()
            #expect(report.firstBadPosition == 5, "\(report)")
            #expect(report.eventsVerified == 4)
        }
    }

    @Test("a deleted record is reported as a gap")
    func gapDetection() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let log = try EventLog(directory: directory)
                for _ in 0..<6 { try await log.append([makeEvent()], to: "lead-1", expectedVersion: .any) }
                log.close()
            }
            try withRawDatabase(directory, "events") { txn, dbi in
                var position = UInt64(3).bigEndian
                try withUnsafeMutableBytes(of: &position) { keyBytes in
                    var key = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                    try #require(mdb_del(txn, dbi, &key, nil) == 0)
                }
            }
            let log = try EventLog(directory: directory)
            defer { log.close() }
            let report = try log.verify()
            #expect(report.firstBadPosition == 3)
            #expect(report.problem?.contains("missing") == true)
        }
    }

    @Test("a log that starts with a 256 KiB map grows it and every append succeeds")
    func mapGrowth() async throws {
        try await withLog({ $0.initialMapSize = 256 << 10; $0.compression = .disabled }) { log, _ in
            let reader = Task {
                var count = 0
                for try await _ in log.subscribe(after: 0) {
                    count += 1
                    if count == 3_000 { break }
                }
                return count
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<10 {
                    group.addTask {
                        for round in 0..<30 {
                            let events = (0..<10).map { _ in
                                makeEvent(payload: String(repeating: "x", count: 300 + (task * round) % 200))
                            }
                            try await log.append(events, to: "lead-\(task)", expectedVersion: .exact(UInt64(round * 10)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(log.head == 3_000)
            let stats = try log.stats()
            #expect(stats.mapGrowths >= 2)
            #expect(stats.mapSize > 256 << 10)
            #expect(try await reader.value == 3_000)
            #expect(try log.verify().isIntact)
        }
    }

    @Test("reopening restores head, stream versions and dictionaries, and the chain continues")
    func reopen() async throws {
        try await withTemporaryDirectory { directory in
            var options = EventLog.Options()
            options.compression.dictionaryTrainingEvents = 300
            let firstIds: [UUID]
            do {
                let log = try EventLog(directory: directory, options: options)
                var ids: [UUID] = []
                for batch in 0..<40 {
                    // 10 streams × 1 event per atomic append: few fsyncs, the same per-stream layout.
                    var appends: [StreamAppend] = []
                    for index in batch * 10..<batch * 10 + 10 {
                        let event = makeEvent(payload: String(decoding: leadPayload(index), as: UTF8.self))
                        ids.append(event.id)
                        appends.append(StreamAppend(streamId: "lead-\(index % 7)", expectedVersion: .any, events: [event]))
                    }
                    try await log.append(appends)
                }
                #expect(try log.stats().dictionaries == 1)
                log.close()
                firstIds = ids
            }
            let log = try EventLog(directory: directory, options: options)
            defer { log.close() }
            #expect(log.head == 400)
            #expect(try log.streamVersion("lead-0") == 58)
            let resend = try await log.append([makeEvent(id: firstIds[10])], to: "lead-3", expectedVersion: .any)
            #expect(resend.alreadyStored && resend.firstPosition == 11)
            let next = try await log.append(
                [makeEvent(payload: String(decoding: leadPayload(1), as: UTF8.self))], to: "lead-0", expectedVersion: .exact(58))
            #expect(next.firstPosition == 401 && next.streamVersion == 59)
            let report = try log.verify()
            #expect(report.isIntact && report.eventsVerified == 401)
            let events = try log.read(after: 0, limit: 1_000)
            #expect(events.count == 401)
            #expect(events[350].payload == leadPayload(350))
            let stats = try log.stats()
            #expect(stats.payloadBytesStored < stats.payloadBytesRaw)
        }
    }

    @Test("opening a log written by a newer format version fails with a clear error")
    func newerFormatRefused() async throws {
        try await withTemporaryDirectory { directory in
            try EventLog(directory: directory).close()
            try withRawDatabase(directory, "meta") { txn, dbi in
                var keyBytes = Array("format-version".utf8)
                var version = UInt32(99).bigEndian
                try keyBytes.withUnsafeMutableBytes { keyBuffer in
                    try withUnsafeMutableBytes(of: &version) { valueBuffer in
                        var key = MDB_val(mv_size: keyBuffer.count, mv_data: keyBuffer.baseAddress)
                        var value = MDB_val(mv_size: 4, mv_data: valueBuffer.baseAddress)
                        try #require(mdb_put(txn, dbi, &key, &value, 0) == 0)
                    }
                }
            }
            let error = #expect(throws: EventLogError.self) { try EventLog(directory: directory) }
            #expect(error?.code == .unsupportedFormat)
            #expect(error?.message.contains("99") == true)
        }
    }
}
