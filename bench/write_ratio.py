"""The write paths against their floor (issue 18), on SQLite and on PostgreSQL: the signed SMS
webhook, and the resident's web form without a photo.

The project (`wsgi:app`) and the floor (`bench/floor_app.py`: for an SMS check the signature,
store one row through the ORM, one commit, minimal TwiML; for the form a minimal page, then one
row and a redirect to a minimal receipt) run under the same gunicorn settings: sync workers
(2 by default; BENCH_WORKERS="2 4 8" to see whether throughput grows with them), 16 client
connections. Both get the same requests in alternating rounds: signed SMS, each from its own
number (a new complaint); or a form loaded (CSRF token, captcha challenge), filled and sent,
and the receipt it redirects to, each from its own phone number. The figures are each side's
median round (requests, or submissions, per second), its p99 latency (a form's: the POST and
its receipt), and the ratio project/floor; on PostgreSQL also how often the project's requests
waited on a lock (pg_stat_activity sampled every 20 ms: the share of samples with a backend
waiting on a lock, and the mean number waiting). Rate limits are counted in Redis (several
workers need a shared store).
The SMS webhook only keeps the message; the outbox workers act on it (route, file, queue the
receipt). So after the SMS rounds the same number of outbox workers as web workers, each its
own process, act on everything the rounds kept, all at once: their rate (messages filed per
second, from the moment all are ready) is the filing throughput behind the webhook.
BENCH_REQUESTS sets the requests per round (default 400), BENCH_PATHS which paths ("sms form");
`make bench` runs it.
"""

from __future__ import annotations

