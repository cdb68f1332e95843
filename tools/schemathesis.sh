#!/usr/bin/env bash
# Property-based API testing of a running LeadLedger server against schemas/openapi.yaml.
#
#   tools/schemathesis.sh <leadledger-binary> [extra schemathesis args...]
#
# Starts `<binary> serve --data <temp dir> --host 127.0.0.1 --port <free port>`, takes the admin token the first
# start prints (or $LEADLEDGER_TOKEN), waits for /healthz, runs schemathesis with every check, stops the server
# with SIGTERM (graceful: it must exit 0) and exits with schemathesis' status. Installs schemathesis with pip
# if missing. Examples per operation: $SCHEMATHESIS_MAX_EXAMPLES (default 10).
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 <leadledger-binary> [schemathesis args...]" >&2
    exit 2
fi
server="$1"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
schema="$root/schemas/openapi.yaml"

export PATH="$HOME/.local/bin:$PATH"
if ! command -v schemathesis >/dev/null 2>&1; then
    echo "schemathesis.sh: installing schemathesis" >&2
    python3 -m pip install --quiet schemathesis || python3 -m pip install --quiet --user schemathesis ||
        python3 -m pip install --quiet --user --break-system-packages schemathesis
    hash -r
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

"$server" serve --data "$data" --host 127.0.0.1 --port "$port" >"$data/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "schemathesis.sh: server exited; its log:" >&2
        cat "$data/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
token="${LEADLEDGER_TOKEN:-$(sed -n 's/^LEADLEDGER_ADMIN_TOKEN=//p' "$data/server.log" | head -1)}"
[ -n "$token" ] || { echo "schemathesis.sh: no admin token in the server's output" >&2; cat "$data/server.log" >&2; exit 1; }

status=0
schemathesis --config-file "$root/tools/schemathesis.toml" --no-color run "$schema" \
    --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer $token" \
    --checks all \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
    --seed "${SCHEMATHESIS_SEED:-1}" \
    "$@" || status=$?

# A graceful stop must exit cleanly (drain, snapshot).
kill -TERM "$server_pid"
if ! wait "$server_pid"; then
    echo "schemathesis.sh: the server did not stop cleanly; its log:" >&2
    tail -50 "$data/server.log" >&2
    status=1
fi
server_pid=""
exit $status
