public import Hummingbird
public import LeadLedgerCore
public import Logging
public import Prometheus

/// The controllers of the LeadLedger API over one ledger.
public func ledgerRoutes(ledger: Ledger, metrics: PrometheusCollectorRegistry) -> [any APIRouteCollection] {
    let commands = CommandResponder(ledger: ledger, metrics: LedgerMetrics(registry: metrics))
    return [
        LeadRoutes(commands: commands),
        CallRoutes(commands: commands),
        ImportRoutes(commands: commands),
        FormRoutes(commands: commands),
        DealRoutes(commands: commands),
        CustomerRoutes(commands: commands),
        LeadListRoutes(reads: commands.reads),
        ExportRoutes(reads: commands.reads),
        ViewRoutes(reads: commands.reads),
        ReportRoutes(reads: commands.reads),
        SettingsRoutes(commands: commands),
        AdminRoutes(commands: commands),
        EventFeedRoutes(ledger: ledger),
    ]
}

/// `/healthz` over a ledger: the log head and the position the projections applied.
public func ledgerHealth(ledger: Ledger) -> @Sendable () async -> HealthReport {
    { HealthReport(logPosition: ledger.log.head, appliedPosition: ledger.appliedPosition) }
}

/// The LeadLedger server: ``buildApplication(configuration:verifier:metrics:logger:routeTable:health:routes:services:onShutdown:)``
/// with the ledger's token verifier, routes and health, and `onShutdown` after the server drained (where
/// `leadledger serve` closes the ledger: the committed events applied, the log and the store closed).
public func buildLedgerApplication(
    ledger: Ledger,
    configuration: HTTPServerConfiguration,
    metrics: PrometheusCollectorRegistry,
    logger: Logger,
    routeTable: RouteTable = RouteTable(),
    onShutdown: (@Sendable () async -> Void)? = nil
) -> some ApplicationProtocol {
    buildApplication(
        configuration: configuration,
        verifier: LedgerTokenVerifier(ledger: ledger),
        metrics: metrics,
        logger: logger,
        routeTable: routeTable,
        health: ledgerHealth(ledger: ledger),
        routes: ledgerRoutes(ledger: ledger, metrics: metrics),
        services: [LedgerMetricsService(ledger: ledger, metrics: LedgerMetrics(registry: metrics))],
        onShutdown: onShutdown
    )
}
