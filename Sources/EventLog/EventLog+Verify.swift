import Foundation

/// The outcome of `EventLog.verify`.
public struct VerifyReport: Sendable, Hashable {
    /// Events whose hash was recomputed and matched.
    public var eventsVerified: UInt64
    /// The head when verification started.
    public var head: UInt64
    /// The first position that is missing, undecodable or whose hash does not match; nil when intact.
    public var firstBadPosition: UInt64?
    /// What is wrong at `firstBadPosition`.
    public var problem: String?
    /// Hex SHA-256 of the last verified event (the chain head; 64 zeros for an empty log). Record it
    /// elsewhere to detect a rewritten log later.
    public var headHash: String

    public var isIntact: Bool { firstBadPosition == nil }
}

/// Sizes and counters of the log.
public struct LogStats: Sendable, Hashable {
    public var head: UInt64
    public var events: Int
    public var streams: Int
    /// Size of the LMDB data file.
    public var bytesOnDisk: UInt64
    public var mapSize: Int
    /// Sum of payload sizes as appended, and as stored (after compression).
    public var payloadBytesRaw: UInt64
    public var payloadBytesStored: UInt64
    public var dictionaries: Int
    /// Since this process opened the log: durable commits (groups), appends (calls), map growths.
    public var commits: UInt64
    public var appends: UInt64
    public var mapGrowths: UInt64
}

extension EventLog {
    /// Walks the hash chain from position 1: every position present (no gap), every record decodable and at
    /// its key, every hash equal to SHA-256(previous hash ‖ canonical bytes with the uncompressed payload).
    /// Stops at the first bad position. Reads in chunks of read transactions so map growth is not blocked for
    /// long. `progress(verified, head)` is called after each chunk.
    public func verify(progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerifyReport {
        let head = store.currentHead
        var previous = ChainHash.genesis
        var expected: UInt64 = 1
        var bad: (UInt64, String)?
        let chunk: UInt64 = 65_536
        while expected <= head && bad == nil {
            let start = expected
            try store.decompressors.withContext { (decompressor) in
                try store.env.read { (txn) in
                    try txn.withCursor(store.events) { (cursor) in
                        try withPositionKey(start) { (startKey) in
                            try cursor.scan(from: startKey) { (key, value) -> Bool in
                                guard let position = decodePosition(key), position == expected else {
                                    bad = (expected, "missing (next stored key is \(decodePosition(key).map(String.init) ?? "malformed"))")
                                    return false
                                }
                                do {
                                    let record = try RecordView(value, key: position)
                                    let payload = try decompressor.payload(of: record, dictionaries: store.dictionaries)
                                    let computed = payload.withUnsafeBytes {
                                        ChainHash.next(previous: previous, header: record.header, payload: $0)
                                    }
                                    guard computed == record.hash else {
                                        bad = (position, "hash mismatch: the record or an earlier one was altered")
                                        return false
                                    }
                                    previous = record.hash
                                } catch {
                                    bad = (position, (error as? EventLogError)?.message ?? "\(error)")
                                    return false
                                }
                                expected += 1
                                return expected <= head && expected - start < chunk
                            }
                        }
                    }
                }
            }
            if bad == nil && expected == start { bad = (expected, "missing (log ends early)") }
            progress?(expected - 1, head)
        }
        return VerifyReport(
            eventsVerified: expected - 1, head: head, firstBadPosition: bad?.0, problem: bad?.1,
            headHash: previous.hexString)
    }

    public func stats() throws -> LogStats {
        let (events, streams, counters) = try store.env.read {
            (txn) -> (Int, Int, (UInt64, UInt64)) in
            let counters = try MetaKey.payloadBytes.withUnsafeBytes { (key) in
                try txn.get(store.meta, key: key) { (value) -> (UInt64, UInt64) in
                    guard value.count == 16 else { return (0, 0) }
                    return (
                        UInt64(bigEndian: value.loadUnaligned(as: UInt64.self)),
                        UInt64(bigEndian: value.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    )
                }
            }
            return (try txn.count(store.events), try txn.count(store.streamHeads), counters ?? (0, 0))
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: store.directory + "/data.mdb")
        let size = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
        return LogStats(
            head: store.currentHead, events: events, streams: streams, bytesOnDisk: size, mapSize: store.env.mapSize,
            payloadBytesRaw: counters.0, payloadBytesStored: counters.1, dictionaries: store.dictionaries.count,
            commits: store.commits.load(ordering: .relaxed), appends: store.appends.load(ordering: .relaxed),
            mapGrowths: store.mapGrowths.load(ordering: .relaxed))
    }
}

extension ChainHash {
    var hexString: String {
        withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }
}
