"""A local HTTP server that speaks Twilio's Messages API, for the sender's tests.

Twilio's servers are out of reach here; this answers as they do: 201 with a
message resource, or an error document with Twilio's error code. Each request
takes the next behaviour from ``plan`` ("ok", "500", "400", "timeout"),
then "ok" once the plan is used up.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.plan: list[str] = []
        self.received: list[dict[str, str]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                fake.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        match = MESSAGES.match(request.path)
        expected = "Basic " + base64.b64encode(
            f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if not match or match.group(1) != self.account_sid:
            return self.reply(request, 404, {"code": 20404, "message": "Not found", "status": 404})
        if request.headers.get("Authorization") != expected:
            return self.reply(request, 401, {"code": 20003, "message": "Authenticate", "status": 401})
        length = int(request.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
        with self.lock:
            behaviour = self.plan.pop(0) if self.plan else "ok"
        if behaviour == "timeout":
            time.sleep(3)
            return self.reply(request, 503, {"code": 20503, "message": "late", "status": 503})
        if behaviour == "500":
            return self.reply(request, 500, {"code": 20500, "message": "Internal Server Error",
                                             "status": 500})
        if behaviour == "400":
            return self.reply(request, 400, {
                "code": 21211, "message": f"The 'To' number {form.get('To')} is not a valid phone "
                                          "number.", "status": 400})
        with self.lock:
            self.received.append(form)
        sid = "SM" + uuid.uuid4().hex
        self.reply(request, 201, {"sid": sid, "account_sid": self.account_sid, "to": form.get("To"),
                                  "from": form.get("From"), "body": form.get("Body"),
                                  "status": "queued", "num_segments": "1"})

    @staticmethod
    def reply(request: BaseHTTPRequestHandler, status: int, document: dict[str, object]) -> None:
        body = json.dumps(document).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
