import CLMDB
import Foundation
import Logging
import Synchronization

/// Names of the LMDB databases inside the environment.
enum DatabaseName {
    /// u64 BE position → record (RecordFormat)
    static let events = "events"
    /// 16 UUID bytes → u64 BE position
    static let eventIds = "event-ids"
    /// stream id ‖ 0x00 ‖ u64 BE version → u64 BE position
    static let streams = "streams"
    /// stream id → u64 BE version of its last event
    static let streamHeads = "stream-heads"
    /// text keys → values (format version, dictionaries, payload byte counters)
    static let meta = "meta"
}

enum MetaKey {
    static let formatVersion = Array("format-version".utf8)
    static let payloadBytes = Array("payload-bytes".utf8)
    static let dictionaryPrefix = Array("dictionary:".utf8)

    static func dictionary(_ id: UInt32) -> [UInt8] {
        var key = dictionaryPrefix
        key.appendBigEndian(id)
        return key
    }
}

/// The on-disk format version of the whole environment (`meta/format-version`).
let supportedStoreFormatVersion: UInt32 = 1

/// The opened environment, its databases and the state shared by readers and the writer.
final class LogStore: Sendable {
    let env: LMDBEnvironment
    let events: LMDBDatabase
    let eventIds: LMDBDatabase
    let streams: LMDBDatabase
    let streamHeads: LMDBDatabase
    let meta: LMDBDatabase
    let directory: String
    let dictionaries = DictionaryRegistry()
    let decompressors = DecompressionContextPool()
    let headSignal: HeadSignal
    /// Last committed global position; published by the writer after each durable commit.
    let head: Atomic<UInt64>
    let commits = Atomic<UInt64>(0)
    let appends = Atomic<UInt64>(0)
    let mapGrowths = Atomic<UInt64>(0)

