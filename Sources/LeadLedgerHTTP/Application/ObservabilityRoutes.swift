import Hummingbird
public import Prometheus

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `GET /healthz` and `GET /metrics`: the two public routes, added by ``buildRouter(configuration:verifier:metrics:routeTable:health:routes:)``.
public struct ObservabilityRoutes: APIRouteCollection {
    let registry: PrometheusCollectorRegistry
    let health: @Sendable () async -> HealthReport

    public init(registry: PrometheusCollectorRegistry, health: @escaping @Sendable () async -> HealthReport) {
        self.registry = registry
        self.health = health
    }

    public func register(on routes: APIRoutes) {
        routes.get("/healthz", access: .public) { [health] _, _ in
            let report = await health()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(report)
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(
                status: report.isHealthy ? .ok : .serviceUnavailable,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
        routes.get("/metrics", access: .public) { [registry] _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
