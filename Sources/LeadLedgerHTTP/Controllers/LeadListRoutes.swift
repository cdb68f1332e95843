import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// `GET /v1/leads`: the lead directory with filters, search, sort, keyset cursor and optional total.
/// Managers without `leads.read.all` see only the leads they are responsible for or watch.
struct LeadListRoutes: APIRouteCollection {
    let reads: LedgerReads

    func register(on routes: APIRoutes) {
        let reads = reads
        routes.get("/v1/leads") { request, context in
            let principal = try context.principalOrThrow()
            var query = try Self.query(request.uri.queryParameters, settings: reads.settings())
            query.visibleTo = principal.narrowedTo
            let scope = Self.cursorScope(query)
            query.after = try PageCursor<LeadCursor>.decode(
                query: request.uri.queryParameters["cursor"].map(String.init), scope: scope)?.key
            let now = reads.now
            let (page, position) = try reads.ledger.read { view in (try view.leads(query, now: now), view.position) }
            return try await request.conditionalGET(etag: .logPosition(position), context: context) {
                let resource = PageResource(
                    items: page.records.map { LeadSummaryResource($0, now: now) },
                    nextCursor: page.next.map { PageCursor(scope: scope, key: $0, id: $0.key.id.uuid).encoded() },
                    total: page.total)
                return JSONResponse.make(resource, logPosition: position)
            }
        }
    }

    /// A cursor belongs to one sort and order.
    static func cursorScope(_ query: LeadQuery) -> String { "leads:\(query.sort.rawValue)-\(query.order.rawValue)" }

    /// Reads the query string into a `LeadQuery`; every bad parameter is a 400 (unreadable) or 422 (out of
    /// range) naming it. The settings are read only when a `cf.` filter needs its field's definition.
    static func query(_ parameters: Parameters, settings: @autoclosure () throws -> SettingsState) throws -> LeadQuery {
        let reader = QueryReader(parameters)
        var filter = LeadFilter()
        filter.step = reader.text("step")
        filter.responsible = try reader.uuid("responsible")
        filter.tag = reader.text("tag")
        filter.source = reader.text("source")
        filter.watcher = try reader.uuid("watcher")
        filter.customer = try reader.uuid("customer")
        if let statuses = try reader.list("status", of: LeadStatus.self) { filter.states = Set(statuses) }
        if try reader.bool("paused") == true { filter.states = [.paused] }
        if try reader.bool("deleted") == true { filter.states = [.deleted] }
        filter.converted = try reader.bool("converted")
        filter.createdFrom = try reader.time("createdFrom", dateOnly: .startOfDay)
        filter.createdTo = try reader.time("createdTo", dateOnly: .endOfDay)
        filter.updatedFrom = try reader.time("updatedFrom", dateOnly: .startOfDay)
        filter.updatedTo = try reader.time("updatedTo", dateOnly: .endOfDay)
        let customFilters = reader.prefixed("cf.")
        let settings = customFilters.isEmpty ? nil : try settings()
        for (name, raw) in customFilters {
            let key = String(name.dropFirst(3))
            guard let definition = settings?.customField(key) else {
                throw APIError.invalid(field: name, code: "unknownCustomField", message: "No custom field \(key).")
            }
            filter.customFields[key] = try customFieldValue(raw, type: definition.type, parameter: name)
        }
        var query = LeadQuery(filter: filter)
        query.q = reader.text("q").flatMap { $0.isEmpty ? nil : $0 }
        query.sort = try reader.choice("sort", of: LeadSort.self) ?? .updated
        query.order = try reader.choice("order", of: PageOrder.self) ?? .descending
        query.limit = try PageLimit.parse(query: reader.text("limit")).value
        query.includeTotal = try reader.bool("count") ?? false
        return query
    }

    static func customFieldValue(_ raw: String, type: CustomFieldType, parameter: String) throws -> CustomFieldValue {
        switch type {
        case .string: return .string(raw)
        case .text: return .text(raw)
        case .list: return .list(raw)
        case .url: return .url(raw)
        case .date: return .date(raw)
        case .int:
            guard let value = Int64(raw) else {
                throw APIError.badRequest(field: parameter, code: "notAnInteger", message: "\(parameter) must be an integer.")
            }
            return .int(value)
        case .flag:
            guard let value = Bool(raw) else {
                throw APIError.badRequest(field: parameter, code: "notABoolean", message: "\(parameter) must be true or false.")
            }
            return .flag(value)
        }
    }
}
