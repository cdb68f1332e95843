import EventLog
import Foundation

extension ProjectionDatabase {
    /// Applies the log's events after the stored position through `asOf` (default: the head), in transactions of
    /// `batchSize` events. Returns the number applied. On an error the batches before it stay applied.
    ///
    /// An empty store facing more than `bulkThreshold` events is built in bulk first (`bulkBuild`: folded in
    /// memory, each database written once in key order), then the events committed meanwhile are applied. The
    /// bulk fold holds every lead in memory, so it covers at most `bulkEvents` events (by default as many as
    /// half the machine's memory holds, `bulkEventBudget`); the events past them are applied in batches, whose
    /// memory is bounded. A time limit (`asOf: .time`) beyond that budget is applied in batches throughout.
    @discardableResult
    public func catchUp(
        log: EventLog, through asOf: AsOf? = nil, batchSize: Int = 4_096, bulkThreshold: UInt64 = 50_000,
        bulkEvents: UInt64 = ProjectionDatabase.bulkEventBudget, progress: ((Replayer.Progress) -> Void)? = nil
    ) throws -> UInt64 {
        let start = try position()
        if start == 0, log.head > bulkThreshold, try read({ try $0.leadCount() }) == 0 {
            var through = asOf
            var bulk = bulkEvents > bulkThreshold
            if log.head > bulkEvents {
                switch asOf {
                case nil: through = .position(bulkEvents)
                case .position(let limit): through = .position(min(limit, bulkEvents))
                case .time: bulk = false
                }
            }
            if bulk { try bulkBuild(log: log, through: through, progress: progress) }
        }
        let resume = try position()
        var batch: [AppliedEvent] = []
        batch.reserveCapacity(batchSize)
        var failure: (any Error)?
        try Replayer.forEachDecoded(after: resume, log: log, through: asOf, progress: progress) { event in
            guard failure == nil else { return }
            batch.append(event)
            if batch.count == batchSize {
                do { try apply(batch) } catch { failure = error }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if let failure { throw failure }
        try apply(batch)
        return try position() - start
    }
}

extension ProjectionDatabase {
    /// How many events a bulk fold may hold: half the physical memory at the peak measured per event of a
    /// generated log (about 1.3 KB: the folded leads, their records and index keys before they are sorted).
    public static let bulkEventBudget: UInt64 = ProcessInfo.processInfo.physicalMemory / 2 / 1_400

    /// Writes a compacted copy of the store as of one read transaction into `<parent>/<position>` (a directory
    /// holding `data.mdb`; written under a temporary name and renamed when complete). Returns the directory,
    /// its size and the position. An existing snapshot of the same position is kept.
    public func snapshot(into parent: String) throws -> (path: String, bytes: Int, position: UInt64) {
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let position = try self.position()
        let target = parent + "/\(position)"
        let file = target + "/data.mdb"
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int {
            return (target, size, position)
        }
        let temporary = parent + "/.\(position).\(ProcessInfo.processInfo.processIdentifier).tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
        do {
            // The copy is one read transaction: writers go on meanwhile, and its position is read inside it.
            try env.copyCompacted(to: temporary)
            let copied = try ProjectionDatabase(directory: temporary, emptyOnMismatch: false)
            let copiedPosition = try copied.position()
            copied.close()
            try? FileManager.default.removeItem(atPath: temporary + "/lock.mdb")
            let named = parent + "/\(copiedPosition)"
            if FileManager.default.fileExists(atPath: named) {
                try FileManager.default.removeItem(atPath: temporary)
            } else {
                try FileManager.default.moveItem(atPath: temporary, toPath: named)
            }
            let size = (try FileManager.default.attributesOfItem(atPath: named + "/data.mdb")[.size] as? Int) ?? 0
            return (named, size, copiedPosition)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}

extension ProjectionDatabase {
    /// The first difference between this store's contents and `other`'s, database by database and entry by entry
    /// (`meta` compared on the position, format and settings only: its other entries count batches); nil when
    /// they hold the same entries. Each store is read in one transaction.
    public func firstDifference(from other: ProjectionDatabase) throws -> String? {
        try env.read { mine in
            try other.env.read { theirs in
                typealias Meta = ProjectionDatabase.MetaKey
                for key in [Meta.format, Meta.position, Meta.settings] {
                    let a = try Array(key.utf8).withUnsafeBytes { k in try mine.get(dbs.meta, key: k) { Array($0) } }
                    let b = try Array(key.utf8).withUnsafeBytes { k in try theirs.get(other.dbs.meta, key: k) { Array($0) } }
                    if a != b { return "meta/\(key)" }
                }
                let pairs = zip(dbs.named, other.dbs.named).dropFirst().map { ($0.name, $0.db, $1.db) }
                for (name, a, b) in pairs {
                    if try mine.count(a) != theirs.count(b) {
                        return "\(name): \(try mine.count(a)) entries vs \(try theirs.count(b))"
                    }
                    var difference: String?
                    try mine.withCursor(a) { left in
                        try theirs.withCursor(b) { right in
                            var index = 0
                            while true {
                                let a = try left.advance(first: index == 0) { k, v in (Array(k), Array(v)) }
                                let same = try right.advance(first: index == 0) { k, v in
                                    a.map { $0.0.elementsEqual(k) && $0.1.elementsEqual(v) } ?? false
                                }
                                if a == nil && same == nil { break }
                                if same != true {
                                    difference = "\(name): entry \(index) differs"
                                    break
                                }
                                index += 1
                            }
                        }
                    }
                    if let difference { return difference }
                }
                return nil
            }
        }
    }
}

extension ProjectionDatabase {
    /// Bytes the store's pages take (its file may be larger: LMDB keeps freed pages for reuse).
    public func bytesOnDisk() throws -> UInt64 { UInt64(try env.usedBytes()) }
}
