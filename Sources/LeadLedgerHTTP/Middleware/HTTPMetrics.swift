public import Prometheus

/// The HTTP server's Prometheus metrics, in an injected registry.
///
/// Tests give each application its own `PrometheusCollectorRegistry`; the server's `main` passes the registry
/// it bootstrapped swift-metrics with, so `/metrics` shows both these and the other modules' metrics.
public struct HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// Seconds; from 1 ms (a cached GET) to 10 s.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(10),
    ]

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "http_requests",
                unitName: "total",
                helpText: "HTTP requests by route pattern, method and status."
            ),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "http_request_duration",
                unitName: "seconds",
                helpText: "Time to produce the response head, by route pattern and method."
            ),
            labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }
}
