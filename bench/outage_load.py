"""Signed SMS under load while PostgreSQL goes away twice and workers are killed (issue 14).

`make run`'s gunicorn (gunicorn.conf.py, 2 workers) and the outbox worker, on a PostgreSQL
database `outage_bench` reached through a loopback TCP relay; 4 client threads post signed
SMS from distinct numbers for about 30 s. Meanwhile the relay is cut for 5 s (twice), one web
worker is killed with SIGKILL, and the outbox worker is killed with SIGKILL while it replays the
spool, then started again. At the end it prints:

    sent / acknowledged / lost / duplicated / 500s (and 503s, not answered)

where acknowledged is a 200 with TwiML (kept in the database, or in the spool), lost an
acknowledged message that never became a stored SMS, duplicated a message filed twice or a receipt queued
twice (each message comes from its own number). Everything but sent and acknowledged should be
zero. Skips when PostgreSQL does not answer. Run with `make bench`; OUTAGE_SECONDS sets the load's length.
"""

from __future__ import annotations

import base64
import collections
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from complaints.core.vocabulary import DeliveryStatus  # noqa: E402
from complaints.db.models import Complaint, InboundSms, OutboxMessage  # noqa: E402
from tests.relay import Relay  # noqa: E402

BIN = Path(sys.executable).parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = "outage_bench"
TOKEN = "bench-twilio-token-0123456789abcdef"
SECONDS = float(os.environ.get("OUTAGE_SECONDS", "30"))
THREADS = 4
TEXTS = ["我是火田镇的，家里土坯房墙裂了好大一条缝，下雨天怕倒", "马铺乡客寮村房顶一下雨就漏",
         "台风把下河乡的房子吹坏了", "村干部说要送红包才给评危改，莆美镇"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database() -> bool:
    try:
        with psycopg.connect(SERVER, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.OperationalError as error:
        print(f"outage load: skipped, PostgreSQL does not answer ({error})")
        return False
    return True


class Load:
    """Client threads posting signed SMS; tallies what came back."""

    def __init__(self, base: str, public: str) -> None:
        self.base, self.public = base, public
        self.validator = RequestValidator(TOKEN)
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.acknowledged: set[str] = set()
        self.sent = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self, thread: int) -> None:
        n = 0
        while not self.stop.is_set():
            sid = f"SM{thread:02d}{n:030d}"
            params = {"MessageSid": sid, "From": f"+86139{thread:02d}{n:06d}", "To": "+865968525603",
                      "Body": TEXTS[n % len(TEXTS)], "NumMedia": "0"}
            n += 1
            signature = self.validator.compute_signature(f"{self.public}/twilio/sms", params)
            request = urllib.request.Request(f"{self.base}/twilio/sms",
                                             data=urllib.parse.urlencode(params).encode(),
                                             headers={"X-Twilio-Signature": signature})
            with self.lock:
                self.sent += 1
            try:
                with urllib.request.urlopen(request, timeout=20) as answer:
                    outcome = "200" if b"<Response" in answer.read() else "200 without TwiML"
            except urllib.error.HTTPError as error:
                outcome = str(error.code)
            except OSError:  # reset by a killed worker, or no answer in time
                outcome = "not answered"
            with self.lock:
                self.outcomes[outcome] += 1
                if outcome == "200":
                    self.acknowledged.add(sid)
            time.sleep(0.05)


def start_outbox(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN / "flask"), "--app", "complaints.app", "outbox", "run",
                             "--interval", "0.5"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def web_workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def main() -> None:
    if not fresh_database():
        return
    relay = Relay(("127.0.0.1", 5432))
    relayed_url = f"postgresql+psycopg://postgres@127.0.0.1:{relay.port}/{DATABASE}"
    direct_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
    port = free_port()
    base = public = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INSTANCE_PATH": folder, "SECRET_KEY": "b" * 32,
               "ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
               "TWILIO_AUTH_TOKEN": TOKEN, "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
               "TWILIO_PHONE_NUMBER": "+865968525603", "PUBLIC_BASE_URL": public,
               "DATABASE_URL": relayed_url, "PORT": str(port), "WEB_WORKERS": "2",
               # Two workers count their rate limits in one place.
               "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")}
        subprocess.run([str(BIN / "flask"), "--app", "complaints.app", "db", "upgrade"], env=env,
                       cwd=ROOT, check=True, capture_output=True)
        server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        outbox = start_outbox(env)
        load = Load(base, public)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            clients = [threading.Thread(target=load.run, args=(n,)) for n in range(THREADS)]
            for client in clients:
                client.start()
            began = time.monotonic()
            outbox = faults(relay, server, outbox, env, began)
            time.sleep(max(0.0, began + SECONDS - time.monotonic()))
            load.stop.set()
            for client in clients:
                client.join()
            spool = Path(folder) / "spool"
            for _ in range(240):  # the outbox worker files what was kept and sends the receipts
                if not list(spool.glob("*.spool")):
                    break
                time.sleep(0.5)
            wait_for_receipts(direct_url)
            report(load, direct_url, spool)
        finally:
            load.stop.set()
            outbox.terminate()
            server.terminate()
            server.wait(timeout=20)
            relay.cut()


