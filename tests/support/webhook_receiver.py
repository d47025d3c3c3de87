"""A webhook receiver for fmn's integration tests: records every POST it gets and checks its
signature on its own (Python's hmac, not fmn's code).

Usage: /usr/bin/python3 webhook_receiver.py --port N --dir DIR --secret SECRET

Each request becomes one JSON line in DIR/requests.jsonl, written once the reply is decided:
{"path", "event", "timestamp", "signature", "signature_valid", "body", "status"}, where
signature_valid says whether X-Fmn-Signature is "sha256=" and the hex HMAC-SHA256 of
"<X-Fmn-Timestamp>.<body>" under SECRET (compared with hmac.compare_digest).

Before each reply the server reads DIR/mode: "accept" (or no file) answers 200, echoing the
challenge of a confirmation request as the body; "fail" answers 500; "no-echo" answers 200
with a body that is not the challenge.
"""

import argparse
import hashlib
import hmac
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(directory, secret):
    class Handler(BaseHTTPRequestHandler):
        def mode(self):
            try:
                with open(os.path.join(directory, "mode"), encoding="ascii") as f:
                    return f.read().strip()
            except FileNotFoundError:
                return "accept"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Fmn-Timestamp", "")
            signature = self.headers.get("X-Fmn-Signature", "")
            expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body,
                                            hashlib.sha256).hexdigest()
            event = self.headers.get("X-Fmn-Event", "")
            mode = self.mode()
            status, reply = 200, b"ok"
            if mode == "fail":
                status, reply = 500, b"failing on purpose"
            elif event == "confirmation":
                challenge = json.loads(body).get("challenge", "")
                reply = b"not the challenge" if mode == "no-echo" else challenge.encode()
            record = {"path": self.path, "event": event, "timestamp": timestamp,
                      "signature": signature,
                      "signature_valid": hmac.compare_digest(signature, expected),
                      "body": body.decode("utf-8", "replace"), "status": status}
            with open(os.path.join(directory, "requests.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, fmt, *args):
            sys.stderr.write("webhook receiver: " + (fmt % args) + "\n")

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port),
                                 make_handler(args.dir, args.secret.encode()))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("webhook receiver on 127.0.0.1:%d" % args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
