# Sourced by the benchmark scripts: builds the release binary unless `bin` is set, and starts `leadledger serve`
# on a free port over `data` with a fresh token.
#
#   bench_build_binary            sets bin (release build) when empty
#   bench_start_server LABEL ...  sets work, token, port, server_pid and api; extra arguments go to serve.
# The EXIT trap stops the server and removes `work`.

bench_build_binary() {
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    if [ -z "${bin:-}" ]; then
        (cd "$root" && swift build -c release --product leadledger >&2)
        bin="$root/.build/release/leadledger"
    fi
}

bench_cleanup() {
    if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
    [ -z "${work:-}" ] || rm -rf "$work"
}

bench_start_server() {
    local label="$1"
    shift
    work="$(mktemp -d)"
    server_pid=""
    trap bench_cleanup EXIT
    token="$("$bin" token create --data "$data" --label "$label")"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    "$bin" serve --data "$data" --host 127.0.0.1 --port "$port" "$@" >"$work/server.log" 2>&1 &
    server_pid=$!
    local _
    for _ in $(seq 1 6000); do  # up to 10 minutes: a store of another format is rebuilt first
        curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
        sleep 0.1
    done
    api="http://127.0.0.1:$port"
}
