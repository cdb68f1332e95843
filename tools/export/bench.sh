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
source "$(dirname "$0")/../lib/serve.sh"
bench_build_binary
bench_start_server export-bench

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
