import Foundation
import LeadDomain

extension ProjectionView {
    /// JSON of each projection by name (directory, kanban, watchers, reports, duplicates, customers, settings,
    /// admins) for golden-file tests: pretty, sorted keys, every collection in a stable order, time-dependent
    /// parts evaluated at `lastRecordedAt`. A failing diff names the projection (the key) and the field.
    public func goldenJSON() throws -> [String: Data] {
        let encoder = Golden.encoder()
        let now = Timestamp(rawValue: lastRecordedAt)
        let everyone = LeadFilter(states: Set(LeadStatus.allCases))
        func ids(_ leads: [LeadState]) -> [UUID] { leads.map(\.id) }
        func allIDs(_ filter: LeadFilter) throws -> [UUID] {
            var result: [UUID] = []
            var cursor: LeadCursor?
            repeat {
                let page = try leads(LeadQuery(filter: filter, sort: .created, order: .ascending, after: cursor, limit: 200), now: now)
                result += ids(page.rows)
                cursor = page.next
            } while cursor != nil
            return result
        }

        let counts = try statusCounts(now: now)
        let directoryValue = Golden.GoldenDirectory(
            position: position, statusCounts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            leads: try allLeads())
        let board = try kanban(KanbanQuery(sort: .created, order: .ascending, pageSize: 200), now: now)
        let columns = board.columns.map { Golden.GoldenColumn(step: $0.step.key, count: $0.count, leadIds: ids($0.page.rows)) }
        var watcherIDs = Set(try keys(StoreSchema.setPrefix(.watcher)))
        watcherIDs.formUnion(try agendaOwners())
        watcherIDs.formUnion(try admins().map(\.id))
        let watchers = try watcherIDs.sorted(by: UUID.canonicalOrder).map { admin in
            let today = try actionsForToday(admin: admin, now: now)
            return Golden.GoldenWatcher(
                admin: admin, watched: try allIDs(LeadFilter(watcher: [admin], states: everyone.states)),
                actionsToday: today.today.map(\.action.id), overdueActions: today.overdue.map(\.action.id))
        }
        let reportsValue = Golden.GoldenReports(
            funnel: try funnel(), perManager: try perManager(), perSource: try perSource(), timeInStep: try timeInStep(),
            paused: try pausedLeads(now: now, limit: 1_000), competitors: try competitors())
        var groups: [Golden.GoldenGroup] = []
        var cursor: DuplicateGroupCursor?
        repeat {
            let page = try duplicateGroups(after: cursor, limit: 200)
            groups += page.groups.map { Golden.GoldenGroup(kind: $0.key.kind.rawValue, value: $0.key.value, leadIds: $0.leadIds) }
            cursor = page.next
        } while cursor != nil
        let customerValues = try allCustomers().map {
            Golden.GoldenCustomer(
                customer: $0, linkedLeads: try linkedLeads(ofCustomer: $0.id).map(\.state.id).sorted(by: UUID.canonicalOrder),
                matchingByEmail: try leadsMatchingByEmail(customer: $0.id).map(\.state.id))
        }
        var tokens: [String: UUID] = [:]
        try forEach(dbs.tokens, prefix: StoreKey(bytes: [])) { key, _ in
            let hash = String(decoding: key, as: UTF8.self)
            if let admin = try authenticate(tokenSHA256: hash, now: now) { tokens[hash] = admin.id }
            return true
        }
        let adminValue = Golden.GoldenAdmins(
            admins: try admins().sorted { LeadKey($0.id) < LeadKey($1.id) }, activeTokens: tokens)

        func encode(_ value: some Encodable) -> Data { (try? encoder.encode(value)) ?? Data() }
        return [
            "directory": encode(directoryValue), "kanban": encode(columns), "watchers": encode(watchers),
            "reports": encode(reportsValue), "duplicates": encode(groups), "customers": encode(customerValues),
            "settings": encode(settings), "admins": encode(adminValue),
        ]
    }

    /// Every lead, in id (`LeadKey`) order.
    public func allLeads() throws -> [LeadState] {
        var leads: [LeadState] = []
        try txn.withCursor(dbs.leads) { cursor in
            try cursor.scan(from: nil) { _, value in
                leads.append(try LeadStoreRecord.decode(value).state)
                return true
            }
        }
        return leads
    }

    /// Every customer, in id order.
    /// Every deal, deleted ones too, read from the deals database (not through an index), in id order.
    public func allDeals() throws -> [DealState] {
        var deals: [DealState] = []
        try txn.withCursor(dbs.deals) { cursor in
            try cursor.scan(from: nil) { _, value in
                deals.append(try JSONDecoder().decode(DealState.self, from: Data(value)))
                return true
            }
        }
        return deals
    }

    public func allCustomers() throws -> [CustomerState] {
        var customers: [CustomerState] = []
        try txn.withCursor(dbs.customers) { cursor in
            try cursor.scan(from: nil) { _, value in
                var r = BinaryReader(Array(value))
                customers.append(try r.readCustomer())
                return true
            }
        }
        return customers
    }

    /// The 16-byte keys of an inverted index with members (its counters), in order.
    func keys(_ prefix: StoreKey) throws -> [UUID] {
        var ids: [UUID] = []
        try forEach(dbs.counts, prefix: prefix) { key, _ in
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            ids.append(r.uuid())
            return true
        }
        return ids
    }

    /// Admins with open planned actions on live leads.
    func agendaOwners() throws -> [UUID] {
        var owners: [UUID] = []
        let prefix = StoreKey(StoreSchema.OrderTag.agenda.rawValue)
        try forEach(dbs.order, prefix: prefix) { key, _ in
            var r = StoreKeyReader(key, skipping: 1)
            let owner = r.uuid()
            if owners.last != owner { owners.append(owner) }
            return true
        }
        return owners
    }
}

extension ProjectionView {
    /// The first `count` leads in id order (a sample, e.g. to pick query keys from).
    public func leads(first count: Int) throws -> [LeadState] {
        var leads: [LeadState] = []
        try txn.withCursor(dbs.leads) { cursor in
            try cursor.scan(from: nil) { _, value in
                leads.append(try LeadStoreRecord.decode(value).state)
                return leads.count < count
            }
        }
        return leads
    }
}
