import EventLog
import Foundation
import LeadDomain
import Synchronization

/// The projection store: every read model in a LMDB environment of its own (`<data>/projections`), fed by the
/// log in batches. Disposable: deleting it and replaying the log gives the same answers.
///
/// - One write transaction per batch of events, and the applied position is written in the same transaction,
///   so a reader (and a restart) always sees the store at exactly one log position.
/// - Queries run in read transactions (`read { view in }`): MVCC, so they never wait for the writer.
/// - The environment's commits do not flush the meta page (`Durability.lastCommitsMayBeLost`): a system crash
///   may lose the last batches, never tear the store, and the log's tail is replayed at the next open.
///
/// ```swift
/// let store = try ProjectionDatabase(directory: "data/projections")
/// try store.apply(events)                       // one transaction
/// let page = try store.read { try $0.leads(LeadQuery(filter: LeadFilter(step: "new")), now: now) }
/// ```
public final class ProjectionDatabase: Sendable {
    public let directory: String
    let env: LMDBEnvironment
    let dbs: Databases
    /// The decoded settings by `settingsVersion`: readers decode the stored JSON once per change.
    private let settingsCache = Mutex<(version: UInt64, settings: SettingsState)?>(nil)
    /// Decoded leads and admins by id and stream version (see `DecodedCache`).
    let leadCache = DecodedCache<LeadRecord>(capacity: 65_536)
    let adminCache = DecodedCache<AdminState>(capacity: 4_096)

    struct Databases: Sendable {
        let meta, leads, order, recency, sets, counts, customers, deals, admins, tokens: LMDBDatabase

        /// Every database with its name (`StoreSchema.Database`).
        var named: [(name: String, db: LMDBDatabase)] {
            typealias N = StoreSchema.Database
            return [
                (N.meta, meta), (N.leads, leads), (N.order, order), (N.recency, recency), (N.sets, sets), (N.counts, counts),
                (N.customers, customers), (N.deals, deals), (N.admins, admins), (N.tokens, tokens),
            ]
        }
    }

    /// How much a commit waits for the disk (see `init`).
    public enum Durability: Sendable {
        /// The last commits may be lost to a system crash, never torn (the served store: its tail is replayed).
        case rebuildable
        /// Nothing is flushed: for stores deleted after use.
        case discardable
    }

    /// What an opened store holds.
    public enum OpenState: Sendable, Equatable {
        /// A store of this build's format, at its stored position.
        case ready
        /// It was empty or of another format (it has been emptied): replay from position 0.
        case emptied(reason: String)
    }

    public let openState: OpenState

    public static let defaultMapSize = 1 << 38

