public import Hummingbird
public import LeadLedgerCore
public import LeadLedgerMail
public import Logging
public import Prometheus
import ServiceLifecycle

/// The controllers of the LeadLedger API over one ledger; `mail` reads the mailboxes (default: under
/// `<data>/mail`).
public func ledgerRoutes(
    ledger: Ledger, metrics: PrometheusCollectorRegistry, mail: MailIntake? = nil, mailings: MailingJobs? = nil
) -> [any APIRouteCollection] {
    let commands = CommandResponder(ledger: ledger, metrics: LedgerMetrics(registry: metrics))
    let mail = mail ?? MailIntake(ledger: ledger, root: MailIntake.defaultRoot(dataDirectory: ledger.configuration.dataDirectory))
    let mailings = mailings ?? MailingJobs(ledger: ledger, logger: ledger.configuration.logger)
    return [
        LeadRoutes(commands: commands),
        CallRoutes(commands: commands),
        ImportRoutes(commands: commands),
        FormRoutes(commands: commands),
        MailRoutes(commands: commands, intake: mail),
        BulkRoutes(commands: commands),
        MessageTemplateRoutes(commands: commands),
        MailingRoutes(commands: commands, jobs: mailings),
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
/// `leadledger serve` closes the ledger: the committed events applied, the log and the store closed). With
/// `mailPoll`, every enabled mailbox under `mail`'s root is read at that interval.
public func buildLedgerApplication(
    ledger: Ledger,
    configuration: HTTPServerConfiguration,
    metrics: PrometheusCollectorRegistry,
    logger: Logger,
    routeTable: RouteTable = RouteTable(),
    mail: MailIntake? = nil,
    mailPoll: Duration? = nil,
    onShutdown: (@Sendable () async -> Void)? = nil
) -> some ApplicationProtocol {
    let mail = mail ?? MailIntake(ledger: ledger, root: MailIntake.defaultRoot(dataDirectory: ledger.configuration.dataDirectory))
    let mailings = MailingJobs(ledger: ledger, logger: logger)
    var services: [any Service] = [
        LedgerMetricsService(ledger: ledger, metrics: LedgerMetrics(registry: metrics)), MailingService(jobs: mailings),
    ]
    if let mailPoll { services.append(MailPollService(intake: mail, interval: mailPoll, logger: logger)) }
    return buildApplication(
        configuration: configuration,
        verifier: LedgerTokenVerifier(ledger: ledger),
        metrics: metrics,
        logger: logger,
        routeTable: routeTable,
        health: ledgerHealth(ledger: ledger),
        routes: ledgerRoutes(ledger: ledger, metrics: metrics, mail: mail, mailings: mailings),
        services: services,
        onShutdown: onShutdown
    )
}
