import EventLog
import Foundation
import LeadDomain

extension ProjectionDatabase {
    /// Applies committed events (in log order) in one write transaction, with the new position; events at or
    /// before the stored position are skipped, so replaying an overlap is harmless. Call from one thread at a
    /// time (the applier's); it blocks on the commit.
    public func apply(_ events: [AppliedEvent]) throws {
        guard !events.isEmpty else { return }
        try env.write { txn in
            var writer = try StoreWriter(txn: txn, database: self)
            for event in events { try writer.apply(event, txn) }
            try writer.finish(txn)
        }
    }
}

/// The state of one write transaction: the position and settings as they move through a batch.
struct StoreWriter {
    let dbs: ProjectionDatabase.Databases
    var position: UInt64
    var recordedAt: Int64
    var settings: SettingsState
    var settingsChanged = false
    var ranks: StepRanks
    /// Serialization buffer reused for every record.
    var buffer = BinaryWriter(capacity: 4_096)

    init(txn: borrowing LMDBTransaction, database: ProjectionDatabase) throws {
        dbs = database.dbs
        position = try ProjectionDatabase.getMeta(txn, dbs.meta, ProjectionDatabase.MetaKey.position) ?? 0
        recordedAt = Int64(bitPattern: try ProjectionDatabase.getMeta(txn, dbs.meta, ProjectionDatabase.MetaKey.recordedAt) ?? 0)
        settings = try database.settings(txn)
        ranks = StepRanks(settings)
    }

    mutating func apply(_ e: AppliedEvent, _ txn: borrowing LMDBTransaction) throws {
        guard e.position > position else { return }
        position = e.position
        recordedAt = e.recordedAt
        switch e.event.kind.streamKind {
        case .lead: try applyLeadEvent(e, txn)
        case .customer: try applyCustomerEvent(e.event, txn)
        case .deal: try applyDealEvent(e.event, txn)
        case .admin: try applyAdminEvent(e.event, txn)
        case .import: break  // an import's own record; its rows are lead events
        case .bulk: break  // a bulk operation's own record; its changes are lead events
        case .mailing: break  // a mailing's own record; what it sent is `MessageSent` on leads
        case .settings:
            settings = SettingsState.evolve(settings, e.event)
            settingsChanged = true
            let newRanks = StepRanks(settings)
            if newRanks != ranks {
                try rerank(from: ranks, to: newRanks, txn)
                ranks = newRanks
            }
        }
    }

