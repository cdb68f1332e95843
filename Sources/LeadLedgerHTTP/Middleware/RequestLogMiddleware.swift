public import Hummingbird
import Logging

/// One structured log line per request: method, route pattern, status, duration, request id and actor.
///
/// The route is the pattern (`/v1/leads/{id}`), not the raw path, so lines group and no ids leak into
/// aggregations. The actor is read from the request slot because authentication happens inside this middleware.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let level: Logger.Level

    public init(level: Logger.Level = .info) {
        self.level = level
    }

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            log(request: request, context: context, status: status, start: start)
            return response
        } catch {
            // ProblemMiddleware sits inside this one, so this is the rare error thrown by the outermost layers.
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            log(request: request, context: context, status: status, start: start)
            throw error
        }
    }

    private func log(
        request: Request, context: APIRequestContext, status: HTTPResponse.Status, start: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - start
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        context.logger.log(
            level: level,
            "request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.route": .string(context.endpointPath ?? "NotFound"),
                "http.status": .stringConvertible(status.code),
                "duration_ms": .stringConvertible(Double(microseconds) / 1_000),
                "request_id": .string(context.slot.requestId),
                "actor": .string(context.slot.principal?.actor ?? "-"),
            ]
        )
    }
}
