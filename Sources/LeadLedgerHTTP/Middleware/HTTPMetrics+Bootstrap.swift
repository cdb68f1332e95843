import CoreMetrics
public import Prometheus

extension HTTPMetrics {
    /// Routes every swift-metrics metric of the process (EventLog, core, Hummingbird) to `registry`, so
    /// `/metrics` shows them next to the HTTP metrics.
    ///
    /// swift-metrics allows this once per process: call it from `serve`'s main only, never from tests (which
    /// run in parallel in one process and give each application its own registry).
    public static func bootstrapProcessMetrics(registry: PrometheusCollectorRegistry) {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
