#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, with AddressSanitizer) of the parts that read untrusted bytes:
#   fuzz-event-payload  the fast JSON reader, through every event type's payload decoder
#   fuzz-time           the one parser of times from outside (Timestamp(iso8601:dateOnly:))
#   fuzz-log-record     the log's record parser and payload decompression
#   fuzz-cursor         page cursor decoding (builds the HTTP stack: minutes, so not in --smoke)
#
# Usage: tools/fuzz/run.sh [--seconds N] [TARGET ...]   each target N seconds (default 600), all four by default
#        tools/fuzz/run.sh --smoke                      the first three, 15 s each (the test command runs this)
# Builds a package in .build-fuzz/ (git-ignored) over the real sources, with the fuzzer flags on this project's
# targets only. Corpora grow in .build-fuzz/corpus/TARGET; a crashing input is kept in .build-fuzz/findings/.
# Prints one JSON line per target and exits 1 if any target found a crash.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
pkg="$root/.build-fuzz"
seconds=600
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --smoke) seconds=15; targets=(fuzz-event-payload fuzz-time fuzz-log-record); shift ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-event-payload fuzz-time fuzz-log-record fuzz-cursor)

mkdir -p "$pkg/Sources"
for module in LeadDomain EventLog LeadLedgerCore LeadLedgerHTTP CLMDB CZstd; do
    ln -sfn "$root/Sources/$module" "$pkg/Sources/$module"
done
for module in FuzzDriver fuzz-event-payload fuzz-time fuzz-log-record fuzz-cursor; do
    ln -sfn "$root/tools/fuzz/Sources/$module" "$pkg/Sources/$module"
done
cat > "$pkg/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
// Written by tools/fuzz/run.sh: the project's modules (symlinked) built with coverage for libFuzzer.
import PackageDescription

let instrumented: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"), .unsafeFlags(["-sanitize=fuzzer,address", "-enable-testing"]),
]
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzDriver"] + dependencies, swiftSettings: instrumented,
        linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])])
}

let package = Package(
    name: "LeadLedgerFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb"),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd"),
        .target(name: "LeadDomain", swiftSettings: instrumented),
        .target(
            name: "EventLog",
            dependencies: [
                "CLMDB", "CZstd", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: instrumented),
        .target(
            name: "LeadLedgerCore",
            dependencies: [
                "EventLog", "LeadDomain", "CZstd",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ], swiftSettings: instrumented),
        .target(
            name: "LeadLedgerHTTP",
            dependencies: [
                "EventLog", "LeadDomain", "LeadLedgerCore",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], swiftSettings: instrumented),
        .target(name: "FuzzDriver", swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]),
        fuzzer("fuzz-event-payload", ["LeadDomain"]),
        fuzzer("fuzz-time", ["LeadDomain"]),
        fuzzer("fuzz-log-record", ["EventLog"]),
        fuzzer("fuzz-cursor", ["LeadLedgerCore", "LeadLedgerHTTP"]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT

cd "$pkg"
status=0
for target in "${targets[@]}"; do
    swift build --product "$target" >&2
    corpus="$pkg/corpus/$target"
    findings="$pkg/findings/$target"
    # Findings count this run only; an earlier run's inputs are kept beside, for reproducing them.
    if [ -d "$findings" ] && [ -n "$(ls -A "$findings")" ]; then
        mkdir -p "$pkg/findings-earlier"
        mv "$findings"/* "$pkg/findings-earlier/"
    fi
    mkdir -p "$corpus" "$findings"
    if [ "$target" = fuzz-event-payload ] && [ -z "$(ls -A "$corpus")" ]; then
        ASAN_OPTIONS=detect_leaks=0 "$pkg/.build/debug/$target" "-write_seeds=$corpus"
    fi
    log="$pkg/$target.log"
    set +e
    # Leak checks off: Swift's lazily created globals and metadata caches read as leaks of the first input.
    ASAN_OPTIONS=detect_leaks=0 "$pkg/.build/debug/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="$findings/" -print_final_stats=1 "$corpus" >"$log" 2>&1
    code=$?
    set -e
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    crashes=$(find "$findings" -type f | wc -l | tr -d ' ')
    corpus_size=$(find "$corpus" -type f | wc -l | tr -d ' ')
    printf '{"target":"%s","seconds":%s,"executions":%s,"corpus":%s,"findings":%s,"exitCode":%s}\n' \
        "$target" "$seconds" "${executions:-0}" "$corpus_size" "$crashes" "$code"
    if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        status=1
        tail -40 "$log" >&2
    fi
done
exit $status
