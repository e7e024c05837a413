"""Signed SMS webhooks per second through the full stack: validate, store, route, reply.

gunicorn with 2 threaded workers (gunicorn.conf.py, as `make run`), on SQLite and on PostgreSQL (a
database named `bench` on 127.0.0.1 when the server answers); 4 client threads
post Twilio-signed messages from distinct numbers, each making a new complaint.
Run with `make bench`.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = "bench-twilio-token-0123456789abcdef"
PUBLIC = "https://ts.example.cn"
MESSAGES, THREADS = 600, 4
TEXTS = ["我是火田镇的，家里土坯房墙裂了好大一条缝，下雨天怕倒", "马铺乡客寮村房顶一下雨就漏",
         "台风把下河乡的房子吹坏了", "村干部说要送红包才给评危改"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(label: str, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INSTANCE_PATH": folder, "SECRET_KEY": "b" * 32,
               "ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
               "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC}
        if database_url:
            env["DATABASE_URL"] = database_url
        subprocess.run([str(BIN / "flask"), "--app", "complaints.app", "db", "upgrade"], env=env,
                       cwd=ROOT, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind",
                                   f"127.0.0.1:{port}", "wsgi:app"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            validator = RequestValidator(TOKEN)
            requests = []
            for n in range(MESSAGES):
                params = {"MessageSid": f"SM{n:032d}", "From": f"+86139{n:08d}",
                          "To": "+865968525603", "Body": TEXTS[n % len(TEXTS)], "NumMedia": "0"}
                signature = validator.compute_signature(f"{PUBLIC}/twilio/sms", params)
                requests.append(urllib.request.Request(
                    f"http://127.0.0.1:{port}/twilio/sms",
                    data=urllib.parse.urlencode(params).encode(),
                    headers={"X-Twilio-Signature": signature}))
            failures: list[int] = []

            def post(batch: list[urllib.request.Request]) -> None:
                for request in batch:
                    with urllib.request.urlopen(request) as response:
                        if response.status != 200:
                            failures.append(response.status)

            threads = [threading.Thread(target=post, args=(requests[i::THREADS],))
                       for i in range(THREADS)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            print(f"{label}: {MESSAGES} signed SMS webhooks in {elapsed:.1f} s = "
                  f"{MESSAGES / elapsed:.0f}/s ({THREADS} clients, 2 gunicorn workers), "
                  f"failures {len(failures)}")
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    run("SQLite", None)
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True,
                             connect_timeout=3) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench")
            connection.execute("CREATE DATABASE bench")
    except Exception as error:
        print(f"PostgreSQL: skipped ({error})")
        return
    run("PostgreSQL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench")


if __name__ == "__main__":
    main()
