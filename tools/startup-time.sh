#!/usr/bin/env bash
# Start-up time of `leadledger serve` on an existing data directory: seconds from the process start to the first
# `/healthz` 200, the resident memory then, and the server's own split of the snapshot load. Prints one JSON line.
#
#   tools/startup-time.sh --data DIR [--runs N]
#
# Uses $LEADLEDGER_BIN, else builds `leadledger` in release mode. Each run stops the server with SIGTERM, which
# writes a snapshot when the projections moved past the newest one (so later runs load that one).
set -euo pipefail

data=""
runs=1
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        *) echo "usage: $0 --data DIR [--runs N]" >&2; exit 2 ;;
    esac
done
[ -n "$data" ] && [ -d "$data/log" ] || { echo "startup-time.sh: --data must name a data directory with a log" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${LEADLEDGER_BIN:-}" ]; then
    (cd "$root" && swift build -c release --product leadledger >&2)
    LEADLEDGER_BIN="$(cd "$root" && swift build -c release --show-bin-path)/leadledger"
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

for _ in $(seq 1 "$runs"); do
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    start="$(date +%s.%N)"
    "$LEADLEDGER_BIN" serve --data "$data" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
    pid=$!
    until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.05
    done
    end="$(date +%s.%N)"
    rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
    read_s="$(grep -o 'readSeconds=[0-9.]*' "$log" | head -1 | cut -d= -f2)"
    index_s="$(grep -o 'decodeAndIndexSeconds=[0-9.]*' "$log" | head -1 | cut -d= -f2)"
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    python3 -c "import json, sys; print(json.dumps({'seconds': round($end - $start, 2), 'rssMB': $rss_kb // 1024,
        'snapshotReadSeconds': float(sys.argv[1]) if sys.argv[1] else None,
        'snapshotDecodeAndIndexSeconds': float(sys.argv[2]) if sys.argv[2] else None}))" "${read_s:-}" "${index_s:-}"
done
