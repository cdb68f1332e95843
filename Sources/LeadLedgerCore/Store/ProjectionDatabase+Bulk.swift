#if canImport(Glibc)
    import Glibc
#endif
import EventLog
import Foundation
import LeadDomain

/// The state of every read model after folding events in memory, before it is written: the bulk path of a
/// rebuild. It folds with the same functions the incremental writer applies (`LeadState.evolve`,
/// `LeadFacts.evolve`, `SettingsState.evolve`, …) and indexes with the same `LeadIndexEntries`, so a bulk-built
/// store holds exactly the entries an event-by-event one does (`ProjectionStoreBulkTests` compares them).
struct BulkFold {
    var position: UInt64 = 0
    var recordedAt: Int64 = 0
    var settings: SettingsState = .defaults
    var settingsChanged = false
    var leads: [UUID: (state: LeadState, facts: LeadFacts?)] = [:]
    var customers: [UUID: CustomerState] = [:]
    var deals: [UUID: DealState] = [:]
    var admins: [UUID: AdminState] = [:]
    /// Token hash → its first holder.
    var tokenOwners: [String: UUID] = [:]
    /// History: completed stays `(step, duration, position)` and completed actions per admin.
    var stays: [(step: String, duration: Int64, position: UInt64)] = []
    var actionsCompleted: [UUID: Int64] = [:]

    mutating func apply(_ e: AppliedEvent) {
        guard e.position > position else { return }
        position = e.position
        recordedAt = e.recordedAt
        switch e.event.kind.streamKind {
        case .lead:
            guard let id = e.event.leadId else { return }
            let old = leads[id]
            guard let state = LeadState.evolve(old?.state, e.event) else { return }
            if let old {
                switch e.event {
                case .leadStepMarked(let m):
                    if let facts = old.facts { stays.append((m.from, m.at.rawValue - facts.stepEnteredAt.rawValue, e.position)) }
                case .actionCompleted(let c): actionsCompleted[c.by, default: 0] += 1
                default: break
                }
            }
            leads[id] = (state, LeadFacts.evolve(old?.facts, e.event))
        case .customer:
            guard let id = StoreWriter.customerId(e.event) else { return }
            if let customer = CustomerState.evolve(customers[id], e.event) { customers[id] = customer }
        case .deal:
            guard let id = e.event.dealId else { return }
            if let deal = DealState.evolve(deals[id], e.event) { deals[id] = deal }
        case .admin:
            guard let id = StoreWriter.adminId(e.event), let admin = AdminState.evolve(admins[id], e.event) else { return }
            admins[id] = admin
            for token in admin.tokens where tokenOwners[token.sha256] == nil { tokenOwners[token.sha256] = id }
        case .import: break  // an import's own record; its rows are lead events
        case .bulk: break  // a bulk operation's own record; its changes are lead events
        case .mailing: break  // a mailing's own record; what it sent is `MessageSent` on leads
        case .settings:
            settings = SettingsState.evolve(settings, e.event)
            settingsChanged = true
        }
    }
}

/// Keys collected for one database, then sorted and appended (`MDB_APPEND`: each page is filled once, in order).
/// Kept in one byte buffer; sorted by their first eight bytes as an integer, then by the rest (most keys differ
/// within those eight bytes, so most comparisons are one integer comparison).
struct SortedKeys {
    private var bytes: [UInt8] = []
    private var entries: [(head: UInt64, start: Int32, count: Int32)] = []

    mutating func add(_ key: StoreKey) { add(key.bytes) }

    mutating func add(_ key: [UInt8]) {
        var head: UInt64 = 0
        for i in 0..<8 { head = head << 8 | UInt64(i < key.count ? key[i] : 0) }
        entries.append((head, Int32(bytes.count), Int32(key.count)))
        bytes.append(contentsOf: key)
    }

