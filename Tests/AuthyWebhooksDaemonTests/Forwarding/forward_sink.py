#!/usr/bin/env python3
"""A loopback HTTP handler for the forwarding tests: answers each POST from a plan and records what it received.

    forward_sink.py DIR [SECRET]

Writes its port to DIR/port once listening. Each request is appended to DIR/requests.jsonl as
{"headers": {...lower-case...}, "body": "...", "verified": true|false|null}; "verified" is what the `standardwebhooks`
library (PyPI, not ours) says of the signature when SECRET is given. Answers come from DIR/plan, one line per
request in order, "STATUS [RETRY_AFTER] [DELAY_SECONDS]"; once the plan is used up, 204.
"""
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

directory = sys.argv[1]
secret = sys.argv[2] if len(sys.argv) > 2 else None
lock = threading.Lock()
answered = 0

if secret:
    from standardwebhooks.webhooks import Webhook
    verifier = Webhook(secret)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        global answered
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        verified = None
        if secret:
            try:
                verifier.verify(body, {k: v for k, v in headers.items() if k.startswith("webhook-")})
                verified = True
            except Exception:
                verified = False
        with lock:
            plan = []
            if os.path.exists(os.path.join(directory, "plan")):
                plan = open(os.path.join(directory, "plan")).read().split("\n")
            line = plan[answered].split() if answered < len(plan) and plan[answered].strip() else ["204"]
            answered += 1
            with open(os.path.join(directory, "requests.jsonl"), "a") as out:
                out.write(json.dumps({"headers": headers, "body": body.decode(), "verified": verified}) + "\n")
        status = int(line[0])
        if len(line) > 2:
            time.sleep(float(line[2]))
        self.send_response(status)
        if len(line) > 1 and line[1] != "-":
            self.send_header("Retry-After", line[1])
        reply = b"handler says %d" % status
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(directory, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
server.serve_forever()