    init(directory: String, options: EventLog.Options) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EventLogError(.io, "cannot create data directory '\(directory)': \(error)")
        }
        env = try LMDBEnvironment(
            directory: directory, mapSize: options.initialMapSize, maxDatabases: 8, maxReaders: options.maxReaders)
        let opened = try env.write { (txn) in
            let dbs = (
                try txn.openDatabase(DatabaseName.events, create: true),
                try txn.openDatabase(DatabaseName.eventIds, create: true),
                try txn.openDatabase(DatabaseName.streams, create: true),
                try txn.openDatabase(DatabaseName.streamHeads, create: true),
                try txn.openDatabase(DatabaseName.meta, create: true)
            )
            let stored = try MetaKey.formatVersion.withUnsafeBytes { (key) in
                try txn.get(dbs.4, key: key) { (value) -> UInt32 in
                    guard value.count == 4 else {
                        throw EventLogError(.unsupportedFormat, "meta/format-version has \(value.count) bytes")
                    }
                    return UInt32(bigEndian: value.loadUnaligned(as: UInt32.self))
                }
            }
            if let stored {
                guard stored <= supportedStoreFormatVersion else {
                    throw EventLogError(
                        .unsupportedFormat,
                        "'\(directory)' holds event log format version \(stored); this build reads up to "
                            + "\(supportedStoreFormatVersion). Upgrade LeadLedger to open it.")
                }
            } else {
                var value = supportedStoreFormatVersion.bigEndian
                try MetaKey.formatVersion.withUnsafeBytes { (key) in
                    try withUnsafeBytes(of: &value) { (bytes) in
                        try txn.put(dbs.4, key: key, value: bytes)
                    }
                }
            }
            return dbs
        }
        (events, eventIds, streams, streamHeads, meta) = opened
        let lastPosition = try env.read { (txn) -> UInt64 in
            try txn.withCursor(opened.0) { (cursor) -> UInt64 in
                try cursor.last { (key, _) -> UInt64 in
                    guard let position = decodePosition(key) else {
                        throw EventLogError.corrupted(position: 0, reason: "events key of \(key.count) bytes")
                    }
                    return position
                } ?? 0
            }
        }
        head = Atomic(lastPosition)
        headSignal = HeadSignal(head: lastPosition)
        try loadDictionaries()
    }

    private func loadDictionaries() throws {
        let prefix = MetaKey.dictionaryPrefix
        try env.read { (txn) in
            try txn.withCursor(meta) { (cursor) in
                try prefix.withUnsafeBytes { (start) in
                    try cursor.scan(from: start) { (key, value) -> Bool in
                        guard key.count == prefix.count + 4, key.starts(with: prefix) else { return false }
                        let id = UInt32(bigEndian: key.loadUnaligned(fromByteOffset: prefix.count, as: UInt32.self))
                        dictionaries.add(id: id, try DecompressionDictionary(bytes: value))
                        return true
                    }
                }
            }
        }
    }

    var currentHead: UInt64 { head.load(ordering: .acquiring) }

    // MARK: - Reads (each inside a read transaction; nothing escapes it but copied values)

    func decode(
        _ bytes: UnsafeRawBufferPointer, key: UInt64, decompressor: PayloadDecompressor
    ) throws -> RecordedEvent {
        let record = try RecordView(bytes, key: key)
        let payload = try decompressor.payload(of: record, dictionaries: dictionaries)
        return RecordedEvent(
            id: record.id, streamId: record.streamId, streamVersion: record.streamVersion,
            position: record.position, type: record.type, schemaVersion: record.schemaVersion,
            recordedAt: record.recordedAt,
            metadata: EventMetadata(
                actor: record.actor, correlationId: record.correlationId, causationId: record.causationId),
            payload: payload)
    }

    /// Visits events with positions in `(after, through]` in order inside one read transaction.
    func scanEvents(
        after position: UInt64, through: UInt64?,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        try decompressors.withContext { (decompressor) in
            try env.read { (txn) in
                try txn.withCursor(events) { (cursor) in
                    try withPositionKey(position &+ 1) { (start) in
                        try cursor.scan(from: start) { (key, value) -> Bool in
                            guard let current = decodePosition(key) else {
                                throw EventLogError.corrupted(position: 0, reason: "events key of \(key.count) bytes")
                            }
                            if let through, current > through { return false }
                            return try body(try decode(value, key: current, decompressor: decompressor))
                        }
                    }
                }
            }
        }
    }

    /// The stored event with this id, if any (through the event-id index).
    func event(withId id: UUID) throws -> RecordedEvent? {
        try decompressors.withContext { (decompressor) in
            try env.read { (txn) -> RecordedEvent? in
                let position = try withUnsafeBytes(of: id.uuid) { (key) in
                    try txn.get(eventIds, key: key) { (value) in decodePosition(value) }
                }
                guard let position = position ?? nil else { return nil }
                return try withPositionKey(position) { (key) in
                    try txn.get(events, key: key) { (value) in try decode(value, key: position, decompressor: decompressor) }
                }
            }
        }
    }

    /// The ids of the streams that have events and start with `prefix`, in byte order.
    func streamIds(withPrefix prefix: String) throws -> [String] {
        let start = Array(prefix.utf8)
        return try env.read { (txn) -> [String] in
            var ids: [String] = []
            try txn.withCursor(streamHeads) { (cursor) in
                try start.withUnsafeBytes { (startKey) in
                    try cursor.scan(from: start.isEmpty ? nil : startKey) { (key, _) -> Bool in
                        guard key.starts(with: startKey) else { return false }
                        ids.append(String(decoding: key, as: UTF8.self))
                        return true
                    }
                }
            }
            return ids
        }
    }

    func streamVersion(_ streamId: String) throws -> UInt64 {
        try env.read { (txn) in try streamVersion(streamId, in: txn) }
    }

    func streamVersion(_ streamId: String, in txn: borrowing LMDBTransaction) throws -> UInt64 {
        var id = streamId
        return try id.withUTF8 { (utf8) -> UInt64 in
            try txn.get(streamHeads, key: UnsafeRawBufferPointer(utf8)) { (value) -> UInt64 in
                guard let version = decodePosition(value) else {
                    throw EventLogError(.corrupted, "stream head of '\(streamId)' has \(value.count) bytes")
                }
                return version
            } ?? 0
        }
    }

    func readStream(_ streamId: String, fromVersion: UInt64, throughPosition: UInt64?) throws
        -> [RecordedEvent]
    {
        let prefixLength = streamId.utf8.count + 1
        let start = streamIndexKey(streamId, version: max(fromVersion, 1))
        return try decompressors.withContext { (decompressor) in
            try env.read { (txn) -> [RecordedEvent] in
                var positions: [UInt64] = []
                try txn.withCursor(streams) { (cursor) in
                    try start.withUnsafeBytes { (startKey) in
                        try cursor.scan(from: startKey) { (key, value) -> Bool in
                            guard key.count == prefixLength + 8,
                                key.starts(with: UnsafeRawBufferPointer(rebasing: startKey[0..<prefixLength])),
                                let position = decodePosition(value)
                            else { return false }
                            if let throughPosition, position > throughPosition { return false }
                            positions.append(position)
                            return true
                        }
                    }
                }
                var result: [RecordedEvent] = []
                result.reserveCapacity(positions.count)
                for position in positions {
                    let event = try withPositionKey(position) { (key) in
                        try txn.get(events, key: key) { (value) in
                            try decode(value, key: position, decompressor: decompressor)
                        }
                    }
                    guard let event else {
                        throw EventLogError.corrupted(position: position, reason: "indexed by stream '\(streamId)' but missing")
                    }
                    result.append(event)
                }
                return result
            }
        }
    }
}
