#!/usr/bin/env python3
"""A real SMTP server for LeadLedger's tests (aiosmtpd), with the behaviours a relay shows in production.

It listens on 127.0.0.1 (a free port), prints `READY <port>` on stdout once it accepts connections, and writes
every message it accepts to OUT/<n>.eml with its envelope appended to OUT/received.jsonl (one JSON object per
message: from, to, messageId, file). It runs until killed.

  --starttls DIR      offer STARTTLS with a self-signed certificate for localhost/127.0.0.1, written to
                      DIR/cert.pem (the CA a client trusts) and DIR/key.pem; AUTH then requires TLS.
  --auth USER:PASS    require AUTH (PLAIN or LOGIN) with these credentials before MAIL.
  --defer ADDR:N      answer 451 to RCPT TO:<ADDR> the first N times it is asked (a temporary failure).
  --reject ADDR       answer 550 to RCPT TO:<ADDR> (a permanent failure).
  --delay SECONDS     wait this long before answering the end of DATA (a slow relay).

Usage: python3 tools/peers/smtp_peer.py --out DIR [options]
"""
import argparse
import asyncio
import datetime
import ipaddress
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def self_signed(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    os.makedirs(directory, exist_ok=True)
    cert_path, key_path = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


class Handler:
    def __init__(self, out, defer, reject, delay):
        self.out, self.defer, self.reject, self.delay = out, defer, reject, delay
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        address = address.lower()
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if self.defer.get(address, 0) > 0:
            self.defer[address] -= 1
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.count += 1
            n = self.count
        name = f"{n}.eml"
        with open(os.path.join(self.out, name), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        message_id = None
        for line in (envelope.original_content or envelope.content).split(b"\r\n"):
            if not line:
                break
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
        record = {"from": envelope.mail_from, "to": envelope.rcpt_tos, "messageId": message_id, "file": name}
        with open(os.path.join(self.out, "received.jsonl"), "a") as f:
            f.write(json.dumps(record) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return "250 2.0.0 accepted"


def main():
    # A parent may have blocked signals in the thread that started us (the Swift test runner does): take them back,
    # so that SIGTERM ends the peer.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--starttls")
    parser.add_argument("--auth")
    parser.add_argument("--defer", action="append", default=[])
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--delay", type=float, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    defer = {}
    for item in args.defer:
        address, n = item.rsplit(":", 1)
        defer[address.lower()] = int(n)
    handler = Handler(args.out, defer, {a.lower() for a in args.reject}, args.delay)

    kwargs = {}
    if args.starttls:
        kwargs["tls_context"] = self_signed(args.starttls)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = bool(args.starttls)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port, server_hostname="relay.test", **kwargs)
    controller.start()
    print(f"READY {port}", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
