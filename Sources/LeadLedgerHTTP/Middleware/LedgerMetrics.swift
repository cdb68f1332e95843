import LeadLedgerCore
import Prometheus
import ServiceLifecycle

/// The ledger's own metrics next to the HTTP ones: commands and appended events by outcome, the log head, the
/// applied position and the projections' lag.
struct LedgerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    func commandExecuted(kind: String, events: Int, replayed: Bool) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "leadledger_commands", unitName: "total", helpText: "Commands executed over HTTP."),
            labels: [("kind", kind), ("outcome", replayed ? "replayed" : events == 0 ? "noop" : "appended")]
        ).increment()
        if events > 0 {
            registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "leadledger_appended_events", unitName: "total",
                    helpText: "Events appended by commands over HTTP.")
            ).increment(by: Int64(events))
        }
    }

    func positions(head: UInt64, applied: UInt64) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: "leadledger_log_position", unitName: "", helpText: "The log head.")
        ).set(Double(head))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "leadledger_applied_position", unitName: "", helpText: "The position the projections applied.")
        ).set(Double(applied))
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "leadledger_projection_lag", unitName: "events",
                helpText: "Events committed but not yet applied to the projections.")
        ).set(Double(head >= applied ? head - applied : 0))
    }
}

/// Samples the positions every second while the server runs.
struct LedgerMetricsService: Service {
    let ledger: Ledger
    let metrics: LedgerMetrics

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            metrics.positions(head: ledger.log.head, applied: ledger.appliedPosition)
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
