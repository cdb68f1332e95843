import CLMDB
import Foundation

/// A thin, typed layer over an LMDB environment.
///
/// Transactions and cursors exist only inside the synchronous closures that receive them
/// (`read { txn in }`, `writeTransaction { txn in }`): they are non-copyable and passed `borrowing`,
/// so they cannot be stored or returned, and byte buffers handed to closures must be copied out
/// before the closure returns. No `await` can happen inside (the closures are synchronous).
///
/// The environment is opened with `MDB_NOTLS` (read transactions are not tied to threads, so the
/// cooperative pool may run them anywhere) and stale reader slots are cleared at open.
///
/// Map growth (`mdb_env_set_mapsize`) requires that no transaction is active in this process:
/// every read transaction holds the read side of `gate`, and `growMap` takes the write side.
package final class LMDBEnvironment: @unchecked Sendable {
    // @unchecked: `handle` is only used through LMDB calls that are safe across threads with MDB_NOTLS,
    // and `mdb_env_set_mapsize`/`mdb_env_close` run under the exclusive side of `gate`.
    private let handle: OpaquePointer
    private let gate = ReadersWriterLock()
    private let closedFlag = LockedValue(false)

    /// How much a commit waits for the disk.
    package enum Durability: Sendable {
        /// Data and meta pages are flushed on every commit (the log).
        case full
        /// `MDB_NOMETASYNC`: data pages are flushed, the meta page is not, so a system crash may undo the last
        /// commits but never tears the database (a rebuildable store whose position is in the same commit).
        case lastCommitsMayBeLost
        /// `MDB_NOSYNC`: nothing is flushed; a system crash may tear the database. Only for databases that are
        /// deleted after use (temporary replays, tests).
        case none
    }

    package init(
        directory: String, mapSize: Int, maxDatabases: UInt32, maxReaders: UInt32, durability: Durability = .full
    ) throws {
        var env: OpaquePointer?
        try LMDBEnvironment.check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw EventLogError.lmdb(code: -1, message: "mdb_env_create returned no environment") }
        handle = env
        do {
            try LMDBEnvironment.check(mdb_env_set_maxdbs(env, MDB_dbi(maxDatabases)), "mdb_env_set_maxdbs")
            try LMDBEnvironment.check(mdb_env_set_maxreaders(env, maxReaders), "mdb_env_set_maxreaders")
            try LMDBEnvironment.check(mdb_env_set_mapsize(env, mapSize), "mdb_env_set_mapsize")
            // MDB_NOSYNC only for throw-away databases; never MDB_WRITEMAP.
            var flags = UInt32(MDB_NOTLS)
            if durability == .lastCommitsMayBeLost { flags |= UInt32(MDB_NOMETASYNC) }
            if durability == .none { flags |= UInt32(MDB_NOSYNC) }
            try LMDBEnvironment.check(mdb_env_open(env, directory, flags, 0o644), "mdb_env_open")
            var dead: Int32 = 0
            try LMDBEnvironment.check(mdb_reader_check(env, &dead), "mdb_reader_check")
            try Self.checkFileCoversPages(env, directory: directory)
        } catch {
            // Every stored property is set, so a throwing init still runs `deinit`, which closes the handle (closing
            // it here as well was a double free).
            throw error
        }
    }

    deinit { close() }

    /// Throws when `data.mdb` is shorter than the pages its last commit uses (a truncated or torn copy): the first
    /// transaction would touch a page past the end of the file, which faults (SIGBUS) instead of failing.
    private static func checkFileCoversPages(_ env: OpaquePointer, directory: String) throws {
        let used = try usedBytes(env)
        let path = directory + "/data.mdb"
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return }
        if size < used {
            throw EventLogError.lmdb(code: MDB_INVALID, message: "\(path) has \(size) bytes, its pages need \(used): truncated")
        }
    }

    /// Closes the environment once every running read transaction has finished.
    package func close() {
        gate.withWriteLock {
            let wasClosed = closedFlag.withLock { closed in
                defer { closed = true }
                return closed
            }
            if !wasClosed { mdb_env_close(handle) }
        }
    }

    package var isClosed: Bool { closedFlag.withLock { $0 } }

    /// The current map size in bytes.
    package var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Grows the map to `newSize` bytes. Waits until no read transaction is running; must be called
    /// by the writer while it has no write transaction open.
    package func growMap(to newSize: Int) throws {
        var result: Int32 = 0
        gate.withWriteLock {
            result = mdb_env_set_mapsize(handle, newSize)
        }
        try LMDBEnvironment.check(result, "mdb_env_set_mapsize")
    }

    /// Runs `body` inside one read-only transaction.
    package func read<T>(_ body: (borrowing LMDBTransaction) throws -> T) throws -> T {
        gate.lockRead()
        defer { gate.unlockRead() }
        if isClosed { throw EventLogError.closed() }
        var txn: OpaquePointer?
        try LMDBEnvironment.check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin(read)")
        let transaction = LMDBTransaction(txn!)
        defer { mdb_txn_abort(txn) }
        return try body(transaction)
    }

    /// Runs `body` inside a write transaction and commits it (durably) when `body` returns; aborts it
    /// when `body` throws. Only the writer thread calls this (LMDB allows one write transaction).
    package func write<T>(_ body: (borrowing LMDBTransaction) throws -> T) throws -> T {
        if isClosed { throw EventLogError.closed() }
        var txn: OpaquePointer?
        try LMDBEnvironment.check(mdb_txn_begin(handle, nil, 0, &txn), "mdb_txn_begin(write)")
        let value: T
        do {
            value = try body(LMDBTransaction(txn!))
        } catch {
            mdb_txn_abort(txn)
            throw error
        }
        // mdb_txn_commit frees the transaction even when it fails.
        try LMDBEnvironment.check(mdb_txn_commit(txn), "mdb_txn_commit")
        return value
    }

    /// Runs `body` (a series of write transactions) with commits that do not wait for the disk, then flushes
    /// everything they wrote at once. For a bulk load whose result is marked complete only by a transaction
    /// committed after this returns: a crash meanwhile may tear what `body` wrote, never that mark.
    package func withoutWaitingForDisk<T>(_ body: () throws -> T) throws -> T {
        var flags: UInt32 = 0
        try LMDBEnvironment.check(mdb_env_get_flags(handle, &flags), "mdb_env_get_flags")
        let alreadyUnsynced = flags & UInt32(MDB_NOSYNC) != 0
        if !alreadyUnsynced { try LMDBEnvironment.check(mdb_env_set_flags(handle, UInt32(MDB_NOSYNC), 1), "mdb_env_set_flags") }
        defer { if !alreadyUnsynced { mdb_env_set_flags(handle, UInt32(MDB_NOSYNC), 0) } }
        let value = try body()
        try LMDBEnvironment.check(mdb_env_sync(handle, 1), "mdb_env_sync")
        return value
    }

    /// Writes a compacted copy of the environment (free pages left out) into the empty directory `path`, as
    /// of one read transaction: a consistent copy while writers go on.
    package func copyCompacted(to path: String) throws {
        gate.lockRead()
        defer { gate.unlockRead() }
        if isClosed { throw EventLogError.closed() }
        try LMDBEnvironment.check(mdb_env_copy2(handle, path, UInt32(MDB_CP_COMPACT)), "mdb_env_copy2")
    }

    /// Bytes in use by the environment's pages (last page number × page size), not the file's sparse size.
    package func usedBytes() throws -> Int { try Self.usedBytes(handle) }

    private static func usedBytes(_ env: OpaquePointer) throws -> Int {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        try check(mdb_env_info(env, &info), "mdb_env_info")
        try check(mdb_env_stat(env, &stat), "mdb_env_stat")
        return (info.me_last_pgno + 1) * Int(stat.ms_psize)
    }

    package static func check(_ code: Int32, _ operation: String) throws {
        if code != 0 { throw EventLogError.lmdb(code: code, operation: operation) }
    }
}

