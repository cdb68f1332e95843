#!/usr/bin/env bash
# Property-based API testing of a running LeadLedger server against schemas/openapi.yaml.
#
#   tools/schemathesis.sh <server-binary> [extra schemathesis args...]
#
# Starts `<server-binary> serve --data <temp dir> --host 127.0.0.1 --port <free port>`, waits for /healthz,
# runs schemathesis with every check, and stops the server. The bearer token comes from $LEADLEDGER_TOKEN, or,
# when unset, from `<server-binary> token create --data <dir> --name schemathesis --role admin` (the CLI
# subcommand the core will add; until then set LEADLEDGER_TOKEN). Installs schemathesis with pip if missing.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 <server-binary> [schemathesis args...]" >&2
    exit 2
fi
server="$1"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
schema="$root/schemas/openapi.yaml"

export PATH="$HOME/.local/bin:$PATH"
if ! command -v schemathesis >/dev/null 2>&1; then
    echo "schemathesis.sh: installing schemathesis" >&2
    python3 -m pip install --quiet --user schemathesis || python3 -m pip install --quiet --user --break-system-packages schemathesis
fi
command -v schemathesis >/dev/null 2>&1 || { echo "schemathesis.sh: schemathesis not on PATH after install" >&2; exit 1; }

data="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid"
        wait "$server_pid" || true
    fi
    rm -rf "$data"
}
trap cleanup EXIT

token="${LEADLEDGER_TOKEN:-}"
if [ -z "$token" ]; then
    token="$("$server" token create --data "$data" --name schemathesis --role admin)"
fi

"$server" serve --data "$data" --host 127.0.0.1 --port "$port" >"$data/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "schemathesis.sh: server exited; its log:" >&2
        cat "$data/server.log" >&2
        exit 1
    fi
    sleep 0.1
done

schemathesis run "$schema" \
    --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $token" \
    --checks all \
    "$@"
