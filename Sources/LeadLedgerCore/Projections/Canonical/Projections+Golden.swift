import Foundation
import LeadDomain

/// JSON exports of each projection for golden-file tests: pretty, sorted keys, every collection in a stable
/// order, time-dependent parts evaluated at `lastRecordedAt`. A failing diff names the projection (the key)
/// and the field.
/// The shapes of the golden JSON (shared by the in-memory projections and the store while both exist).
enum Golden {
    struct GoldenDirectory: Encodable {
        var position: UInt64
        var statusCounts: [String: Int]
        var leads: [LeadState]
    }

    struct GoldenColumn: Encodable {
        var step: String
        var count: Int
        var leadIds: [UUID]
    }

    struct GoldenWatcher: Encodable {
        var admin: UUID
        var watched: [UUID]
        var actionsToday: [UUID]
        var overdueActions: [UUID]
    }

    struct GoldenReports: Encodable {
        var funnel: FunnelReport
        var perManager: [ManagerReportRow]
        var perSource: [SourceReportRow]
        var timeInStep: [StepTimeRow]
        var paused: PausedReport
        var competitors: [CompetitorReportRow]
    }

    struct GoldenGroup: Encodable {
        var kind: String
        var value: String
        var leadIds: [UUID]
    }

    struct GoldenCustomer: Encodable {
        var customer: CustomerState
        var linkedLeads: [UUID]
        var matchingByEmail: [UUID]
    }

    struct GoldenAdmins: Encodable {
        var admins: [AdminState]
        /// Token hash → admin, for tokens that authenticate at `lastRecordedAt`.
        var activeTokens: [String: UUID]
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}

extension Projections {
    /// JSON of each projection by name: directory, kanban, watchers, reports, duplicates, customers, settings, admins.
    public func goldenJSON() -> [String: Data] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let now = Timestamp(rawValue: lastRecordedAt)
        let everyone = LeadFilter(states: Set(LeadStatus.allCases))
        func ids(_ leads: [LeadState]) -> [UUID] { leads.map(\.id) }
        func allIDs(_ filter: LeadFilter) -> [UUID] {
            var result: [UUID] = []
            var cursor: LeadCursor?
            repeat {
                let page = leads(LeadQuery(filter: filter, sort: .created, order: .ascending, after: cursor, limit: 200), now: now)
                result += ids(page.rows)
                cursor = page.next
            } while cursor != nil
            return result
        }

        let counts = directory.statusCounts(now: now)
        let directoryValue = Golden.GoldenDirectory(
            position: position, statusCounts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            leads: directory.sortedLeads)
        let board = kanban(KanbanQuery(sort: .created, order: .ascending, pageSize: 200), now: now)
        let columns = board.columns.map { Golden.GoldenColumn(step: $0.step.key, count: $0.count, leadIds: ids($0.page.rows)) }
        var watcherIDs = Set(directory.byWatcher.keys).union(agenda.byAdmin.keys)
        watcherIDs.formUnion(admins.admins.keys)
        let watchers = watcherIDs.sorted(by: UUID.canonicalOrder).map { admin in
            let today = actionsForToday(admin: admin, now: now)
            return Golden.GoldenWatcher(
                admin: admin, watched: allIDs(LeadFilter(watcher: admin, states: everyone.states)),
                actionsToday: today.today.map(\.action.id), overdueActions: today.overdue.map(\.action.id))
        }
        let reportsValue = Golden.GoldenReports(
            funnel: funnel(), perManager: perManager(), perSource: perSource(), timeInStep: timeInStep(),
            paused: pausedLeads(now: now, limit: 1_000), competitors: competitors())
        var groups: [Golden.GoldenGroup] = []
        var cursor: DuplicateGroupCursor?
        repeat {
            let page = duplicateGroups(after: cursor, limit: 200)
            groups += page.groups.map { Golden.GoldenGroup(kind: $0.key.kind.rawValue, value: $0.key.value, leadIds: $0.leadIds) }
            cursor = page.next
        } while cursor != nil
        let customerValues = customers.customers.values.sorted { LeadKey($0.id) < LeadKey($1.id) }.map {
            Golden.GoldenCustomer(
                customer: $0, linkedLeads: ids(linkedLeads(ofCustomer: $0.id)).sorted(by: UUID.canonicalOrder),
                matchingByEmail: ids(leadsMatchingByEmail(customer: $0.id)))
        }
        var tokens: [String: UUID] = [:]
        for (hash, id) in admins.tokenOwners where authenticate(tokenSHA256: hash, now: now) != nil { tokens[hash] = id }
        let adminValue = Golden.GoldenAdmins(
            admins: admins.admins.values.sorted { LeadKey($0.id) < LeadKey($1.id) }, activeTokens: tokens)

        func encode(_ value: some Encodable) -> Data { (try? encoder.encode(value)) ?? Data() }
        return [
            "directory": encode(directoryValue), "kanban": encode(columns), "watchers": encode(watchers),
            "reports": encode(reportsValue), "duplicates": encode(groups), "customers": encode(customerValues),
            "settings": encode(settings), "admins": encode(adminValue),
        ]
    }
}
