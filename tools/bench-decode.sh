#!/usr/bin/env bash
# Payload decode throughput on one core: Foundation's JSONDecoder vs the fast JSON reader (release build).
# Builds a tiny package in .build-bench-decode/ (git-ignored) over Sources/LeadDomain and tools/bench-decode,
# so it runs without the server's dependencies.
# Usage: tools/bench-decode.sh [seconds per measurement, default 2]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/.build-bench-decode"
mkdir -p "$pkg/Sources"
ln -sfn "$root/Sources/LeadDomain" "$pkg/Sources/LeadDomain"
ln -sfn "$root/tools/bench-decode" "$pkg/Sources/bench-decode"
cat > "$pkg/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "BenchDecode",
    targets: [
        .target(name: "LeadDomain", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        .executableTarget(name: "bench-decode", dependencies: ["LeadDomain"]),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
cd "$pkg"
swift build -c release --product bench-decode >&2
exec "$pkg/.build/release/bench-decode" "$@"
