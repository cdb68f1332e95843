import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// `GET /v1/reports/{funnel|managers|sources|step-times|paused|competitors|deals}` (`reports.read`), optionally for a
/// period (`from`, `to`: ISO times) where the report has one.
struct ReportRoutes: APIRouteCollection {
    let reads: LedgerReads

    func register(on routes: APIRoutes) {
        let reads = reads
        routes.get("/v1/reports/funnel") { request, context in
            let period = try Self.period(request, context)
            return try await Self.respond(request, context, reads) { view, _ in
                let report = try view.funnel(period)
                return FunnelResource(
                    period: PeriodResource(report.period), created: report.created, converted: report.converted,
                    steps: report.steps)
            }
        }
        routes.get("/v1/reports/managers") { request, context in
            let period = try Self.period(request, context)
            return try await Self.respond(request, context, reads) { view, _ in
                ReportRows(
                    items: try view.perManager(period).map {
                        ManagerRowResource(
                            admin: $0.admin.lowercased, name: $0.name, responsible: $0.responsible, created: $0.created,
                            converted: $0.converted, actionsCompleted: $0.actionsCompleted,
                            medianSecondsToConvert: $0.medianTimeToConvert.map { Double($0) / 1_000_000 })
                    })
            }
        }
        routes.get("/v1/reports/sources") { request, context in
            let period = try Self.period(request, context)
            return try await Self.respond(request, context, reads) { view, _ in
                ReportRows(items: try view.perSource(period))
            }
        }
        routes.get("/v1/reports/step-times") { request, context in
            try await Self.respond(request, context, reads) { view, _ in
                ReportRows(
                    items: try view.timeInStep().map {
                        StepTimeResource(
                            step: $0.step, name: $0.name, count: $0.count, meanSeconds: $0.mean.map { Double($0) / 1_000_000 },
                            medianSeconds: $0.median.map { Double($0) / 1_000_000 })
                    })
            }
        }
        routes.get("/v1/reports/paused") { request, context in
            let limit = try PageLimit.parse(query: QueryReader(request.uri.queryParameters).text("limit")).value
            // The one report that names leads: narrowed to the caller's reach.
            let visibleTo = try context.principalOrThrow().narrowedTo
            return try await Self.respond(request, context, reads) { view, now in
                let report = try view.pausedLeads(now: now, limit: limit, visibleTo: visibleTo)
                return PausedReportResource(
                    count: report.count,
                    leads: report.leads.map {
                        .init(leadId: $0.leadId.lowercased, fullName: $0.fullName, until: ISOTime.string($0.until))
                    })
            }
        }
        routes.get("/v1/reports/deals") { request, context in
            let responsible = try QueryReader(request.uri.queryParameters).uuid("responsible")
            return try await Self.respond(request, context, reads) { view, _ in
                DealFunnelResource(try view.dealFunnel(responsible: responsible).map { (responsible, $0) }, settings: view.settings)
            }
        }
        routes.get("/v1/reports/deals/managers") { request, context in
            try await Self.respond(request, context, reads) { view, _ in
                let rows = try view.dealResponsibles().flatMap { id in try view.dealFunnel(responsible: id).map { (Optional(id), $0) } }
                return DealFunnelResource(rows, settings: view.settings)
            }
        }
        routes.get("/v1/reports/deal-outcomes") { request, context in
            let period = try Self.period(request, context)
            return try await Self.respond(request, context, reads) { view, _ in
                DealOutcomeResource(try view.dealOutcomes(period), settings: view.settings)
            }
        }
        routes.get("/v1/reports/competitors") { request, context in
            try await Self.respond(request, context, reads) { view, _ in
                ReportRows(items: try view.competitors())
            }
        }
    }

    static func period(_ request: Request, _ context: APIRequestContext) throws -> ReportPeriod {
        try context.require(.reportsRead)
        let reader = QueryReader(request.uri.queryParameters)
        return ReportPeriod(from: try reader.time("from", dateOnly: .startOfDay), to: try reader.time("to", dateOnly: .endOfDay))
    }

    static func respond<Resource: Encodable & Sendable>(
        _ request: Request, _ context: APIRequestContext, _ reads: LedgerReads,
        _ build: @escaping @Sendable (borrowing ProjectionView, Timestamp) throws -> Resource
    ) async throws -> Response {
        try context.require(.reportsRead)
        let now = reads.now
        let (resource, position) = try reads.ledger.read { (try build($0, now), $0.position) }
        return try await request.conditionalGET(etag: .logPosition(position), context: context) {
            try JSONResponse.make(resource, logPosition: position)
        }
    }
}