    mutating func finish(_ txn: borrowing LMDBTransaction) throws {
        typealias Meta = ProjectionDatabase.MetaKey
        try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.position, position)
        try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.recordedAt, UInt64(bitPattern: recordedAt))
        if settingsChanged {
            try Array(Meta.settings.utf8).withUnsafeBytes { k in try ProjectionDatabase.putJSON(txn, dbs.meta, k, settings) }
            let version = try ProjectionDatabase.getMeta(txn, dbs.meta, Meta.settingsVersion) ?? 0
            try ProjectionDatabase.putMeta(txn, dbs.meta, Meta.settingsVersion, version + 1)
        }
    }

    // MARK: - Leads

    private mutating func applyLeadEvent(_ e: AppliedEvent, _ txn: borrowing LMDBTransaction) throws {
        guard let id = e.event.leadId else { return }
        let old = try Self.record(id, txn, dbs)
        guard let newState = LeadState.evolve(old?.state, e.event) else { return }
        let new = LeadStoreRecord(state: newState, facts: LeadFacts.evolve(old?.facts, e.event), reusing: old)
        if old != nil { try recordHistory(e, factsBefore: old?.facts, txn) }
        try put(new, txn)
        try reindex(old.map { LeadIndexEntries($0, stepRanks: ranks) } ?? LeadIndexEntries(), LeadIndexEntries(new, stepRanks: ranks), id: id, txn)
    }

    static func record(_ id: UUID, _ txn: borrowing LMDBTransaction, _ dbs: ProjectionDatabase.Databases) throws -> LeadStoreRecord? {
        try withUnsafeBytes(of: id.uuid) { key in try txn.get(dbs.leads, key: key) { try LeadStoreRecord.decode($0) } }
    }

    private mutating func put(_ record: LeadStoreRecord, _ txn: borrowing LMDBTransaction) throws {
        buffer.removeAll()
        record.encode(into: &buffer)
        try withUnsafeBytes(of: record.state.id.uuid) { key in
            try buffer.bytes.withUnsafeBytes { value in try txn.put(dbs.leads, key: key, value: value) }
        }
    }

    /// Moves a lead's entries from `old` to `new`: only the entries that differ are written.
    func reindex(_ old: LeadIndexEntries, _ new: LeadIndexEntries, id: UUID, _ txn: borrowing LMDBTransaction) throws {
        if old == new { return }
        if old.recency?.key != new.recency?.key || old.recency?.summary != new.recency?.summary {
            if let before = old.recency?.key, before != new.recency?.key { try before.with { _ = try txn.delete(dbs.recency, key: $0) } }
            if let (key, summary) = new.recency {
                try key.with { k in try summary.withUnsafeBytes { try txn.put(dbs.recency, key: k, value: $0) } }
            }
        }
        let empty: [UInt8] = []
        try empty.withUnsafeBytes { nothing in
            let oldOrder = Set(old.order)
            let newOrder = Set(new.order)
            for key in oldOrder where !newOrder.contains(key) { try key.with { _ = try txn.delete(dbs.order, key: $0) } }
            for key in newOrder where !oldOrder.contains(key) { try key.with { try txn.put(dbs.order, key: $0, value: nothing) } }

            let oldSets = Set(old.sets)
            let newSets = Set(new.sets)
            for prefix in oldSets where !newSets.contains(prefix) {
                var key = prefix
                key.uuid(id)
                try key.with { _ = try txn.delete(dbs.sets, key: $0) }
                let size = try Self.addCount(-1, prefix, txn, dbs)
                if prefix.bytes.first == StoreSchema.SetTag.duplicate.rawValue { try resizeGroup(prefix, from: size + 1, to: size, txn) }
            }
            for prefix in newSets where !oldSets.contains(prefix) {
                var key = prefix
                key.uuid(id)
                try key.with { try txn.put(dbs.sets, key: $0, value: nothing) }
                let size = try Self.addCount(1, prefix, txn, dbs)
                if prefix.bytes.first == StoreSchema.SetTag.duplicate.rawValue { try resizeGroup(prefix, from: size - 1, to: size, txn) }
            }
        }
        if old.buckets != new.buckets {
            for bucket in old.buckets { try Self.addCount(-1, bucket, txn, dbs) }
            for bucket in new.buckets { try Self.addCount(1, bucket, txn, dbs) }
        }
    }

    /// Moves a duplicate key's group entry when its number of live leads changed (a group has two or more).
    private func resizeGroup(_ setPrefix: StoreKey, from old: Int64, to new: Int64, _ txn: borrowing LMDBTransaction) throws {
        let keyPart = setPrefix.bytes.dropFirst()
        func groupKey(_ size: Int64) -> StoreKey {
            var k = StoreKey(StoreSchema.OrderTag.duplicateGroups.rawValue)
            k.int64(-size)
            return StoreKey(bytes: k.bytes + keyPart)
        }
        let groups = StoreSchema.counter(.duplicateGroups)
        if old >= 2 {
            try groupKey(old).with { _ = try txn.delete(dbs.order, key: $0) }
            try Self.addCount(-1, groups, txn, dbs)
        }
        if new >= 2 {
            let empty: [UInt8] = []
            try groupKey(new).with { k in try empty.withUnsafeBytes { try txn.put(dbs.order, key: k, value: $0) } }
            try Self.addCount(1, groups, txn, dbs)
        }
    }

    /// What a lead event adds to report history: a completed stay on a step, a completed action.
    private func recordHistory(_ e: AppliedEvent, factsBefore: LeadFacts?, _ txn: borrowing LMDBTransaction) throws {
        switch e.event {
        case .leadStepMarked(let m):
            guard let facts = factsBefore else { return }
            let duration = m.at.rawValue - facts.stepEnteredAt.rawValue
            var k = StoreKey(StoreSchema.OrderTag.stays.rawValue)
            k.string(m.from); k.int64(duration); k.int64(Int64(bitPattern: e.position))
            let empty: [UInt8] = []
            try k.with { key in try empty.withUnsafeBytes { try txn.put(dbs.order, key: key, value: $0) } }
            var count = StoreKey(StoreSchema.CountTag.stays.rawValue)
            count.string(m.from)
            try Self.addCount(1, count, txn, dbs)
            try Self.addCount(1, StoreSchema.stayBucket(m.from, duration), txn, dbs)
            var sum = StoreKey(StoreSchema.CountTag.staySum.rawValue)
            sum.string(m.from)
            try Self.addSigned(duration, sum, txn, dbs)
        case .actionCompleted(let c):
            var k = StoreKey(StoreSchema.CountTag.actionsCompleted.rawValue)
            k.uuid(c.by)
            try Self.addCount(1, k, txn, dbs)
        default: return
        }
    }

    /// Adds to a signed total (stored as its bit pattern; kept when it reaches 0).
    static func addSigned(_ delta: Int64, _ key: StoreKey, _ txn: borrowing LMDBTransaction, _ dbs: ProjectionDatabase.Databases) throws {
        try key.with { k in
            let current = try txn.get(dbs.counts, key: k) { Int64(bitPattern: UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self))) } ?? 0
            var be = UInt64(bitPattern: current &+ delta).bigEndian
            try withUnsafeBytes(of: &be) { try txn.put(dbs.counts, key: k, value: $0) }
        }
    }

    /// Adds `delta` to the counter under `key` (removed when it reaches 0); returns the new value.
    @discardableResult
    static func addCount(_ delta: Int64, _ key: StoreKey, _ txn: borrowing LMDBTransaction, _ dbs: ProjectionDatabase.Databases) throws -> Int64 {
        try key.with { k in
            let current = try txn.get(dbs.counts, key: k) { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) } ?? 0
            let next = Int64(current) + delta
            precondition(next >= 0, "projection store counter below zero")
            if next == 0 {
                _ = try txn.delete(dbs.counts, key: k)
            } else {
                var be = UInt64(next).bigEndian
                try withUnsafeBytes(of: &be) { try txn.put(dbs.counts, key: k, value: $0) }
            }
            return next
        }
    }

    /// Rewrites every lead's `step` order entry after the pipeline's ranks changed.
    private func rerank(from old: StepRanks, to new: StepRanks, _ txn: borrowing LMDBTransaction) throws {
        var moves: [(StoreKey, StoreKey)] = []
        try txn.withCursor(dbs.leads) { cursor in
            try cursor.scan(from: nil) { _, value in
                let lead = try LeadStoreRecord.decode(value).state
                func key(_ ranks: StepRanks) -> StoreKey {
                    var k = StoreKey(StoreSchema.OrderTag.step.rawValue)
                    k.int64(ranks.rank(lead.step)); k.int64(lead.updatedAt.rawValue); k.uuid(lead.id)
                    return k
                }
                let (before, after) = (key(old), key(new))
                if before != after { moves.append((before, after)) }
                return true
            }
        }
        let empty: [UInt8] = []
        try empty.withUnsafeBytes { nothing in
            for (before, _) in moves { try before.with { _ = try txn.delete(dbs.order, key: $0) } }
            for (_, after) in moves { try after.with { try txn.put(dbs.order, key: $0, value: nothing) } }
        }
    }

    // MARK: - Customers and admins

    /// The customer a customer event is about.
    static func customerId(_ event: DomainEvent) -> UUID? {
        switch event {
        case .customerRegistered(let e): e.customerId
        case .customerUpdated(let e): e.customerId
        case .customerCompanyChanged(let e): e.customerId
        case .customerDeleted(let e): e.customerId
        case .customerRestored(let e): e.customerId
        default: nil
        }
    }

    /// The admin an admin event is about.
    static func adminId(_ event: DomainEvent) -> UUID? {
        switch event {
        case .adminCreated(let e): e.adminId
        case .roleChanged(let e): e.adminId
        case .permissionsChanged(let e): e.adminId
        case .tokenIssued(let e): e.adminId
        case .tokenRevoked(let e): e.adminId
        case .adminDisabled(let e): e.adminId
        default: nil
        }
    }

    private func applyCustomerEvent(_ event: DomainEvent, _ txn: borrowing LMDBTransaction) throws {
        guard let id = Self.customerId(event) else { return }
        try withUnsafeBytes(of: id.uuid) { key in
            let old = try txn.get(dbs.customers, key: key) { bytes -> CustomerState in
                var r = BinaryReader(Array(bytes))
                return try r.readCustomer()
            }
            guard let new = CustomerState.evolve(old, event) else { return }
            var w = BinaryWriter(capacity: 256)
            w.write(customer: new)
            try w.bytes.withUnsafeBytes { try txn.put(dbs.customers, key: key, value: $0) }
            let before = old.map(CustomerIndexEntries.init) ?? CustomerIndexEntries()
            let after = CustomerIndexEntries(new)
            guard before != after else { return }
            let empty: [UInt8] = []
            let (oldOrder, newOrder) = (Set(before.order), Set(after.order))
            try empty.withUnsafeBytes { nothing in
                for k in oldOrder.subtracting(newOrder) { try k.with { _ = try txn.delete(dbs.order, key: $0) } }
                for k in newOrder.subtracting(oldOrder) { try k.with { try txn.put(dbs.order, key: $0, value: nothing) } }
            }
            try moveMember(id, from: Set(before.sets), to: Set(after.sets), txn)
        }
    }

    private func applyDealEvent(_ event: DomainEvent, _ txn: borrowing LMDBTransaction) throws {
        guard let id = event.dealId else { return }
        try withUnsafeBytes(of: id.uuid) { key in
            let old = try txn.get(dbs.deals, key: key) { try JSONDecoder().decode(DealState.self, from: Data($0)) }
            guard let new = DealState.evolve(old, event) else { return }
            // The lead sets of the leads this deal belonged and belongs to, before and after.
            let leads = Set([old?.leadId, new.leadId].compactMap { $0 })
            var setsBefore: [UUID: Set<StoreKey>] = [:]
            for lead in leads { setsBefore[lead] = DealIndexEntries.leadSets(stages: try dealStages(ofLead: lead, txn)) }
            try ProjectionDatabase.putJSON(txn, dbs.deals, key, new)
            let empty: [UInt8] = []
            let before = Set(old.map(DealIndexEntries.keys) ?? [])
            let after = Set(DealIndexEntries.keys(new))
            try empty.withUnsafeBytes { nothing in
                for k in before.subtracting(after) { try k.with { _ = try txn.delete(dbs.order, key: $0) } }
                for k in after.subtracting(before) { try k.with { try txn.put(dbs.order, key: $0, value: nothing) } }
            }
            for lead in leads {
                let after = DealIndexEntries.leadSets(stages: try dealStages(ofLead: lead, txn))
                try moveMember(lead, from: setsBefore[lead] ?? [], to: after, txn)
            }
            let (was, now) = (old.map(DealIndexEntries.totals) ?? [], DealIndexEntries.totals(new))
            let (oldTotals, newTotals) = (old.map(DealTotals.init), DealTotals(new))
            if was != now || oldTotals != newTotals {
                if let oldTotals { for key in was { try addDealTotals(oldTotals, sign: -1, key, txn) } }
                for key in now { try addDealTotals(newTotals, sign: 1, key, txn) }
            }
        }
    }

    /// The stages of a lead's deals that are not deleted (read through `dealsByLead`).
    private func dealStages(ofLead lead: UUID, _ txn: borrowing LMDBTransaction) throws -> Set<String> {
        var prefix = StoreKey(StoreSchema.OrderTag.dealsByLead.rawValue)
        prefix.uuid(lead)
        var stages = Set<String>()
        try txn.withCursor(dbs.order) { cursor in
            try prefix.with { p in
                try cursor.scan(from: p) { key, _ in
                    guard key.starts(with: p) else { return false }
                    let dealId = StoreKeyReader(key).trailingUUID()
                    let deal = try withUnsafeBytes(of: dealId.uuid) { k in
                        try txn.get(dbs.deals, key: k) { try JSONDecoder().decode(DealState.self, from: Data($0)) }
                    }
                    if let deal, !deal.deleted { stages.insert(deal.stage) }
                    return true
                }
            }
        }
        return stages
    }

    /// Moves `id` from the inverted-index sets `old` to `new`, keeping their member counts.
    func moveMember(_ id: UUID, from old: Set<StoreKey>, to new: Set<StoreKey>, _ txn: borrowing LMDBTransaction) throws {
        let empty: [UInt8] = []
        for prefix in old.subtracting(new) {
            var key = prefix
            key.uuid(id)
            try key.with { _ = try txn.delete(dbs.sets, key: $0) }
            try Self.addCount(-1, prefix, txn, dbs)
        }
        for prefix in new.subtracting(old) {
            var key = prefix
            key.uuid(id)
            try key.with { k in try empty.withUnsafeBytes { try txn.put(dbs.sets, key: k, value: $0) } }
            try Self.addCount(1, prefix, txn, dbs)
        }
    }

    /// Adds (or with `sign` −1 removes) a deal's contribution to a `dealTotals` counter, removed at count 0.
    private func addDealTotals(_ totals: DealTotals, sign: Int, _ key: StoreKey, _ txn: borrowing LMDBTransaction) throws {
        try key.with { k in
            var current = try txn.get(dbs.counts, key: k) { try DealTotals(bytes: $0) } ?? DealTotals()
            current.add(totals, sign: sign)
            if current.count == 0 {
                _ = try txn.delete(dbs.counts, key: k)
            } else {
                try current.bytes.withUnsafeBytes { try txn.put(dbs.counts, key: k, value: $0) }
            }
        }
    }

    private func applyAdminEvent(_ event: DomainEvent, _ txn: borrowing LMDBTransaction) throws {
        guard let id = Self.adminId(event) else { return }
        try withUnsafeBytes(of: id.uuid) { key in
            let old = try ProjectionDatabase.getAdmin(txn, dbs.admins, key, cache: nil)
            guard let new = AdminState.evolve(old, event) else { return }
            try ProjectionDatabase.putAdmin(txn, dbs.admins, key, new)
            for token in new.tokens {
                let hash = Array(token.sha256.utf8)
                try hash.withUnsafeBytes { tokenKey in
                    if try txn.get(dbs.tokens, key: tokenKey, { _ in true }) == nil {
                        try txn.put(dbs.tokens, key: tokenKey, value: key)
                    }
                }
            }
        }
    }
}
