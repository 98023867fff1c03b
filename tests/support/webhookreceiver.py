#!/ usr / bin / python3
"""A webhook receiver for the subscription tests (tests/api/tst_subscriptionsapi.cpp).

Listens on 127.0.0.1 (a free port, printed as the first line on stdout) and verifies every
delivery's Standard Webhooks signature against the secrets the test registered, with Python's
own hmac (an implementation independent of the server's). Python standard library only.

Every delivery is logged with its W3C trace headers (traceparent, tracestate; null when absent).

Delivery paths:  /ok (200)  /fail (500)  /flaky (500 the first time per webhook-id, then 200)
                 /hang (holds the request until /_release)  /redirect (302 to /ok)
                 /gate (503 until /_open, then 200)
Control paths:   POST /_secrets (a secret per line)  GET /_log (every delivery, JSON)
                 POST /_release  POST /_open
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
secrets = []
log = []
seen = set()
release = threading.Event()
gate_open = threading.Event()


def verify(headers, body):
    """True when one of the webhook-signature's v1 signatures is right for a known secret."""
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    sent = [s.split(",", 1)[1] for s in headers.get("webhook-signature", "").split()
            if s.startswith("v1,")]
    matched = []
    with lock:
        known = list(secrets)
    for secret in known:
        key = base64.b64decode(secret.removeprefix("whsec_"))
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        if any(hmac.compare_digest(expected, s) for s in sent):
            matched.append(secret)
    return matched


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        try:
            self.send_response(status)
        except (BrokenPipeError, ConnectionResetError):
            return
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting (the hang case)

    def do_GET(self):
        if self.path == "/_log":
            with lock:
                body = json.dumps(log).encode()
            self.answer(200, body, [("Content-Type", "application/json")])
        else:
            self.answer(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path == "/_secrets":
            with lock:
                secrets.extend(line for line in body.decode().split() if line)
            return self.answer(204)
        if self.path == "/_release":
            release.set()
            return self.answer(204)
        if self.path == "/_open":
            gate_open.set()
            return self.answer(204)
        msg_id = self.headers.get("webhook-id", "")
        entry = {"path": self.path, "id": msg_id,
                 "timestamp": self.headers.get("webhook-timestamp", ""),
                 "signature": self.headers.get("webhook-signature", ""),
                 "content_type": self.headers.get("Content-Type", ""),
                 "traceparent": self.headers.get("traceparent"),
                 "tracestate": self.headers.get("tracestate"),
                 "body": body.decode("utf-8", "replace"),
                 "verified_with": verify(self.headers, body)}
        with lock:
            log.append(entry)
            first = (self.path, msg_id) not in seen
            seen.add((self.path, msg_id))
        if self.path == "/ok":
            return self.answer(200, b"thanks")
        if self.path == "/fail":
            return self.answer(500, b"receiver is broken")
        if self.path == "/flaky":
            return self.answer(500 if first else 200, b"flaky")
        if self.path == "/gate":
            return self.answer(200 if gate_open.is_set() else 503, b"gate")
        if self.path == "/redirect":
            return self.answer(302, b"", [("Location", "/ok")])
        if self.path == "/hang":
            release.wait(120)
            return self.answer(200)
        return self.answer(404)


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
