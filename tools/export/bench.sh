#!/usr/bin/env bash
# Export throughput: GET /v1/exports/{leads,customers,deals} as CSV and .xlsx against a live server.
#
#   tools/export/bench.sh --data DIR [--bin PATH] [--columns LIST] [TABLE[:FORMAT]]...   (default: leads:csv leads:xlsx)
#
# Uses a data directory prepared beforehand (`leadledger generate --leads N`, or `leadledger import`), makes a
# token with `leadledger token create`, starts `leadledger serve` on a free port and downloads each export once,
# sampling the server's RssAnon every 0.2 s. Prints one JSON object per export: rows, bytes, seconds, rows/s and the
# server's peak anonymous memory (its file-backed LMDB map is not counted: the kernel reclaims it).
set -euo pipefail

data=""
bin=""
columns=""
what=()
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --columns) columns="$2"; shift 2 ;;
        leads*|customers*|deals*) what+=("$1"); shift ;;
        *) echo "usage: $0 --data DIR [--bin PATH] [--columns LIST] [TABLE[:FORMAT]]..." >&2; exit 2 ;;
    esac
done
[ -n "$data" ] || { echo "$0: --data DIR is required" >&2; exit 2; }
[ ${#what[@]} -gt 0 ] || what=(leads:csv leads:xlsx)
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "$bin" ]; then
    (cd "$root" && swift build -c release --product leadledger >&2)
    bin="$root/.build/release/leadledger"
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

token="$("$bin" token create --data "$data" --label export-bench)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"$bin" serve --data "$data" --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 6000); do  # up to 10 minutes: a store of another format is rebuilt first
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done

for item in "${what[@]}"; do
    table="${item%%:*}"
    format="csv"
    [ "$item" = "$table" ] || format="${item#*:}"
    query="format=$format"
    [ -z "$columns" ] || query="$query&columns=$columns"
    peak=0
    ( while kill -0 "$server_pid" 2>/dev/null; do awk '/^RssAnon:/ {print $2}' "/proc/$server_pid/status"; sleep 0.2; done ) > "$work/rss" &
    sampler=$!
    start=$(date +%s.%N)
    curl -fsS -D "$work/headers" -o "$work/out" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/exports/$table?$query"
    end=$(date +%s.%N)
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    peak=$(sort -n "$work/rss" | tail -1)
    rows=$(awk 'tolower($1) == "x-export-rows:" {print $2}' "$work/headers" | tr -d '\r')
    bytes=$(stat -c %s "$work/out")
    python3 - "$table" "$format" "$rows" "$bytes" "$start" "$end" "$peak" <<'PY'
import json, sys
table, fmt, rows, size, start, end, peak = sys.argv[1:]
seconds = float(end) - float(start)
print(json.dumps({"table": table, "format": fmt, "rows": int(rows), "bytes": int(size), "seconds": round(seconds, 2),
                  "rowsPerSecond": round(int(rows) / seconds), "serverPeakRssAnonKiB": int(peak or 0)}))
PY
done