    mutating func append(contentsOf other: SortedKeys) {
        let offset = Int32(bytes.count)
        bytes.append(contentsOf: other.bytes)
        entries.append(contentsOf: other.entries.lazy.map { ($0.head, $0.start + offset, $0.count) })
    }

    /// Keys added, duplicates included.
    var count: Int { entries.count }

    /// Puts the keys in byte order.
    mutating func sort() {
        var order = entries
        entries = []
        bytes.withUnsafeBytes { all in
            let base = all.baseAddress!
            order.sort { a, b in
                if a.head != b.head { return a.head < b.head }
                let common = Int(min(a.count, b.count))
                let c = memcmp(base + Int(a.start), base + Int(b.start), common)
                return c != 0 ? c < 0 : a.count < b.count
            }
        }
        entries = order
    }

    /// Visits sorted keys from entry `cursor`: each distinct key with how many times it was added, at most
    /// `limit` of them, leaving `cursor` at the next distinct key (`count` at the end). Call `sort()` first.
    func visit(from cursor: inout Int, limit: Int, _ body: (UnsafeRawBufferPointer, Int) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { all in
            let base = all.baseAddress!
            func same(_ a: (head: UInt64, start: Int32, count: Int32), _ b: (head: UInt64, start: Int32, count: Int32)) -> Bool {
                a.head == b.head && a.count == b.count && memcmp(base + Int(a.start), base + Int(b.start), Int(a.count)) == 0
            }
            var visited = 0
            while cursor < entries.count && visited < limit {
                var run = 1
                while cursor + run < entries.count && same(entries[cursor], entries[cursor + run]) { run += 1 }
                try body(UnsafeRawBufferPointer(start: base + Int(entries[cursor].start), count: Int(entries[cursor].count)), run)
                cursor += run
                visited += 1
            }
        }
    }
}

/// What the per-lead pass of a bulk build produces for a slice of the leads (in id order): their encoded records
/// and their index entries.
private struct BulkSlice: Sendable {
    var records: [(id: UUID, bytes: [UInt8])] = []
    var order = SortedKeys()
    /// `recency` entries, each its key then its value (the keys are unique, so the values never decide the order).
    var recency = SortedKeys()
    /// `sets` keys (prefix and id), each once per lead.
    var sets = SortedKeys()
    /// Counter buckets: how many of the slice's leads each adds one to.
    var buckets: [StoreKey: Int64] = [:]

    init(_ ids: ArraySlice<UUID>, _ leads: [UUID: (state: LeadState, facts: LeadFacts?)], _ ranks: StepRanks) {
        records.reserveCapacity(ids.count)
        var writer = BinaryWriter(capacity: 4_096)
        for id in ids {
            let lead = leads[id]!
            let record = LeadStoreRecord(state: lead.state, facts: lead.facts)
            writer.removeAll()
            record.encode(into: &writer)
            records.append((id, writer.bytes))
            let entries = LeadIndexEntries(record, stepRanks: ranks)
            for key in entries.order { order.add(key) }
            if let (key, summary) = entries.recency { recency.add(key.bytes + summary) }
            for prefix in Set(entries.sets) {
                var key = prefix
                key.uuid(id)
                sets.add(key)
            }
            for bucket in entries.buckets { buckets[bucket, default: 0] += 1 }
        }
    }
}

extension ProjectionDatabase {
    /// Builds an empty store from the log in bulk: every event after 0 through `asOf` folded in memory (decoded on
    /// a second thread), then each database written once, its keys sorted and appended. Returns the events
    /// applied. The store must be empty (a new generation).
    @discardableResult
    public func bulkBuild(
        log: EventLog, through asOf: AsOf? = nil, progress: ((Replayer.Progress) -> Void)? = nil
    ) throws -> UInt64 {
        guard try position() == 0, try read({ try $0.leadCount() }) == 0 else {
            throw LedgerError(.invalidArgument, "a bulk build needs an empty projection store")
        }
        var fold = BulkFold()
        try Replayer.forEachDecoded(after: 0, log: log, through: asOf, progress: progress) { fold.apply($0) }
        let position = fold.position
        try write(consume fold)
        releaseFreedMemory()
        return position
    }

