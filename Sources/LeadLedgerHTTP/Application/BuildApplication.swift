public import Hummingbird
public import Logging
public import Prometheus
public import ServiceLifecycle

/// Builds the router: the middleware stack, the public observability routes, then every route collection.
///
/// Order, outermost first: request id → request log → metrics → problem+json → 405 → body limit → request
/// fingerprint (idempotency keys); then authenticated routes run ``BearerAuthMiddleware``, and every route
/// ``ContractMiddleware`` (query parameters). Every route is recorded in `routeTable`.
public func buildRouter(
    configuration: HTTPServerConfiguration,
    verifier: any AccessTokenVerifier,
    metrics: PrometheusCollectorRegistry,
    routeTable: RouteTable = RouteTable(),
    health: @escaping @Sendable () async -> HealthReport = { HealthReport() },
    routes: [any APIRouteCollection] = []
) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestIdMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: HTTPMetrics(registry: metrics)))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeTable))
    router.add(middleware: BodyLimitMiddleware(maxBodySize: configuration.maxBodySize, maxUploadSize: configuration.maxUploadSize))
    router.add(middleware: RequestFingerprintMiddleware())
    if !configuration.trustedProxies.isEmpty {
        router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
    }

    // Routes after middleware: Hummingbird applies a router's middleware to the routes added after it.
    let apiRoutes = APIRoutes(router: router, table: routeTable, verifier: verifier)
    apiRoutes.add(ObservabilityRoutes(registry: metrics, health: health))
    for collection in routes {
        apiRoutes.add(collection)
    }
    return router
}

/// Assembles the LeadLedger HTTP application.
///
/// ```swift
/// let app = buildApplication(
///     configuration: .init(host: "0.0.0.0", port: 8080),
///     verifier: tokens, metrics: registry, logger: logger,
///     health: { HealthReport(logPosition: log.lastPosition) },
///     routes: [LeadRoutes(service: service)],
///     onShutdown: { try? await ledger.close() }
/// )
/// try await app.runService()   // SIGINT/SIGTERM drain the server, then run onShutdown
/// ```
///
/// - Parameters:
///   - metrics: the registry `/metrics` serves and HTTP metrics go to. The server's `main` bootstraps
///     swift-metrics once with a `PrometheusMetricsFactory` over the same registry; tests pass a fresh one.
///   - services: other long-running services (projection updaters…) run alongside the server.
///   - onShutdown: runs after the server has drained on graceful shutdown.
public func buildApplication(
    configuration: HTTPServerConfiguration,
    verifier: any AccessTokenVerifier,
    metrics: PrometheusCollectorRegistry,
    logger: Logger,
    routeTable: RouteTable = RouteTable(),
    health: @escaping @Sendable () async -> HealthReport = { HealthReport() },
    routes: [any APIRouteCollection] = [],
    services: [any Service] = [],
    onShutdown: (@Sendable () async -> Void)? = nil
) -> some ApplicationProtocol {
    let router = buildRouter(
        configuration: configuration,
        verifier: verifier,
        metrics: metrics,
        routeTable: routeTable,
        health: health,
        routes: routes
    )
    // The hook goes first: services shut down in reverse order, so it runs after everything after it stopped.
    var allServices: [any Service] = onShutdown.map { [ShutdownHookService(work: $0)] } ?? []
    allServices += services
    return Application(
        router: router,
        server: configuration.server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: configuration.serverName
        ),
        services: allServices,
        eventLoopGroupProvider: .shared(configuration.eventLoopGroup),
        logger: logger
    )
}
