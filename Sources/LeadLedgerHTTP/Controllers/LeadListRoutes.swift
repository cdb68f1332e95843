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
        filter.step = try reader.texts("step")
        filter.responsible = try reader.uuids("responsible")
        filter.tag = try reader.texts("tag")
        filter.source = try reader.texts("source")
        filter.watcher = try reader.uuids("watcher")
        filter.customer = try reader.uuids("customer")
        filter.createdBy = try reader.uuids("createdBy")
        filter.updatedBy = try reader.uuids("updatedBy")
        if let statuses = try reader.list("status", of: LeadStatus.self) { filter.states = Set(statuses) }
        if try reader.bool("paused") == true { filter.states = [.paused] }
        if try reader.bool("deleted") == true { filter.states = [.deleted] }
        filter.converted = try reader.bool("converted")
        filter.createdFrom = try reader.time("createdFrom", dateOnly: .startOfDay)
        filter.createdTo = try reader.time("createdTo", dateOnly: .endOfDay)
        filter.updatedFrom = try reader.time("updatedFrom", dateOnly: .startOfDay)
        filter.updatedTo = try reader.time("updatedTo", dateOnly: .endOfDay)
        filter.hasDeals = try reader.bool("hasDeals")
        filter.dealStage = try reader.texts("dealStage")
        filter.hasTasks = try reader.bool("hasTasks")
        filter.hasOverdueTasks = try reader.bool("hasOverdueTasks")
        let customFilters = reader.prefixed("cf.")
        let settings = customFilters.isEmpty && filter.dealStage == nil ? nil : try settings()
        if let stages = filter.dealStage, let settings {
            for stage in stages.values where !settings.dealStages.contains(where: { $0.key == stage }) {
                throw APIError.invalid(field: "dealStage", code: "unknownDealStage", message: "No deal stage \(stage).")
            }
        }
        guard customFilters.count <= QueryReader.maxValues else {
            throw APIError.invalid(field: "cf", code: "tooManyValues", message: "At most \(QueryReader.maxValues) custom field filters.")
        }
        for (name, raw) in customFilters {
            // `cf.<key>=value`, or a range end `cf.<key>.min` / `cf.<key>.max` (number and date fields).
            var key = String(name.dropFirst(3))
            var end: String?
            for suffix in [".min", ".max"] where key.hasSuffix(suffix) {
                key.removeLast(suffix.count)
                end = suffix
            }
            guard let definition = settings?.customField(key) else {
                throw APIError.invalid(field: name, code: "unknownCustomField", message: "No custom field \(key).")
            }
            let value = try customFieldValue(raw, type: definition.type, parameter: name)
            guard let end else {
                filter.customFields[key] = value
                continue
            }
            guard definition.type == .int || definition.type == .date else {
                throw APIError.invalid(
                    field: name, code: "notRangeable", message: "Only number and date custom fields take a range; \(key) is \(definition.type.rawValue).")
            }
            var range = filter.customFieldRanges[key] ?? CustomFieldRange()
            if end == ".min" { range.min = value } else { range.max = value }
            filter.customFieldRanges[key] = range
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
        case .date:
            // The stored form, `YYYY-MM-DD`: compared as text, so only that form filters correctly.
            guard raw.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil else {
                throw APIError.badRequest(field: parameter, code: "notADate", message: "\(parameter) must be a date YYYY-MM-DD.")
            }
            return .date(raw)
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