    /// Writes the fold in many transactions (LMDB holds a transaction's dirty pages in memory until it commits,
    /// and at 10^6 leads the store is gigabytes) that do not wait for the disk, flushed once at the end. While it
    /// writes, the store has no format version, so a store left by an interrupted build is emptied at the next
    /// open; the last transaction, committed durably after the flush, writes the position and the format back.
    private func write(_ fold: consuming BulkFold) throws {
        typealias Meta = ProjectionDatabase.MetaKey
        try env.write { txn in _ = try Array(Meta.format.utf8).withUnsafeBytes { try txn.delete(dbs.meta, key: $0) } }
        var fold = fold
        let staySums = try env.withoutWaitingForDisk { try writeParts(&fold) }
        try env.write { txn in
            // Stay sums are signed totals kept at 0 too (as the incremental writer keeps them).
            for (step, sum) in staySums {
                var k = StoreKey(StoreSchema.CountTag.staySum.rawValue)
                k.string(step)
                var be = UInt64(bitPattern: sum).bigEndian
                try k.with { key in try withUnsafeBytes(of: &be) { try txn.put(dbs.counts, key: key, value: $0) } }
            }
            for id in fold.admins.keys.sorted(by: UUID.canonicalOrder) {
                try withUnsafeBytes(of: id.uuid) { key in try ProjectionDatabase.putAdmin(txn, dbs.admins, key, fold.admins[id]!) }
            }
            for (hash, owner) in fold.tokenOwners {
                try Array(hash.utf8).withUnsafeBytes { key in
                    try withUnsafeBytes(of: owner.uuid) { try txn.put(dbs.tokens, key: key, value: $0) }
                }
            }
            try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.position, fold.position)
            try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.recordedAt, UInt64(bitPattern: fold.recordedAt))
            if fold.settingsChanged {
                try Array(Meta.settings.utf8).withUnsafeBytes { k in try ProjectionDatabase.putJSON(txn, dbs.meta, k, fold.settings) }
                try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.settingsVersion, 1)
            }
            try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.format, UInt64(StoreSchema.formatVersion))
        }
    }

    /// Writes leads, indexes, counters and customers (every part but the last transaction's); returns the stay
    /// totals the last one writes. Empties `fold.leads` and `fold.customers` as it goes.
    private func writeParts(_ fold: inout BulkFold) throws -> [String: Int64] {
        let ranks = StepRanks(fold.settings)
        // The per-lead work (search keys, encoding, index entries) on two threads, half of each chunk of leads
        // each; the chunk's records are appended (and committed) before the next chunk is made.
        let ids = fold.leads.keys.sorted(by: UUID.canonicalOrder)
        let leads = fold.leads
        fold.leads = [:]
        var order = SortedKeys()
        var recency = SortedKeys()
        var sets = SortedKeys()
        var counts: [StoreKey: Int64] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 65_536) {
            let end = min(chunk + 65_536, ids.count)
            let half = (chunk + end) / 2
            let halves = (Slot<BulkSlice>(), Slot<BulkSlice>())
            onTwoThreads(
                { halves.0.value = BulkSlice(ids[chunk..<half], leads, ranks) },
                { halves.1.value = BulkSlice(ids[half..<end], leads, ranks) })
            try env.write { txn in
                for slice in [halves.0.value!, halves.1.value!] {
                    for (id, bytes) in slice.records {
                        try withUnsafeBytes(of: id.uuid) { key in
                            try bytes.withUnsafeBytes { try txn.put(dbs.leads, key: key, value: $0, append: true) }
                        }
                    }
                }
            }
            for slice in [halves.0.value!, halves.1.value!] {
                order.append(contentsOf: slice.order)
                recency.append(contentsOf: slice.recency)
                sets.append(contentsOf: slice.sets)
                counts.merge(slice.buckets, uniquingKeysWith: +)
            }
        }
        // Customers' sets (their order keys are added where customers are written).
        for customer in fold.customers.values {
            for prefix in CustomerIndexEntries(customer).sets {
                var key = prefix
                key.uuid(customer.id)
                sets.add(key)
            }
        }
        // The lead sets of deals (`DealIndexEntries.leadSets`), from the deals of each lead.
        var stagesByLead: [UUID: Set<String>] = [:]
        for deal in fold.deals.values where !deal.deleted {
            if let lead = deal.leadId { stagesByLead[lead, default: []].insert(deal.stage) }
        }
        for (lead, stages) in stagesByLead {
            for prefix in DealIndexEntries.leadSets(stages: stages) {
                var key = prefix
                key.uuid(lead)
                sets.add(key)
            }
        }
        let empty: [UInt8] = []
        return try empty.withUnsafeBytes { nothing in
            let recencyKeyLength = 1 + 8 + 16
            try appendSorted(&recency) { txn, entry, _ in
                try txn.put(
                    dbs.recency, key: UnsafeRawBufferPointer(rebasing: entry[..<recencyKeyLength]),
                    value: UnsafeRawBufferPointer(rebasing: entry[recencyKeyLength...]), append: true)
            }
            recency = SortedKeys()
            // Inverted indexes, and their member counts from the runs of equal prefixes (the key less the id),
            // appended to `counts` as they end: `SetTag`s sort before every `CountTag`, written after. Duplicate
            // keys of two or more live leads are groups.
            var run: (prefix: [UInt8], members: Int64)?
            var groups: Int64 = 0
            func endRun(_ txn: borrowing LMDBTransaction) throws {
                guard let (prefix, members) = run else { return }
                var be = UInt64(members).bigEndian
                try prefix.withUnsafeBytes { k in try withUnsafeBytes(of: &be) { try txn.put(dbs.counts, key: k, value: $0, append: true) } }
                if prefix.first == StoreSchema.SetTag.duplicate.rawValue && members >= 2 {
                    var k = StoreKey(StoreSchema.OrderTag.duplicateGroups.rawValue)
                    k.int64(-members)
                    order.add(StoreKey(bytes: k.bytes + prefix.dropFirst()))
                    groups += 1
                }
            }
            try appendSorted(&sets) { txn, key, _ in
                try txn.put(dbs.sets, key: key, value: nothing, append: true)
                let prefix = UnsafeRawBufferPointer(rebasing: key.dropLast(16))
                if let current = run, current.prefix.elementsEqual(prefix) {
                    run!.members += 1
                } else {
                    try endRun(txn)
                    run = (Array(prefix), 1)
                }
            }
            try env.write { txn in try endRun(txn) }
            sets = SortedKeys()
            if groups > 0 { counts[StoreSchema.counter(.duplicateGroups)] = groups }
            // History.
            var staySums: [String: Int64] = [:]
            for stay in fold.stays {
                var k = StoreKey(StoreSchema.OrderTag.stays.rawValue)
                k.string(stay.step)
                k.int64(stay.duration)
                k.int64(Int64(bitPattern: stay.position))
                order.add(k)
                var c = StoreKey(StoreSchema.CountTag.stays.rawValue)
                c.string(stay.step)
                counts[c, default: 0] += 1
                counts[StoreSchema.stayBucket(stay.step, stay.duration), default: 0] += 1
                staySums[stay.step, default: 0] &+= stay.duration
            }
            for (admin, n) in fold.actionsCompleted {
                var c = StoreKey(StoreSchema.CountTag.actionsCompleted.rawValue)
                c.uuid(admin)
                counts[c] = n
            }
            // Customers and their name order.
            try env.write { txn in
                var customerWriter = BinaryWriter(capacity: 256)
                let customers = fold.customers
                fold.customers = [:]
                for id in customers.keys.sorted(by: UUID.canonicalOrder) {
                    let customer = customers[id]!
                    customerWriter.removeAll()
                    customerWriter.write(customer: customer)
                    try withUnsafeBytes(of: id.uuid) { key in
                        try customerWriter.bytes.withUnsafeBytes { try txn.put(dbs.customers, key: key, value: $0, append: true) }
                    }
                    for k in CustomerIndexEntries(customer).order { order.add(k) }
                }
            }
            // Deals, where they are indexed, and their totals by stage and currency.
            var dealTotals: [StoreKey: DealTotals] = [:]
            try env.write { txn in
                let deals = fold.deals
                fold.deals = [:]
                for id in deals.keys.sorted(by: UUID.canonicalOrder) {
                    let deal = deals[id]!
                    try withUnsafeBytes(of: id.uuid) { key in try ProjectionDatabase.putJSON(txn, dbs.deals, key, deal) }
                    for k in DealIndexEntries.keys(deal) { order.add(k) }
                    let totals = DealTotals(deal)
                    for key in DealIndexEntries.totals(deal) { dealTotals[key, default: DealTotals()].add(totals, sign: 1) }
                }
            }
            try appendSorted(&order) { txn, key, _ in try txn.put(dbs.order, key: key, value: nothing, append: true) }
            order = SortedKeys()
            var sortedCounts = counts.filter { $0.value != 0 }.map { ($0.key, $0.value) }
            counts = [:]
            sortedCounts.sort { $0.0 < $1.0 }
            for start in stride(from: 0, to: sortedCounts.count, by: Self.entriesPerBulkTransaction) {
                try env.write { txn in
                    for (key, value) in sortedCounts[start..<min(start + Self.entriesPerBulkTransaction, sortedCounts.count)] {
                        var be = UInt64(value).bigEndian
                        try key.with { k in try withUnsafeBytes(of: &be) { try txn.put(dbs.counts, key: k, value: $0, append: true) } }
                    }
                }
            }
            // `dealTotals` sorts after every other counter.
            try env.write { txn in
                for key in dealTotals.keys.sorted() {
                    try key.with { k in try dealTotals[key]!.bytes.withUnsafeBytes { try txn.put(dbs.counts, key: k, value: $0, append: true) } }
                }
            }
            return staySums
        }
    }

    /// Distinct keys a bulk build appends per transaction.
    static let entriesPerBulkTransaction = 1 << 20

    /// Sorts `keys` and hands each distinct key (with its count) to `put`, committing every
    /// `entriesPerBulkTransaction` keys.
    private func appendSorted(
        _ keys: inout SortedKeys, _ put: (borrowing LMDBTransaction, UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        keys.sort()
        var cursor = 0
        while cursor < keys.count {
            try env.write { txn in
                try keys.visit(from: &cursor, limit: Self.entriesPerBulkTransaction) { key, n in try put(txn, key, n) }
            }
        }
    }
}

/// A result written by one thread and read after both finished.
private final class Slot<Value>: @unchecked Sendable {
    // @unchecked: written by one thread before `onTwoThreads` returns, read after.
    var value: Value?
}

/// Runs `first` on a thread of its own and `second` on the caller's, and returns when both are done (CPU-bound
/// bulk work: a dedicated thread, never one of the cooperative pool's).
private func onTwoThreads(_ first: @escaping @Sendable () -> Void, _ second: () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        first()
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    second()
    done.wait()
}

/// Hands the memory a bulk build freed (gigabytes at 10^6 leads) back to the system now: glibc keeps freed blocks
/// in its arenas, so a server that built its store at start would otherwise keep that much resident.
private func releaseFreedMemory() {
    #if canImport(Glibc)
        // `malloc_trim` is glibc's (malloc.h, which the Glibc module does not export): looked up, absent elsewhere.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        let trim = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        _ = trim(0)
    #endif
}
