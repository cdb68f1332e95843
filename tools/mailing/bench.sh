#!/usr/bin/env bash
# Mailing throughput: send one e-mail per lead through a real SMTP server (aiosmtpd, tools/peers/smtp_peer.py) from a
# live server, durably (intent and outcome events fsynced per message).
#
#   tools/mailing/bench.sh [--leads N] [--per-minute M] [--bin PATH]
#
# Makes a fresh data directory (one generated lead), creates N leads with e-mails (default 2,000) through the API, sets the relay
# (security none, M messages a minute, default 6,000 = the ceiling) and a template, posts one mailing with the
# lead ids in batches of 10,000 and polls it until it completes. Prints one JSON object: leads, sent, seconds,
# messages/s, and what the SMTP server received.
set -euo pipefail

leads=2000
per_minute=6000
bin="${bin:-}"
while [ $# -gt 0 ]; do
    case "$1" in
        --leads) leads="$2"; shift 2 ;;
        --per-minute) per_minute="$2"; shift 2 ;;
        --bin) bin="$2"; shift 2 ;;
        *) echo "usage: $0 [--leads N] [--per-minute M] [--bin PATH]" >&2; exit 2 ;;
    esac
done
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="$(mktemp -d)"
peer_dir="$(mktemp -d)"
source "$root/tools/lib/serve.sh"
bench_build_binary
python3 "$root/tools/peers/smtp_peer.py" --out "$peer_dir" >"$peer_dir/peer.out" 2>&1 &
peer_pid=$!
cleanup() { kill -9 "$peer_pid" 2>/dev/null || true; bench_cleanup; rm -rf "$data" "$peer_dir" "${ids_file:-}" "${body_file:-}"; }
for _ in $(seq 1 200); do grep -q READY "$peer_dir/peer.out" 2>/dev/null && break; sleep 0.05; done
smtp_port="$(awk '/READY/{print $2}' "$peer_dir/peer.out")"
"$bin" generate --data "$data" --leads 1 >/dev/null  # a log to make the token in
bench_start_server mailing-bench --mail-poll-seconds 0
trap cleanup EXIT
auth="Authorization: Bearer $token"
json='Content-Type: application/json'
ids_file="$(mktemp)"
python3 - "$api" "$token" "$leads" >"$ids_file" <<'PY'
import json, sys, urllib.request
api, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    body = json.dumps({"fullName": f"Bench Lead {i}", "emails": [f"lead{i}@bench.example"]}).encode()
    request = urllib.request.Request(api + "/v1/leads", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    print(json.load(urllib.request.urlopen(request))["id"])
PY
curl -fsS -X PUT "$api/v1/settings/smtp-relay" -H "$auth" -H "$json" \
    -d "{\"host\":\"127.0.0.1\",\"port\":$smtp_port,\"security\":\"none\",\"senderAddress\":\"bench@example.com\",\"messagesPerMinute\":$per_minute}" >/dev/null
curl -fsS -X PUT "$api/v1/settings/message-templates/bench" -H "$auth" -H "$json" \
    -d '{"name":"Bench","subject":"{{fullName}}, an offer","text":"Hello {{fullName}}","html":"<p>Hello {{fullName}}</p>"}' >/dev/null
body_file="$(mktemp)"
python3 -c 'import json,sys; print(json.dumps({"channel": "email", "template": "bench",
    "ids": [l.strip() for l in open(sys.argv[1]) if l.strip()][:10000]}))' "$ids_file" >"$body_file"
start=$(date +%s.%N)
id="$(curl -fsS -X POST "$api/v1/mailings" -H "$auth" -H "$json" --data-binary "@$body_file" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
while :; do
    state="$(curl -fsS "$api/v1/mailings/$id" -H "$auth")"
    echo "$state" | grep -q '"state":"completed"' && break
    echo "$state" | grep -q '"state":"paused"' && { echo "$state" >&2; exit 1; }
    sleep 0.2
done
end=$(date +%s.%N)
received="$(wc -l < "$peer_dir/received.jsonl")"
python3 - "$state" "$start" "$end" "$received" <<'PY'
import json, sys
state, start, end, received = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
seconds = end - start
print(json.dumps({"leads": state["recipients"], "sent": state["sent"], "failed": state["failed"], "received": received,
                  "seconds": round(seconds, 2), "messagesPerSecond": round(state["sent"] / seconds, 1)}))
PY
