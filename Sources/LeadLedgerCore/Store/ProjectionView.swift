import EventLog
import Foundation
import LeadDomain

/// The projection store at one log position: one LMDB read transaction, with the queries the API and CLI
/// answer from it. Non-copyable and handed out borrowed (`ProjectionDatabase.read`), so it cannot outlive its
/// transaction.
public struct ProjectionView: ~Copyable {
    let txn: LMDBTransaction
    let dbs: ProjectionDatabase.Databases
    /// The position of the last applied event (0: none).
    public let position: UInt64
    /// `recordedAt` of the last applied event (µs).
    public let lastRecordedAt: Int64
    public let settings: SettingsState
    let ranks: StepRanks
    let leadCache: DecodedCache<LeadRecord>
    let adminCache: DecodedCache<AdminState>

    init(txn: borrowing LMDBTransaction, database: ProjectionDatabase) throws {
        let dbs = database.dbs
        typealias Meta = ProjectionDatabase.MetaKey
        let position = try ProjectionDatabase.getMeta(txn, dbs.meta, Meta.position) ?? 0
        let recordedAt = try ProjectionDatabase.getMeta(txn, dbs.meta, Meta.recordedAt) ?? 0
        let settings = try database.settings(txn)
        self.dbs = dbs
        self.position = position
        lastRecordedAt = Int64(bitPattern: recordedAt)
        self.settings = settings
        ranks = StepRanks(settings)
        leadCache = database.leadCache
        adminCache = database.adminCache
        self.txn = txn.alias()
    }

    // MARK: - Primitives

    /// The number of leads (deleted and merged ones included).
    public func leadCount() throws -> Int { try txn.count(dbs.leads) }

    /// The lead's record (decoded once per version, see `DecodedCache`).
    func record(_ id: UUID) throws -> LeadRecord? {
        try withUnsafeBytes(of: id.uuid) { key in
            try txn.get(dbs.leads, key: key) { bytes in
                try leadCache.value(id, version: try LeadStoreRecord.version(of: bytes)) { try LeadStoreRecord.decode(bytes).record }
            }
        }
    }

    public func lead(_ id: UUID) throws -> LeadState? { try record(id)?.state }

    /// The counter under `key` (0 when absent).
    func counter(_ key: StoreKey) throws -> Int {
        try key.with { k in
            try txn.get(dbs.counts, key: k) { Int(Int64(bitPattern: UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)))) } ?? 0
        }
    }

    /// Whether `id` is in the inverted index under `prefix`.
    func contains(_ prefix: StoreKey, _ id: UUID) throws -> Bool {
        var key = prefix
        key.uuid(id)
        return try key.with { k in try txn.get(dbs.sets, key: k) { _ in true } } ?? false
    }

    /// Visits the ids in the inverted index under `prefix` (in id order) until `body` returns false.
    func forEachMember(_ prefix: StoreKey, _ body: (UUID) throws -> Bool) throws {
        try forEach(dbs.sets, prefix: prefix) { key, _ in try body(StoreKeyReader(key).trailingUUID()) }
    }

    func members(_ prefix: StoreKey) throws -> [UUID] {
        var ids: [UUID] = []
        try forEachMember(prefix) { ids.append($0); return true }
        return ids
    }

    /// Visits the entries of `db` whose keys start with `prefix`, in key order (from the first key ≥ `start`
    /// when given), until `body` returns false.
    func forEach(
        _ db: LMDBDatabase, prefix: StoreKey, from start: StoreKey? = nil,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try txn.withCursor(db) { cursor in
            try prefix.with { p in
                try (start ?? prefix).with { s in
                    try cursor.scan(from: s.isEmpty ? nil : s) { key, value in
                        guard key.starts(with: p) else { return false }
                        return try body(key, value)
                    }
                }
            }
        }
    }

    /// Visits the keys of `db` under `prefix` strictly after `bound` (a full key) in the direction given, or
    /// from the first (last, descending) entry without a bound, until `body` returns false.
    func walk(
        _ db: LMDBDatabase, prefix: StoreKey, after bound: StoreKey?, descending: Bool,
        _ body: (UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try walkEntries(db, prefix: prefix, after: bound, descending: descending) { key, _ in try body(key) }
    }

    /// `walk` with each entry's value.
    func walkEntries(
        _ db: LMDBDatabase, prefix: StoreKey, after bound: StoreKey?, descending: Bool,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        try txn.withCursor(db) { cursor in
            try prefix.with { p in
                if descending {
                    let start = bound ?? prefix.prefixEnd
                    try (start?.bytes ?? [UInt8](repeating: 0xFF, count: 64)).withUnsafeBytes { s in
                        try cursor.scanBackward(from: s) { key, value in
                            if key.elementsEqual(s) { return true }
                            guard key.starts(with: p) else { return false }
                            return try body(key, value)
                        }
                    }
                } else {
                    let start = bound ?? prefix
                    try start.with { s in
                        try cursor.scan(from: s) { key, value in
                            if bound != nil, key.elementsEqual(s) { return true }
                            guard key.starts(with: p) else { return false }
                            return try body(key, value)
                        }
                    }
                }
            }
        }
    }
}