def faults(relay: Relay, server: subprocess.Popen[bytes], outbox: subprocess.Popen[bytes],
           env: dict[str, str], began: float) -> subprocess.Popen[bytes]:
    """Two outages, a web worker and the outbox worker killed; returns the outbox worker."""
    events = [(0.2, "cut"), (0.37, "restore"), (0.5, "kill a web worker"),
              (0.6, "cut"), (0.7, "kill the outbox worker while it replays"),
              (0.72, "restore"), (0.75, "start the outbox worker")]
    for at, event in events:
        time.sleep(max(0.0, began + at * SECONDS - time.monotonic()))
        print(f"  {time.monotonic() - began:5.1f} s  {event}")
        if event == "cut":
            relay.cut()
        elif event == "restore":
            relay.restore()
        elif event == "kill a web worker":
            os.kill(web_workers(server.pid)[0], signal.SIGKILL)
        elif event.startswith("kill the outbox"):
            outbox.send_signal(signal.SIGKILL)
            outbox.wait()
        else:
            outbox = start_outbox(env)
    return outbox


def wait_for_receipts(url: str) -> None:
    """Until every kept SMS is acted on and every receipt handled but those the killed worker
    had claimed (they wait out its lease, ten minutes, before another worker takes them)."""
    engine = create_engine(url)
    with engine.connect() as connection:
        for _ in range(120):
            waiting = connection.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status == DeliveryStatus.PENDING)) + connection.scalar(
                select(func.count()).select_from(InboundSms).where(InboundSms.kind.is_(None)))
            connection.rollback()
            if not waiting:
                break
            time.sleep(0.5)
    engine.dispose()


def report(load: Load, url: str, spool: Path) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = set(connection.scalars(select(InboundSms.message_sid)))
        complaints = connection.scalar(select(func.count()).select_from(Complaint))
        new_messages = connection.scalar(
            select(func.count()).select_from(InboundSms).where(InboundSms.kind == "new"))
        # Every receipt goes out by the outbox, once.
        twice = connection.scalar(select(func.count()).select_from(
            select(OutboxMessage.recipient_hash).group_by(OutboxMessage.recipient_hash)
            .having(func.count() > 1).subquery()))
        receipts = dict(connection.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    engine.dispose()
    lost = len(load.acknowledged - stored)
    duplicated = (complaints - new_messages) + (twice or 0)
    print(f"  sent {load.sent} / acknowledged {len(load.acknowledged)} / lost {lost} / "
          f"duplicated {duplicated} / 500s {load.outcomes['500']}")
    print(f"  503s {load.outcomes['503']}, not answered {load.outcomes['not answered']}, "
          f"still in the spool {len(list(spool.glob('*.spool')))}, "
          f"set aside {len(list((spool / 'failed').glob('*.spool')))}; receipts by SMS "
          f"{ {str(status.value): n for status, n in receipts.items()} }; all answers: "
          f"{dict(load.outcomes)}")


if __name__ == "__main__":
    print("Signed SMS while the database goes away and workers are killed:")
    main()
