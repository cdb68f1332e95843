#!/usr/bin/env bash
# Load test of the HTTP API with wrk: POST /v1/leads (unique bodies), GET /v1/leads (filtered, limit=50),
# GET /v1/kanban, GET /v1/reports/*, list pages with two and three combined filters (filters) and the deal
# reports (deal-reports).
#
#   tools/load/run.sh [--leads N] [--seconds S] [--warmup S] [--connections C] [--threads T] [--data DIR]
#                     [create|list|search|kanban|reports|filters|deal-reports|all]...
#
# `all` is create then list; several workloads run one after the other against the same server.
#
# Builds `leadledger` in release mode (or uses $LEADLEDGER_BIN), prepares a data directory with N leads —
# with `leadledger generate --leads N` when the CLI has it, otherwise by running the create workload until N
# leads exist — starts `leadledger serve` on a free port, runs wrk with C connections for S seconds per
# workload (after an untimed warm-up of --warmup seconds, default none) and prints one JSON object per workload:
# requests/s, p50/p99/max latency in ms, errors, and the server's CPU time per request in µs.
# The token: $LEADLEDGER_TOKEN, else `leadledger token create` for a generated directory, else the one the
# server's first start prints.
set -euo pipefail

leads=0
seconds=30
warmup=0
connections=64
threads=2
data=""
what=()
while [ $# -gt 0 ]; do
    case "$1" in
        --leads) leads="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        create|list|search|kanban|reports|filters|deal-reports|all) what+=("$1"); shift ;;
        *) echo "usage: $0 [--leads N] [--seconds S] [--warmup S] [--connections C] [--threads T] [--data DIR] [create|list|search|kanban|reports|filters|deal-reports|all]..." >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tools/load"
command -v wrk >/dev/null 2>&1 || { echo "run.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
if [ -z "${LEADLEDGER_BIN:-}" ]; then
    (cd "$root" && swift build -c release --product leadledger >&2)
    LEADLEDGER_BIN="$(cd "$root" && swift build -c release --show-bin-path)/leadledger"
fi
bin="$LEADLEDGER_BIN"

own_data=0
if [ -z "$data" ]; then
    data="$(mktemp -d)"
    own_data=1
fi
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
    if [ "$own_data" = 1 ]; then rm -rf "$data"; fi
}
trap cleanup EXIT

generated=0
if [ "$leads" -gt 0 ] && [ ! -d "$data/log" ] && "$bin" generate --help >/dev/null 2>&1; then
    echo "run.sh: generating $leads leads in $data" >&2
    "$bin" generate --data "$data" --leads "$leads" >&2
    generated=1
fi
if [ -z "${LEADLEDGER_TOKEN:-}" ] && [ -d "$data/log" ]; then
    LEADLEDGER_TOKEN="$("$bin" token create --data "$data" --label load)"
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
started="$(date +%s.%N)"
"$bin" serve --data "$data" --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 60000); do
    if curl -fsS "$base/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.01
done
rss_anon_kib() { awk '/^RssAnon:/ {print $2}' "/proc/$server_pid/status"; }
echo "{\"workload\":\"startup\",\"secondsToHealthz\":$(python3 -c "import time; print(round(time.time() - $started, 3))"),\"rssAnonKiB\":$(rss_anon_kib)}"
token="${LEADLEDGER_TOKEN:-$(sed -n 's/^LEADLEDGER_ADMIN_TOKEN=//p' "$work/server.log" | head -1)}"
[ -n "$token" ] || { echo "run.sh: no admin token (set LEADLEDGER_TOKEN for an existing data directory)" >&2; exit 1; }
export LEADLEDGER_TOKEN="$token"

count_leads() {
    curl -fsS -H "Authorization: Bearer $token" "$base/v1/leads?limit=1&count=true&status=active,paused,converted,deleted" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])'
}

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }  # user + system, in clock ticks

run_wrk() {  # workload seconds
    cat "$here/common.lua" "$here/$1.lua" "$here/report.lua" >"$work/$1.lua"
    if [ "$warmup" -gt 0 ]; then
        wrk -t "$threads" -c "$connections" -d "${warmup}s" -s "$work/$1.lua" "$base" >/dev/null 2>&1 || true
    fi
    local before after line requests
    before="$(server_cpu_ticks)"
    wrk -t "$threads" -c "$connections" -d "${2}s" --latency -s "$work/$1.lua" "$base" >"$work/$1.out" 2>"$work/$1.err" || true
    after="$(server_cpu_ticks)"
    line="$(grep '^{"requests"' "$work/$1.out" | tail -1)"
    [ -n "$line" ] || { cat "$work/$1.out" "$work/$1.err" >&2; exit 1; }
    # The server's CPU per request: steadier than requests/s on a machine whose speed varies (a shared VM).
    requests="$(echo "$line" | python3 -c 'import json, sys; print(json.load(sys.stdin)["requests"])')"
    local cpu
    cpu="$(python3 -c "print(round(($after - $before) / $(getconf CLK_TCK) / max($requests, 1) * 1e6, 1))")"
    echo "${line%\}},\"workload\":\"$1\",\"connections\":$connections,\"serverCpuMicrosPerRequest\":$cpu,\"rssAnonKiB\":$(rss_anon_kib),\"leads\":$(count_leads)}"
}

if [ "$leads" -gt 0 ] && [ "$generated" = 0 ]; then
    # No generator: fill by creating leads over HTTP until there are enough.
    while [ "$(count_leads)" -lt "$leads" ]; do
        run_wrk create-lead 20 >&2
    done
fi

[ ${#what[@]} -gt 0 ] || what=(all)
for workload in "${what[@]}"; do
    case "$workload" in
        create) run_wrk create-lead "$seconds" ;;
        list) run_wrk list-leads "$seconds" ;;
        search) run_wrk search-leads "$seconds" ;;
        kanban) run_wrk kanban "$seconds" ;;
        reports) run_wrk reports "$seconds" ;;
        filters) run_wrk filter-leads "$seconds" ;;
        deal-reports) run_wrk deal-reports "$seconds" ;;
        all) run_wrk create-lead "$seconds"; run_wrk list-leads "$seconds" ;;
    esac
done
