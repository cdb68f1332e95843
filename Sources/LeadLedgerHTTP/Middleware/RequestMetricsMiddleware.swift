public import Hummingbird

/// Counts requests by route pattern, method and status, and records latency to the response head.
///
/// Unmatched requests are counted under the route `NotFound`, so scanners cannot blow up label cardinality.
public struct RequestMetricsMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let metrics: HTTPMetrics
    /// Any other method is counted as `OTHER`: a client must not be able to create label values at will.
    static let knownMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]

    public init(metrics: HTTPMetrics) {
        self.metrics = metrics
    }

    public func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, start: start)
            return response
        } catch {
            record(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, start: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: APIRequestContext, status: Int, start: ContinuousClock.Instant) {
        metrics.record(
            method: Self.knownMethods.contains(request.method) ? request.method.rawValue : "OTHER",
            route: context.endpointPath ?? "NotFound",
            status: status,
            duration: ContinuousClock.now - start
        )
    }
}
