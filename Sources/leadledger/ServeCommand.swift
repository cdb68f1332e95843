import ArgumentParser
import Foundation
import Hummingbird
import LeadLedgerCore
import LeadLedgerHTTP
import LeadLedgerMail
import Logging
import Prometheus

/// `leadledger serve`: the HTTP API over a data directory.
///
/// On a first start (no admin yet) it creates one and prints its access token once. SIGINT/SIGTERM stop
/// accepting connections, let in-flight requests finish, then close the ledger, which writes a snapshot.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API.",
        discussion: "The first start on an empty data directory creates an admin and prints its token once."
    )

    @Option(help: "The data directory (log, projection store and snapshots).")
    var data = "./data"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "The largest request body accepted, in bytes (larger ones get 413).")
    var maxBodySize = HTTPServerConfiguration.defaultMaxBodySize

    @Option(help: "The largest file an import upload may send, in bytes (it streams to <data>/uploads).")
    var maxUploadSize = HTTPServerConfiguration.defaultMaxUploadSize

    @Option(help: "A reverse proxy's IP address (repeatable): behind it, X-Forwarded-For names the client.")
    var trustedProxy: [String] = []

    @Option(help: "The directory mailboxes' Maildirs are under (default: <data>/mail).")
    var mailRoot: String?

    @Option(help: "Seconds between passes over the enabled mailboxes (0: only when asked, POST /v1/mailboxes/{key}/intake).")
    var mailPollSeconds = 60

    @Option(help: "Event loop threads serving the sockets (default: half the cores, at least 1).")
    var eventLoops = HTTPServerConfiguration.defaultEventLoops

    @Option(help: "Open connections at most; one more is answered 503 and closed.")
    var maxConnections = HTTPServerConfiguration.defaultMaxConnections

    @Option(help: "Seconds a connection may wait for a request's complete head (idle keep-alive, slow headers).")
    var idleTimeout = Int(HTTPServerConfiguration.defaultIdleTimeout.components.seconds)

    @Option(help: "Seconds a request's body may take to arrive once its head has.")
    var bodyTimeout = Int(HTTPServerConfiguration.defaultBodyTimeout.components.seconds)

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, not \(port).") }
        guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive.") }
        guard maxUploadSize > 0 else { throw ValidationError("--max-upload-size must be positive.") }
        guard (1...256).contains(eventLoops) else { throw ValidationError("--event-loops must be 1…256, not \(eventLoops).") }
        guard (1...1_000_000).contains(maxConnections) else {
            throw ValidationError("--max-connections must be 1…1000000, not \(maxConnections).")
        }
        guard (1...3_600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1…3600 seconds.") }
        guard (1...3_600).contains(bodyTimeout) else { throw ValidationError("--body-timeout must be 1…3600 seconds.") }
        guard (0...86_400).contains(mailPollSeconds) else { throw ValidationError("--mail-poll-seconds must be 0…86400.") }
        guard !data.isEmpty else { throw ValidationError("--data must name a directory.") }
        for proxy in trustedProxy where !HTTPServerConfiguration.isIPAddress(proxy) {
            throw ValidationError("--trusted-proxy must be an IP address, not \(proxy).")
        }
    }

    func run() async throws {
        let logger = Logger(label: "leadledger.serve")
        // swift-metrics is bootstrapped once per process, here; /metrics serves the same registry.
        let registry = PrometheusCollectorRegistry()
        HTTPMetrics.bootstrapProcessMetrics(registry: registry)

        var ledgerConfiguration = LedgerConfiguration(dataDirectory: data)
        ledgerConfiguration.logger = Logger(label: "leadledger.core")
        let ledger = try await Ledger.open(ledgerConfiguration)
        do {
            if let (adminId, token) = try await ledger.bootstrapAdminIfNeeded() {
                // Written unbuffered (print is block-buffered into a file or pipe): the token is there before requests come.
                FileHandle.standardOutput.write(
                    Data(
                        """
                        First start: created admin \(adminId.uuidString.lowercased()). Its access token, shown only once:
                        LEADLEDGER_ADMIN_TOKEN=\(token)

                        """.utf8))
            }
            var configuration = HTTPServerConfiguration(
                host: host, port: port, maxBodySize: maxBodySize, eventLoops: eventLoops,
                maxConnections: maxConnections, idleTimeout: .seconds(idleTimeout), bodyTimeout: .seconds(bodyTimeout))
            configuration.maxUploadSize = maxUploadSize
            configuration.trustedProxies = trustedProxy
            let mail = MailIntake(
                ledger: ledger, root: mailRoot.map { URL(fileURLWithPath: $0) } ?? MailIntake.defaultRoot(dataDirectory: data))
            let app = buildLedgerApplication(
                ledger: ledger,
                configuration: configuration,
                metrics: registry,
                logger: logger,
                mail: mail,
                mailPoll: mailPollSeconds > 0 ? .seconds(mailPollSeconds) : nil,
                onShutdown: {
                    do {
                        try await ledger.close()
                        logger.info("ledger closed")
                    } catch {
                        logger.error("closing the ledger failed", metadata: ["error": "\(error)"])
                    }
                }
            )
            try await app.runService()
        } catch {
            try? await ledger.close()
            throw error
        }
        // Ungraceful ends skip the hook; closing twice is harmless.
        try await ledger.close()
    }
}
