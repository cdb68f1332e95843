// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "LeadLedger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "leadledger", targets: ["leadledger"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "LeadDomain", targets: ["LeadDomain"]),
        .library(name: "LeadLedgerCore", targets: ["LeadLedgerCore"]),
        .library(name: "LeadLedgerHTTP", targets: ["LeadLedgerHTTP"]),
        .library(name: "LeadLedgerImport", targets: ["LeadLedgerImport"]),
        .library(name: "LeadLedgerExport", targets: ["LeadLedgerExport"]),
        .library(name: "LeadLedgerMail", targets: ["LeadLedgerMail"]),
        .library(name: "LeadLedgerMessages", targets: ["LeadLedgerMessages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        // Already in the graph through Hummingbird; named for the server's own event loop group.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        // In the graph through Hummingbird too; NIOHTTPTypes for the connection guard's pipeline handler.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder.git", from: "0.18.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        // In the graph through Hummingbird (HummingbirdTLS, HummingbirdTesting): TLS for SMTP, HTTP for SMS gateways.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
    ],
    targets: [
        // C libraries, through pkg-config; `make deps` installs the Debian packages.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),

        // The append-only event log over LMDB: envelopes, group commit, hash chain, zstd.
        .target(
            name: "EventLog",
            dependencies: [
                "CLMDB", "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Pure domain: events, commands, state, decide/evolve, validation, text folding. No I/O.
        .target(name: "LeadDomain", swiftSettings: strict),
        // Command service and the projection store (LMDB): the domain wired to the log.
        .target(
            name: "LeadLedgerCore",
            dependencies: [
                "EventLog", "LeadDomain", "CZstd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Imports of leads from files: CSV (CSV.swift), JSON and NDJSON, .xlsx (ZIPFoundation, XMLCoder and
        // Foundation's XMLParser), streamed; the import job on the ledger.
        .target(
            name: "LeadLedgerImport",
            dependencies: [
                "EventLog", "LeadDomain", "LeadLedgerCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "XMLCoder", package: "XMLCoder"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        // Exports of leads, customers and deals to CSV and .xlsx (ZIPFoundation), one read transaction each.
        .target(
            name: "LeadLedgerExport",
            dependencies: [
                "LeadDomain", "LeadLedgerCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict
        ),
        // E-mail intake: RFC 5322/MIME messages read from Maildirs into leads.
        .target(
            name: "LeadLedgerMail",
            dependencies: [
                "EventLog", "LeadDomain", "LeadLedgerCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Messages to leads: templates rendered with swift-mustache (HTML-escaped in HTML bodies), MIME composed,
        // sent through SMTP (SwiftNIO, STARTTLS/TLS with NIOSSL) or an HTTP SMS gateway (AsyncHTTPClient) by
        // mailings, jobs on the ledger.
        .target(
            name: "LeadLedgerMessages",
            dependencies: [
                "EventLog", "LeadDomain", "LeadLedgerCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // The HTTP API (Hummingbird 2).
        .target(
            name: "LeadLedgerHTTP",
            dependencies: [
                "EventLog", "LeadDomain", "LeadLedgerCore", "LeadLedgerExport", "LeadLedgerImport", "LeadLedgerMail",
                "LeadLedgerMessages",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The `leadledger` CLI: serve, rebuild, history, replay, verify, snapshot, stats, bench, generate.
        .executableTarget(
            name: "leadledger",
            dependencies: [
                "EventLog", "LeadDomain", "LeadLedgerCore", "LeadLedgerHTTP", "LeadLedgerImport", "LeadLedgerMail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // A tiny program the crash-safety test runs and kills with SIGKILL: it appends in a loop
        // and prints every acknowledged position.
        .executableTarget(name: "log-append-probe", dependencies: ["EventLog"], swiftSettings: strict),

        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "CLMDB", "log-append-probe"]),
        .testTarget(name: "LeadDomainTests", dependencies: ["LeadDomain"]),
        .testTarget(name: "LeadLedgerCoreTests", dependencies: ["LeadLedgerCore", "LeadDomain", "EventLog"]),
        .testTarget(name: "LeadLedgerImportTests", dependencies: ["LeadLedgerImport", "LeadLedgerCore", "LeadDomain"]),
        .testTarget(name: "LeadLedgerMailTests", dependencies: ["LeadLedgerMail", "LeadLedgerCore", "LeadDomain"]),
        .testTarget(
            name: "LeadLedgerMessagesTests",
            dependencies: [
                "LeadLedgerMessages", "LeadLedgerCore", "LeadDomain", "EventLog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "LeadLedgerExportTests",
            dependencies: [
                "LeadLedgerExport", "LeadLedgerImport", "LeadLedgerCore", "LeadDomain",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        .testTarget(
            name: "LeadLedgerHTTPTests",
            dependencies: [
                "LeadLedgerHTTP", "LeadLedgerCore", "LeadDomain", "EventLog",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "CLITests", dependencies: ["leadledger"]),
    ],
    swiftLanguageModes: [.v6]
)