import base64
import http.cookiejar
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = "bench-twilio-token-0123456789abcdef"
PUBLIC = "https://ts.example.cn"
CONNECTIONS = 16
ROUNDS = 3
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
WORKERS = [int(n) for n in os.environ.get("BENCH_WORKERS", "2").split()]
PATHS = os.environ.get("BENCH_PATHS", "sms form").split()
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite postgresql").split()
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
ANSWER = "2468"  # the captcha's answer under TESTING (CAPTCHA_TEST_ANSWER)
HIDDEN = re.compile(r'name="(csrf_token|submission_token)" type="hidden" value="([^"]+)"')
TEXTS = ["我是火田镇的，家里土坯房墙裂了好大一条缝，下雨天怕倒", "马铺乡客寮村房顶一下雨就漏",
         "台风把下河乡的房子吹坏了", "村干部说要送红包才给评危改"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(module: str, env: dict[str, str], workers: int) -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", module], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


class Round:
    def __init__(self, port: int, first: int) -> None:
        validator = RequestValidator(TOKEN)
        self.requests = []
        for n in range(first, first + REQUESTS):
            params = {"MessageSid": f"SM{n:032d}", "From": f"+86139{n:08d}",
                      "To": "+865968525603", "Body": TEXTS[n % len(TEXTS)], "NumMedia": "0"}
            self.requests.append(urllib.request.Request(
                f"http://127.0.0.1:{port}/twilio/sms", data=urllib.parse.urlencode(params).encode(),
                headers={"X-Twilio-Signature": validator.compute_signature(f"{PUBLIC}/twilio/sms",
                                                                           params)}))
        self.latencies: list[float] = []
        self.failures = 0

    def post(self, batch: list[urllib.request.Request]) -> None:
        for request in batch:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    ok = response.status == 200
            except OSError:
                ok = False
            self.latencies.append(time.perf_counter() - started)
            self.failures += not ok

    def run(self) -> tuple[float, float, int]:
        """Requests per second, p99 latency in ms, failures."""
        threads = [threading.Thread(target=self.post, args=(self.requests[i::CONNECTIONS],))
                   for i in range(CONNECTIONS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        p99 = statistics.quantiles(self.latencies, n=100)[98] * 1000
        return REQUESTS / elapsed, p99, self.failures


class FormRound(Round):
    """Residents sending the form without a photo: load it, fill it, send it, read the receipt."""

    def __init__(self, port: int, first: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.requests = [f"139{n:08d}" for n in range(first, first + REQUESTS)]  # phone numbers
        self.latencies: list[float] = []
        self.failures = 0

    def post(self, batch: list[str]) -> None:  # type: ignore[override]
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        for number in batch:
            try:
                page = opener.open(self.base + "/report", timeout=60).read().decode()
                fields = {**dict(HIDDEN.findall(page)), "township": "huotian", "village": "菜埔村",
                          "captcha": ANSWER, "phone": number,
                          "description": "我家土坯房后墙裂了一条大缝，下雨天怕倒。"}
                started = time.perf_counter()
                with opener.open(self.base + "/report", urllib.parse.urlencode(fields).encode(),
                                 timeout=60) as response:  # follows the redirect to the receipt
                    ok = "查询编号" in response.read().decode()
                self.latencies.append(time.perf_counter() - started)
            except OSError:
                ok = False
            self.failures += not ok


class LockSampler:
    """Backends of one PostgreSQL database waiting on a lock, sampled while a round runs."""

    def __init__(self, database: str) -> None:
        self.database, self.samples, self.waiting = database, 0, 0
        self.with_waits, self.stop = 0, threading.Event()
        self.statements: Counter[str] = Counter()  # what the waiting backends were running
        self.blockers: Counter[str] = Counter()  # what the backends they waited on were doing

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={self.database}",
                             autocommit=True) as connection:
            while not self.stop.is_set():
                rows = connection.execute(
                    "SELECT waiter.query, blocker.state, blocker.query FROM pg_stat_activity waiter "
                    "LEFT JOIN pg_stat_activity blocker "
                    "ON blocker.pid = (pg_blocking_pids(waiter.pid))[1] "
                    "WHERE waiter.datname = %s AND waiter.wait_event_type = 'Lock'",
                    (self.database,)).fetchall()
                queries = [query for query, _, _ in rows]
                self.statements.update(" ".join(query.split()[:4]) for query in queries)
                self.blockers.update(f"{state}: {' '.join((query or '').split()[:4])}"
                                     for _, state, query in rows)
                waiting = len(queries)
                self.samples, self.waiting = self.samples + 1, self.waiting + waiting
                self.with_waits += waiting > 0
                time.sleep(0.02)

    def figures(self) -> str:
        if not self.samples:
            return ""
        waited_in = "; ".join(f"{statement} ×{count}" for statement, count in
                              self.statements.most_common(3))
        held_by = "; ".join(f"{blocker} ×{count}" for blocker, count in
                            self.blockers.most_common(3))
        return (f", lock waits in {100 * self.with_waits / self.samples:.0f}% of samples "
                f"(mean {self.waiting / self.samples:.2f} waiting; in {waited_in or 'nothing'}; "
                f"behind a backend {held_by or 'nowhere'})")


def compare(label: str, database_url: str | None, workers: int, path: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INSTANCE_PATH": folder, "SECRET_KEY": "b" * 32,
               "ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
               "TWILIO_AUTH_TOKEN": TOKEN,
               # Twilio signs the public address; a browser sends the form's cookie (Secure
               # under https) back only to an http address given as such.
               "PUBLIC_BASE_URL": PUBLIC if path == "sms" else "http://127.0.0.1",
               "RATELIMIT_STORAGE_URI": REDIS, "REPORT_LIMIT_PER_ADDRESS": "100000 per hour",
               "CAPTCHA_LIMIT_PER_ADDRESS": "100000 per hour",
               # Only for the captcha's known answer (CAPTCHA_TEST_ANSWER needs it).
               "TESTING": "1", "CAPTCHA_TEST_ANSWER": ANSWER,
               "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.db"}
        subprocess.run([str(BIN / "flask"), "--app", "complaints.app", "db", "upgrade"], env=env,
                       cwd=ROOT, check=True, capture_output=True)
        floor_env = {**env, "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
                     "DATABASE_URL": database_url or f"sqlite:///{folder}/floor.db"}
        figures: dict[str, list[tuple[float, float, int]]] = {"project": [], "floor": []}
        with served("wsgi:app", env, workers) as project, served("floor_app:app", floor_env,
                                                                 workers) as floor:
            kind = FormRound if path == "form" else Round
            kind(project, 10**7).run()  # warm both up: imports, connections, caches
            kind(floor, 10**7).run()
            sampler = LockSampler(database_url.rsplit("/", 1)[1]) if database_url else None
            for number in range(ROUNDS):
                for side, port in (("floor", floor), ("project", project)):
                    watch = None
                    if sampler is not None and side == "project":
                        sampler.stop.clear()
                        watch = threading.Thread(target=sampler.run)
                        watch.start()
                    figures[side].append(kind(port, (number + 1) * 10**6).run())
                    if watch is not None and sampler is not None:
                        sampler.stop.set()
                        watch.join()
        backlog = act_on_backlog(env, workers) if path == "sms" else ""
        rates = {side: statistics.median(rate for rate, _, _ in rounds) for side, rounds in figures.items()}
        p99 = {side: statistics.median(p for _, p, _ in rounds) for side, rounds in figures.items()}
        failed = {side: sum(f for _, _, f in rounds) for side, rounds in figures.items()}
        print(f"{path} on {label}, {workers} sync workers, {CONNECTIONS} connections, "
              f"{REQUESTS} per round: "
              f"project {rates['project']:.0f}/s (p99 {p99['project']:.0f} ms, failures "
              f"{failed['project']}), floor {rates['floor']:.0f}/s (p99 {p99['floor']:.0f} ms, "
              f"failures {failed['floor']}), ratio {rates['project'] / rates['floor']:.2f}"
              + (sampler.figures() if sampler is not None else "") + backlog)


def act_on_backlog(env: dict[str, str], workers: int) -> str:
    """``workers`` outbox workers acting on every SMS the rounds kept; the figures as text."""
    context = multiprocessing.get_context("spawn")
    ready, go, counts = context.Barrier(workers + 1), context.Event(), context.Queue()
    processes = [context.Process(target=_outbox_worker, args=(env, ready, go, counts))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    ready.wait()  # every worker has built its app (and trained its router)
    started = time.perf_counter()
    go.set()
    acted = sum(counts.get() for _ in processes)
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return (f"; {workers} outbox workers acted on the {acted} kept SMS in {elapsed:.1f} s: "
            f"{acted / elapsed:.0f} filed/s")


def _outbox_worker(env: dict[str, str], ready: Any, go: Any, counts: Any) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from complaints.app import create_app

    parts = create_app().extensions["complaints"]
    parts.router.warm()
    ready.wait()
    go.wait()
    acted = 0
    while done := parts.act_on_inbound_sms():
        acted += done
    counts.put(acted)


def postgres_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True,
                             connect_timeout=3) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench_ratio")
            connection.execute("CREATE DATABASE bench_ratio")
    except Exception as error:
        print(f"PostgreSQL: skipped ({error})")
        return None
    return "postgresql+psycopg://postgres@127.0.0.1:5432/bench_ratio"


def main() -> None:
    for path in PATHS:
        for workers in WORKERS if "sqlite" in DATABASES else ():
            compare("SQLite", None, workers, path)
        for workers in WORKERS if "postgresql" in DATABASES else ():
            url = postgres_url()
            if url is None:
                return
            compare("PostgreSQL", url, workers, path)


if __name__ == "__main__":
    main()