/// A database handle (`MDB_dbi`) opened once at start-up.
package struct LMDBDatabase: Sendable, Hashable {
    package let dbi: MDB_dbi
}

/// A transaction, valid only inside the closure that receives it.
package struct LMDBTransaction: ~Copyable {
    fileprivate let txn: OpaquePointer

    fileprivate init(_ txn: OpaquePointer) { self.txn = txn }

    /// A second handle on this transaction for a non-copyable view that lives inside the same closure (it is
    /// only valid while this transaction is: a view holding it must be borrowed, never stored).
    package func alias() -> LMDBTransaction { LMDBTransaction(txn) }

    package func openDatabase(_ name: String, create: Bool) throws -> LMDBDatabase {
        var dbi: MDB_dbi = 0
        try LMDBEnvironment.check(
            mdb_dbi_open(txn, name, create ? UInt32(MDB_CREATE) : 0, &dbi), "mdb_dbi_open(\(name))")
        return LMDBDatabase(dbi: dbi)
    }

    /// Runs `body` inside a nested transaction: committed into this one when `body` returns,
    /// rolled back alone when it throws.
    package func nested<T>(_ body: (borrowing LMDBTransaction) throws -> T) throws -> T {
        var child: OpaquePointer?
        try LMDBEnvironment.check(mdb_txn_begin(mdb_txn_env(txn), txn, 0, &child), "mdb_txn_begin(nested)")
        let value: T
        do {
            value = try body(LMDBTransaction(child!))
        } catch {
            mdb_txn_abort(child)
            throw error
        }
        try LMDBEnvironment.check(mdb_txn_commit(child), "mdb_txn_commit(nested)")
        return value
    }

    /// Looks `key` up and hands the value (valid only inside `body`) to `body`; nil when absent.
    package func get<T>(
        _ db: LMDBDatabase, key: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val()
        let rc = mdb_get(txn, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBEnvironment.check(rc, "mdb_get")
        return try body(UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Stores `value` under `key`. `append` uses MDB_APPEND (the key must sort after every existing key);
    /// `noOverwrite` fails with MDB_KEYEXIST when the key exists.
    package func put(
        _ db: LMDBDatabase, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        append: Bool = false, noOverwrite: Bool = false
    ) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        var flags: UInt32 = 0
        if append { flags |= UInt32(MDB_APPEND) }
        if noOverwrite { flags |= UInt32(MDB_NOOVERWRITE) }
        try LMDBEnvironment.check(mdb_put(txn, db.dbi, &k, &v, flags), "mdb_put")
    }

    /// Like `put(noOverwrite:)`, but tries `MDB_APPEND` first: a key that sorts after every key (a position,
    /// a time-ordered UUIDv7) goes straight to the B-tree's right edge, and a full last page splits at its
    /// end (packed pages instead of half-full ones). Any other key is inserted normally. LMDB answers a
    /// non-last key under `MDB_APPEND` with `MDB_KEYEXIST` before touching anything, so the retry is safe.
    package func putPreferringAppend(
        _ db: LMDBDatabase, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, noOverwrite: Bool = false
    ) throws {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var v = MDB_val(mv_size: value.count, mv_data: UnsafeMutableRawPointer(mutating: value.baseAddress))
        var rc = mdb_put(txn, db.dbi, &k, &v, UInt32(MDB_APPEND))
        if rc == MDB_KEYEXIST {
            rc = mdb_put(txn, db.dbi, &k, &v, noOverwrite ? UInt32(MDB_NOOVERWRITE) : 0)
        }
        try LMDBEnvironment.check(rc, "mdb_put")
    }

    /// Removes `key` (and its value); returns false when it was absent.
    @discardableResult
    package func delete(_ db: LMDBDatabase, key: UnsafeRawBufferPointer) throws -> Bool {
        var k = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        let rc = mdb_del(txn, db.dbi, &k, nil)
        if rc == MDB_NOTFOUND { return false }
        try LMDBEnvironment.check(rc, "mdb_del")
        return true
    }

    /// Removes every entry of `db` (the database stays).
    package func empty(_ db: LMDBDatabase) throws {
        try LMDBEnvironment.check(mdb_drop(txn, db.dbi, 0), "mdb_drop")
    }

    /// Number of entries in `db`.
    package func count(_ db: LMDBDatabase) throws -> Int {
        var stat = MDB_stat()
        try LMDBEnvironment.check(mdb_stat(txn, db.dbi, &stat), "mdb_stat")
        return stat.ms_entries
    }

    /// Runs `body` with a cursor over `db`, closed when `body` returns.
    package func withCursor<T>(
        _ db: LMDBDatabase, _ body: (borrowing LMDBCursor) throws -> T
    ) throws -> T {
        var cursor: OpaquePointer?
        try LMDBEnvironment.check(mdb_cursor_open(txn, db.dbi, &cursor), "mdb_cursor_open")
        defer { mdb_cursor_close(cursor) }
        return try body(LMDBCursor(cursor!))
    }
}

/// A cursor, valid only inside the closure that receives it. Positioning calls hand the key and value
/// to a closure; the buffers are valid only inside that closure.
package struct LMDBCursor: ~Copyable {
    fileprivate let cursor: OpaquePointer

    fileprivate init(_ cursor: OpaquePointer) { self.cursor = cursor }

    /// Visits entries in key order starting at the first key ≥ `start` (or the first key when nil),
    /// until `body` returns false or the database ends.
    package func scan(
        from start: UnsafeRawBufferPointer?,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var k = MDB_val()
        var v = MDB_val()
        var op = MDB_FIRST
        if let start {
            k = MDB_val(mv_size: start.count, mv_data: UnsafeMutableRawPointer(mutating: start.baseAddress))
            op = MDB_SET_RANGE
        }
        while true {
            let rc = mdb_cursor_get(cursor, &k, &v, op)
            if rc == MDB_NOTFOUND { return }
            try LMDBEnvironment.check(rc, "mdb_cursor_get")
            let go = try body(
                UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
            if !go { return }
            op = MDB_NEXT
        }
    }

    /// Visits entries in descending key order starting at the last key ≤ `start` (or the last key when nil),
    /// until `body` returns false or the database's first entry was visited.
    package func scanBackward(
        from start: UnsafeRawBufferPointer?,
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        var k = MDB_val()
        var v = MDB_val()
        var rc: Int32
        if let start {
            k = MDB_val(mv_size: start.count, mv_data: UnsafeMutableRawPointer(mutating: start.baseAddress))
            rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)
            if rc == MDB_NOTFOUND {
                rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
            } else if rc == 0 {
                // SET_RANGE found the first key ≥ start; step back unless it is start itself.
                let found = UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size)
                if !found.elementsEqual(start) { rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV) }
            }
        } else {
            rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
        }
        while true {
            if rc == MDB_NOTFOUND { return }
            try LMDBEnvironment.check(rc, "mdb_cursor_get")
            let go = try body(
                UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
            if !go { return }
            rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV)
        }
    }

    /// Moves to the first entry (`first`) or the next one and hands it to `body`; nil past the last entry.
    package func advance<T>(
        first: Bool, _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, first ? MDB_FIRST : MDB_NEXT)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBEnvironment.check(rc, "mdb_cursor_get(next)")
        return try body(
            UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }

    /// Hands the last entry to `body`; nil when the database is empty.
    package func last<T>(
        _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> T
    ) throws -> T? {
        var k = MDB_val()
        var v = MDB_val()
        let rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBEnvironment.check(rc, "mdb_cursor_get(last)")
        return try body(
            UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
            UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }
}
