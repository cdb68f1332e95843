#!/usr/bin/env python3
"""A real HTTP endpoint for LeadLedger's tests: an SMS gateway as one behaves in production.

It listens on 127.0.0.1 (a free port), prints `READY <port>` once it accepts connections, and appends every
request it answers to OUT/requests.jsonl: method, path, query (parsed), headers, body (text), and the status it
answered. It runs until killed. The number a request is for is read from the `to` query or form field, or the
`to` key of a JSON body.

  --fail NUMBER:N     answer 503 to the first N requests for NUMBER (a temporary failure)
  --reject NUMBER     answer 400 to requests for NUMBER (a permanent failure)
  --token VALUE       answer 401 unless the Authorization header is VALUE
  --reply TEXT        the body of a successful answer (default `OK`)

Usage: python3 tools/peers/http_peer.py --out DIR [options]
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    # A parent may have blocked signals in the thread that started us (the Swift test runner does): take them back,
    # so that SIGTERM ends the peer.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--fail", action="append", default=[])
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--token")
    parser.add_argument("--reply", default="OK")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    fail = {}
    for item in args.fail:
        number, n = item.rsplit(":", 1)
        fail[number] = int(n)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def handle_any(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            to = (query.get("to") or [None])[0]
            if body and to is None:
                if "json" in (self.headers.get("Content-Type") or ""):
                    try:
                        to = json.loads(body).get("to")
                    except ValueError:
                        pass
                else:
                    to = (urllib.parse.parse_qs(body).get("to") or [None])[0]
            with lock:
                if args.token and self.headers.get("Authorization") != args.token:
                    status = 401
                elif to in args.reject:
                    status = 400
                elif fail.get(to, 0) > 0:
                    fail[to] -= 1
                    status = 503
                else:
                    status = 200
                record = {"method": self.command, "path": url.path, "query": query, "headers": dict(self.headers),
                          "body": body, "to": to, "status": status}
                with open(os.path.join(args.out, "requests.jsonl"), "a") as f:
                    f.write(json.dumps(record) + "\n")
            reply = (args.reply if status == 200 else "error").encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = handle_any
        do_POST = handle_any

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"READY {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
