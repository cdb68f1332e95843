#!/usr/bin/env python3
"""Sends a live server every hostile input of issue 12's items 1-4 at once and times GET /healthz meanwhile.

Usage: tools/hardening-probe.py BINARY [--seconds 20]
Starts BINARY serve on a fresh temporary data directory on 127.0.0.1, and for about --seconds runs, in parallel:
extreme and impossible dates on every time parameter and body field (item 1); creates with 50,000 tags and
50 e-mails (item 2); 200 connections sending headers a byte at a time, partial bodies and idle keep-alives
(item 3); 5 MB bodies from urllib, over-long URLs and headers (item 4). A prober asks /healthz every 50 ms.
Prints one JSON object: the server's survival, the /healthz latencies and what each attack got back.
Loopback only; every loop is bounded in count and time.
"""
import json, os, re, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

binary = sys.argv[1]
seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 20.0
data = tempfile.mkdtemp(prefix="leadledger-probe-")
port = 18000 + os.getpid() % 1000
server = subprocess.Popen([binary, "serve", "--data", data, "--port", str(port), "--idle-timeout", "5",
                           "--body-timeout", "5"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
token = None
for line in server.stdout:
    match = re.search(r"LEADLEDGER_ADMIN_TOKEN=(\S+)", line)
    token = match.group(1) if match else token
    if token and str(port) in line:
        break
threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
base = f"http://127.0.0.1:{port}"
deadline = time.time() + seconds
results = {}


def request(method, path, body=None, headers=None, timeout=10):
    headers = dict(headers or {})
    headers.setdefault("Authorization", "Bearer " + token)
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception as error:  # noqa: BLE001 - a probe records every outcome
        return type(error).__name__


def tally(name, outcome):
    results.setdefault(name, {}).setdefault(str(outcome), 0)
    results[name][str(outcome)] += 1


def dates():
    lead = json.loads(urllib.request.urlopen(urllib.request.Request(
        base + "/v1/leads", data=b'{"fullName":"Probe"}', method="POST",
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})).read())["id"]
    values = ["294248-01-01T00:00:00Z", "294247-01-09T12:00:00Z", "2026-02-30", "2026-11-23T10:00:00+99:00"]
    while time.time() < deadline:
        for value in values:
            for path in [f"/v1/leads?createdFrom={value}", f"/v1/reports/funnel?to={value}", f"/v1/leads/{lead}?asOf={value}"]:
                tally("item1 query times", request("GET", path))
            tally("item1 body times", request("POST", f"/v1/leads/{lead}/pause", json.dumps({"until": value}).encode()))


def arrays():
    tags = json.dumps({"fullName": "Tags", "tags": [f"tag {i}" for i in range(50_000)]}).encode()
    emails = json.dumps({"fullName": "Mails", "emails": [f"p{i}@example.lt" for i in range(50)]}).encode()
    while time.time() < deadline:
        tally("item2 50,000 tags", request("POST", "/v1/leads", tags))
        tally("item2 50 e-mails", request("POST", "/v1/leads", emails))


def slow_clients():
    sockets = []
    for i in range(200):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" if i % 3 else
                  b"POST /v1/leads HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        sockets.append(s)
    open_sockets = list(sockets)
    while time.time() < deadline and open_sockets:
        for s in list(open_sockets):
            try:
                s.setblocking(False)
                while True:  # read whatever the server answered; b"" is its close
                    chunk = s.recv(65536)
                    if chunk == b"":
                        open_sockets.remove(s)
                        s.close()
                        break
            except BlockingIOError:
                try:
                    s.send(b"a")  # one more byte a second: never idle, never complete
                except OSError:
                    pass
            except OSError:
                open_sockets.remove(s)
        time.sleep(1)
    closed = len(sockets) - len(open_sockets)
    results["item3 slow connections closed by the server"] = f"{closed} of {len(sockets)}"


def big_requests():
    body = b'{"fullName":"' + b"x" * (5 << 20) + b'"}'
    while time.time() < deadline:
        tally("item4 5 MB body (urllib)", request("POST", "/v1/leads", body, timeout=10))
        tally("item4 long URL", request("GET", "/v1/leads?q=" + "a" * 20_000))
        tally("item4 big header", request("GET", "/v1/leads", headers={"X-Big": "b" * 50_000}))


latencies = []


def prober():
    while time.time() < deadline + 1:
        started = time.time()
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5).read()
            latencies.append((time.time() - started) * 1000)
        except Exception:  # noqa: BLE001
            latencies.append(float("inf"))
        time.sleep(0.05)


threads = [threading.Thread(target=f) for f in (dates, arrays, slow_clients, big_requests, prober)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=seconds + 60)
alive = server.poll() is None
server.terminate()
server.wait(timeout=30)
shutil.rmtree(data, ignore_errors=True)
finite = sorted(latencies)
print(json.dumps({
    "serverAlive": alive, "seconds": seconds, "healthzRequests": len(latencies),
    "healthzMaxMs": round(finite[-1], 1) if finite else None,
    "healthzP99Ms": round(finite[int(len(finite) * 0.99) - 1], 1) if finite else None,
    "healthzOver100ms": sum(1 for x in latencies if x > 100), "attacks": results}, indent=1))
