import EventLog
import Foundation
import Hummingbird
import LeadLedgerCore

/// The event feed: `GET /v1/events?after=&limit=` pages through the log; `GET /v1/events/stream` is the
/// same as server-sent events (`id` = position), resuming from `Last-Event-ID` or `after`, live after
/// catch-up. Events are every aggregate's, so reading them needs `leads.read.all`.
struct EventFeedRoutes: APIRouteCollection {
    let ledger: Ledger

    static let maxLimit = 1000

    func register(on routes: APIRoutes) {
        let ledger = ledger
        routes.get("/v1/events") { request, context in
            try context.require(.leadsReadAll)
            let after = try Self.after(request) ?? 0
            let limit = try Self.limit(request)
            let events = try ledger.eventFeed(after: after, limit: limit).events
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.logPosition] = String(ledger.log.head)
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: EventJSON.page(events, after: after))))
        }
        routes.get("/v1/events/stream") { request, context in
            try context.require(.leadsReadAll)
            let principal = try context.principalOrThrow()
            let reads = LedgerReads(ledger: ledger)
            // Both are read (a bad one is a 400 either way); Last-Event-ID, set by a reconnecting client, wins.
            let queryAfter = try Self.after(request)
            let after = try ServerSentEventStream.lastEventPosition(request) ?? queryAfter ?? 0
            let events = ledger.subscribe(after: after).map { event in
                ServerSentEvent(id: String(event.position), data: EventJSON.string(event))
            }
            return ServerSentEventStream.response(events: events) {
                reads.isStillAuthorized(principal, for: .leadsReadAll)
            }
        }
    }

    static func after(_ request: Request) throws -> UInt64? {
        guard let raw = request.uri.queryParameters["after"] else { return nil }
        guard let position = UInt64(raw) else {
            throw APIError.badRequest(field: "after", code: "invalidPosition", message: "after must be a log position.")
        }
        return position
    }

    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["limit"] else { return 100 }
        guard let limit = Int(raw) else {
            throw APIError.badRequest(field: "limit", code: "notAnInteger", message: "limit must be an integer.")
        }
        guard (1...maxLimit).contains(limit) else {
            throw APIError.invalid(field: "limit", code: "outOfRange", message: "limit must be between 1 and \(maxLimit).")
        }
        return limit
    }
}
