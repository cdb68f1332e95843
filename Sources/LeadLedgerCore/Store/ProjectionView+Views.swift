import EventLog
import Foundation
import LeadDomain

extension ProjectionView {
    // MARK: - Agenda

    /// The admin's planned open actions due today (in the admin's UTC offset) and the overdue ones (at most
    /// `overdueLimit`), earliest first; with `visibleTo`, only on leads that admin owns or watches.
    public func actionsForToday(
        admin: UUID, now: Timestamp, utcOffsetSeconds: Int64 = 0, overdueLimit: Int = 200, visibleTo: UUID? = nil
    ) throws -> TodayActions {
        let localDay = LocalDay(of: now, utcOffsetSeconds: utcOffsetSeconds)
        let (dayStart, dayEnd) = (localDay.start.rawValue, localDay.end.rawValue)
        var today: [AgendaItem] = []
        var overdue: [AgendaItem] = []
        var prefix = StoreKey(StoreSchema.OrderTag.agenda.rawValue)
        prefix.uuid(admin)
        try walk(dbs.order, prefix: prefix, after: nil, descending: false) { entry in
            var r = StoreKeyReader(entry, skipping: prefix.bytes.count)
            let plannedAt = r.int64()
            guard plannedAt < dayEnd else { return false }
            let isOverdue = plannedAt < dayStart
            if isOverdue && overdue.count >= overdueLimit { return true }
            let leadId = r.uuid()
            let actionId = r.uuid()
            guard let lead = try lead(leadId), visibleTo.map(lead.isOwnedOrWatched) ?? true,
                let action = lead.actions.first(where: { $0.id == actionId })
            else { return true }
            let item = AgendaItem(leadId: leadId, leadName: lead.fullName, action: action, overdue: isOverdue)
            if isOverdue { overdue.append(item) } else { today.append(item) }
            return true
        }
        var result = TodayActions(today: today, overdue: overdue)
        result.tasksToday = try tasks(
            TaskQuery(owner: admin, dueFrom: Timestamp(rawValue: dayStart), dueTo: Timestamp(rawValue: dayEnd), limit: TaskQuery.maxLimit, visibleTo: visibleTo),
            now: now
        ).items
        result.tasksOverdue = try tasks(
            TaskQuery(owner: admin, dueTo: Timestamp(rawValue: dayStart), limit: Swift.min(overdueLimit, TaskQuery.maxLimit), visibleTo: visibleTo),
            now: now
        ).items
        return result
    }

    // MARK: - Duplicates

    private static func duplicatePrefix(_ key: DuplicateKey) -> StoreKey {
        var k = StoreKey(StoreSchema.SetTag.duplicate.rawValue)
        k.string(key.kind.rawValue); k.string(key.value)
        return k
    }

    /// Live leads carrying a duplicate key, in id order.
    func leads(with key: DuplicateKey) throws -> [UUID] { try members(Self.duplicatePrefix(key)) }

    /// Duplicate keys shared by two or more live leads, largest group first, then by key.
    public func duplicateGroups(after cursor: DuplicateGroupCursor? = nil, limit: Int = 50) throws -> DuplicateGroupPage {
        let limit = Swift.min(Swift.max(limit, 1), 200)
        let prefix = StoreKey(StoreSchema.OrderTag.duplicateGroups.rawValue)
        func key(_ c: DuplicateGroupCursor) -> StoreKey {
            var k = prefix
            k.int64(Int64(c.negatedSize)); k.string(c.key.kind.rawValue); k.string(c.key.value)
            return k
        }
        var page: [DuplicateGroup] = []
        var last: DuplicateGroupCursor?
        var more = false
        try walk(dbs.order, prefix: prefix, after: cursor.map(key), descending: false) { entry in
            var r = StoreKeyReader(entry, skipping: 1)
            let negatedSize = Int(r.int64())
            guard let kind = DuplicateKey.Kind(rawValue: r.string()) else { return true }
            let group = DuplicateGroupCursor(negatedSize: negatedSize, key: DuplicateKey(kind: kind, value: r.string()))
            if page.count == limit {
                more = true
                return false
            }
            page.append(DuplicateGroup(key: group.key, leadIds: try leads(with: group.key)))
            last = group
            return true
        }
        return DuplicateGroupPage(
            groups: page, next: more ? last : nil, total: try counter(StoreSchema.counter(.duplicateGroups)))
    }