    /// Opens (creating when absent) the store in `directory`. A store of another format version is emptied
    /// (`openState` says so) and the caller replays the log into it; with `emptyOnMismatch: false` (a process
    /// beside the server, which owns the store) it is refused instead.
    ///
    /// `durability: .discardable` is for a store that is thrown away after use (a temporary replay, a test): its
    /// commits do not wait for the disk at all, and a crash may leave it torn.
    ///
    /// `mapSize` is address space, not memory: 256 GiB holds about 80 million leads (3.2 KB each). A process maps one
    /// per open store, and x86-64 gives a process 128 TiB, so a larger default would cap how many stores a process
    /// (a test run, a server during a rebuild) can have open at once.
    public init(
        directory: String, mapSize: Int = defaultMapSize, emptyOnMismatch: Bool = true, durability: Durability = .rebuildable
    ) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        env = try LMDBEnvironment(
            directory: directory, mapSize: mapSize, maxDatabases: 16, maxReaders: 1_024,
            durability: durability == .rebuildable ? .lastCommitsMayBeLost : .none)
        var state = OpenState.ready
        dbs = try env.write { txn in
            let names = StoreSchema.Database.self
            let dbs = Databases(
                meta: try txn.openDatabase(names.meta, create: true), leads: try txn.openDatabase(names.leads, create: true),
                order: try txn.openDatabase(names.order, create: true),
                recency: try txn.openDatabase(names.recency, create: true), sets: try txn.openDatabase(names.sets, create: true),
                counts: try txn.openDatabase(names.counts, create: true),
                customers: try txn.openDatabase(names.customers, create: true),
                deals: try txn.openDatabase(names.deals, create: true),
                admins: try txn.openDatabase(names.admins, create: true),
                tokens: try txn.openDatabase(names.tokens, create: true))
            let stored = try Self.getMeta(txn, dbs.meta, MetaKey.format).map { UInt32(truncatingIfNeeded: $0) }
            if stored != StoreSchema.formatVersion {
                let hasLeads = try txn.count(dbs.leads) > 0
                if !emptyOnMismatch, stored != nil || hasLeads {
                    throw LedgerError(
                        .closed,
                        "the projection store in '\(directory)' has format \(stored.map(String.init) ?? "none"); this build "
                            + "reads \(StoreSchema.formatVersion): start the server (it rebuilds) or run `leadledger rebuild`")
                }
                if let stored {
                    state = .emptied(reason: "format \(stored), this build writes \(StoreSchema.formatVersion)")
                } else if try txn.count(dbs.leads) > 0 || Self.getMeta(txn, dbs.meta, MetaKey.position) != nil {
                    // A bulk build removes the format while it commits its parts (`bulkBuild`).
                    state = .emptied(reason: "no format version (an interrupted bulk build)")
                }
                for (_, db) in dbs.named { try txn.empty(db) }
                try Self.putMeta(txn, dbs.meta, MetaKey.format, UInt64(StoreSchema.formatVersion))
            }
            return dbs
        }
        openState = state
    }

    deinit { env.close() }

    public func close() { env.close() }

    enum MetaKey {
        static let format = "format"
        static let position = "position"
        static let recordedAt = "recordedAt"
        static let settings = "settings"
        static let settingsVersion = "settingsVersion"
    }

    /// The last applied log position (0: nothing applied).
    public func position() throws -> UInt64 { try env.read { txn in try Self.getMeta(txn, dbs.meta, MetaKey.position) ?? 0 } }

    // MARK: - Reading

    /// Runs `body` with a view of the store at one position (one read transaction). The view must not escape.
    public func read<T>(_ body: (borrowing ProjectionView) throws -> T) throws -> T {
        try env.read { txn in
            let view = try ProjectionView(txn: txn, database: self)
            return try body(view)
        }
    }

    func settings(_ txn: borrowing LMDBTransaction) throws -> SettingsState {
        let version = try Self.getMeta(txn, dbs.meta, MetaKey.settingsVersion) ?? 0
        if version == 0 { return .defaults }
        if let cached = settingsCache.withLock({ $0 }), cached.version == version { return cached.settings }
        let settings = try Self.getJSON(txn, dbs.meta, MetaKey.settings, as: SettingsState.self) ?? .defaults
        settingsCache.withLock { $0 = (version, settings) }
        return settings
    }

    // MARK: - Meta values

    static func getMeta(_ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: String) throws -> UInt64? {
        try Array(key.utf8).withUnsafeBytes { k in
            try txn.get(db, key: k) { value -> UInt64 in
                guard value.count == 8 else { throw LedgerError(.closed, "projection store: meta \(key) has \(value.count) bytes") }
                return UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))
            }
        }
    }

    static func putMeta(_ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: String, _ value: UInt64) throws {
        var be = value.bigEndian
        try Array(key.utf8).withUnsafeBytes { k in
            try withUnsafeBytes(of: &be) { v in try txn.put(db, key: k, value: v) }
        }
    }

    static func getJSON<T: Decodable>(
        _ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: UnsafeRawBufferPointer, as: T.Type
    ) throws -> T? {
        try txn.get(db, key: key) { value in try JSONDecoder().decode(T.self, from: Data(value)) }
    }

    static func getJSON<T: Decodable>(
        _ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: String, as: T.Type
    ) throws -> T? {
        try Array(key.utf8).withUnsafeBytes { k in try getJSON(txn, db, k, as: T.self) }
    }

    /// An admin as stored: its stream version (u64 BE), then its JSON.
    static func getAdmin(_ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: UnsafeRawBufferPointer, cache: DecodedCache<AdminState>?) throws -> AdminState? {
        try txn.get(db, key: key) { value -> AdminState in
            guard value.count > 8 else { throw RecordDecodingError(reason: "an admin record of \(value.count) bytes", offset: 0) }
            let version = UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))
            let decode = { try JSONDecoder().decode(AdminState.self, from: Data(value.dropFirst(8))) }
            guard let cache else { return try decode() }
            return try cache.value(UUID(uuid: key.loadUnaligned(as: uuid_t.self)), version: version, decode: decode)
        }
    }

    static func putAdmin(_ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: UnsafeRawBufferPointer, _ admin: AdminState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: admin.version >> UInt64(shift))) }
        bytes += try encoder.encode(admin)
        try bytes.withUnsafeBytes { try txn.put(db, key: key, value: $0) }
    }

    static func putJSON<T: Encodable>(
        _ txn: borrowing LMDBTransaction, _ db: LMDBDatabase, _ key: UnsafeRawBufferPointer, _ value: T
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(value)
        try bytes.withUnsafeBytes { v in try txn.put(db, key: key, value: v) }
    }
}
