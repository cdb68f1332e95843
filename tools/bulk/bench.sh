#!/usr/bin/env bash
# Bulk operation throughput: reassign every lead a filter selects, against a live server, durably.
#
#   tools/bulk/bench.sh --data DIR [--bin PATH] [--filter QUERY] [--kind assign|tag] [--perf FILE]
#
# Uses a data directory prepared beforehand (`leadledger generate --leads 100000`). Makes a token with
# `leadledger token create`, starts `leadledger serve` on a free port, creates a manager, posts one bulk operation
# (default: assign every live lead the filter selects to the manager) and polls its job until it completes. The
# time runs from the POST to the completed report (every event committed with fsync, the projections applied).
# Prints one JSON object: leads, applied, seconds, leads/s. With --perf, `perf record -g` samples the server while the
# operation runs.
set -euo pipefail

data=""
bin=""
filter="status=active"
kind="assign"
perf_out=""
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        --filter) filter="$2"; shift 2 ;;
        --kind) kind="$2"; shift 2 ;;
        --perf) perf_out="$2"; shift 2 ;;
        *) echo "usage: $0 --data DIR [--bin PATH] [--filter QUERY] [--kind assign|tag] [--perf FILE]" >&2; exit 2 ;;
    esac
done
[ -n "$data" ] || { echo "$0: --data DIR is required" >&2; exit 2; }
source "$(dirname "$0")/../lib/serve.sh"
bench_build_binary
bench_start_server bulk-bench --mail-poll-seconds 0
auth="Authorization: Bearer $token"
manager="$(curl -fsS -X POST "$api/v1/admins" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"name":"Bench Manager","role":"manager","permissions":[]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
case "$kind" in
    assign) operation="{\"kind\":\"assign\",\"responsible\":\"$manager\"}" ;;
    tag) operation='{"kind":"tag","tags":["bench"]}' ;;
    *) echo "$0: --kind is assign or tag" >&2; exit 2 ;;
esac
body="{\"filter\":\"$filter\",\"operation\":$operation}"

perf_pid=""
if [ -n "$perf_out" ]; then
    perf record -F 499 -g -p "$server_pid" -o "$perf_out" >/dev/null 2>&1 &
    perf_pid=$!
    sleep 1
fi
start=$(date +%s.%N)
location="$(curl -fsS -o "$work/started.json" -w '%header{location}' -X POST "$api/v1/bulk-operations" -H "$auth" \
    -H 'Content-Type: application/json' -d "$body")"
while :; do
    curl -fsS "$api$location" -H "$auth" > "$work/report.json"
    state="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["state"])' "$work/report.json")"
    [ "$state" = "running" ] || break
    sleep 0.05
done
end=$(date +%s.%N)
if [ -n "$perf_pid" ]; then kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true; fi
python3 - "$work/report.json" "$start" "$end" "$kind" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
seconds = float(sys.argv[3]) - float(sys.argv[2])
print(json.dumps({"benchmark": "bulk-" + sys.argv[4], "leads": report["leads"], "applied": report["applied"],
                  "refused": report["refused"], "seconds": round(seconds, 2),
                  "leadsPerSecond": round(report["leads"] / seconds) if seconds else None}))
PY