    /// Other live leads sharing a phone or an e-mail with the lead, with the keys they share (none for a lead
    /// that is not live).
    public func possibleDuplicates(of leadId: UUID) throws -> [(leadId: UUID, keys: [DuplicateKey])] {
        guard let lead = try lead(leadId), lead.isLive else { return [] }
        var shared: [UUID: [DuplicateKey]] = [:]
        for key in DuplicateKey.keys(of: lead).sorted() {
            for other in try leads(with: key) where other != lead.id { shared[other, default: []].append(key) }
        }
        return shared.sorted { UUID.canonicalOrder($0.key, $1.key) }.map { ($0.key, $0.value) }
    }

    // MARK: - Customers

    public func customer(_ id: UUID) throws -> CustomerState? {
        try withUnsafeBytes(of: id.uuid) { key in
            try txn.get(dbs.customers, key: key) { bytes in
                var r = BinaryReader(Array(bytes))
                return try r.readCustomer()
            }
        }
    }

    /// Customers ordered by folded name then id, after `after`'s place (1…200 of them).
    public func customers(limit: Int = 50, after: UUID? = nil) throws -> [CustomerState] {
        let limit = Swift.max(1, Swift.min(limit, 200))
        let prefix = StoreKey(StoreSchema.OrderTag.customers.rawValue)
        var bound: StoreKey?
        if let after, let customer = try customer(after) {
            var k = prefix
            k.string(SearchText.fold(customer.fullName))
            k.uuid(customer.id)
            bound = k
        }
        var result: [CustomerState] = []
        try walk(dbs.order, prefix: prefix, after: bound, descending: false) { entry in
            if let customer = try customer(StoreKeyReader(entry).trailingUUID()) { result.append(customer) }
            return result.count < limit
        }
        return result
    }

    /// The number of customers.
    public func customerCount() throws -> Int { try txn.count(dbs.customers) }

    /// Live leads linked to the customer (by linking or conversion), newest update first.
    public func linkedLeads(ofCustomer id: UUID) throws -> [LeadRecord] {
        try members(StoreSchema.setPrefix(.customer, id)).compactMap { try record($0) }.sorted {
            orderKey($0, .updated) > orderKey($1, .updated)
        }
    }

    /// Live leads not linked to any customer whose e-mail equals one of the customer's (normalized), by id.
    public func leadsMatchingByEmail(customer id: UUID) throws -> [LeadRecord] {
        guard let customer = try customer(id) else { return [] }
        var ids = Set<UUID>()
        for email in customer.emails {
            ids.formUnion(try leads(with: DuplicateKey(kind: .email, value: EmailAddress.normalize(email))))
        }
        return try ids.compactMap { try record($0) }.filter { $0.state.linkedCustomer == nil }
            .sorted { LeadKey($0.state.id) < LeadKey($1.state.id) }
    }

    // MARK: - Admins

    public func admin(_ id: UUID) throws -> AdminState? {
        try withUnsafeBytes(of: id.uuid) { key in try ProjectionDatabase.getAdmin(txn, dbs.admins, key, cache: adminCache) }
    }

    /// Every admin, by name then id.
    public func admins() throws -> [AdminState] {
        var all: [AdminState] = []
        try txn.withCursor(dbs.admins) { cursor in
            try cursor.scan(from: nil) { key, value in
                guard value.count > 8 else { throw RecordDecodingError(reason: "an admin record of \(value.count) bytes", offset: 0) }
                let version = UInt64(bigEndian: value.loadUnaligned(as: UInt64.self))
                all.append(
                    try adminCache.value(UUID(uuid: key.loadUnaligned(as: uuid_t.self)), version: version) {
                        try JSONDecoder().decode(AdminState.self, from: Data(value.dropFirst(8)))
                    })
                return true
            }
        }
        return all.sorted { ($0.name, LeadKey($0.id)) < ($1.name, LeadKey($1.id)) }
    }

    /// The admin a token (given by its lowercase hex SHA-256) authenticates at `now`, if any.
    public func authenticate(tokenSHA256: String, now: Timestamp) throws -> AdminState? {
        let owner = try Array(tokenSHA256.utf8).withUnsafeBytes { key in
            try txn.get(dbs.tokens, key: key) { bytes -> UUID in
                var r = StoreKeyReader(bytes)
                return r.uuid()
            }
        }
        guard let owner, let admin = try admin(owner), admin.activeToken(sha256: tokenSHA256, at: now) != nil else {
            return nil
        }
        return admin
    }
}

extension ProjectionView {
    /// Every admin's name by id (history renders names, not ids).
    public func adminNames() throws -> [UUID: String] {
        Dictionary(try admins().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}

extension ProjectionView {
    /// The number of admins (disabled ones included).
    public func adminCount() throws -> Int { try txn.count(dbs.admins) }
}
