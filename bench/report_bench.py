"""The quarterly report over a million cases with realistic event histories.

Fills a scratch database with BENCH_CASES cases (default 1,000,000) received from
October 2025 to November 2026, each with the events a case really collects
(received, accepted, dispatched, sometimes returned, moved, extended, clue
transferred; mostly started and resolved), then times `quarterly_report` for
2026Q3 and records peak memory. SQLite in a temporary folder; PostgreSQL in a
database named `bench` on 127.0.0.1 when it answers. Run with `make bench`
(BENCH_CASES=100000 for a quicker look).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from complaints.cases.audit import head_mac  # noqa: E402
from complaints.cases.holdings import replay  # noqa: E402
from complaints.cases.units import sync_units  # noqa: E402
from complaints.core.identity import AUDIT_KEYS, audit_keys  # noqa: E402
from complaints.core.vocabulary import HOLDING_CHANGES  # noqa: E402
from complaints.db import migrate  # noqa: E402
from complaints.db.base import make_engine  # noqa: E402
from complaints.db.models import AuditHead  # noqa: E402
from complaints.reports.quarterly import Quarter, quarterly_report  # noqa: E402
from complaints.routing.table import load_routing_table  # noqa: E402

CASES = int(os.environ.get("BENCH_CASES", "1000000"))
CHUNK = 50_000
FIRST = datetime(2025, 10, 1, tzinfo=UTC)
SPAN_DAYS = 396
HASH = "0" * 64
COMPLAINT_COLUMNS = ("id", "tracking_number", "query_code_hash", "channel", "status", "category",
                     "description", "township_id", "responsible_unit_id", "received_at",
                     "updated_at", "status_changed_at", "household_type", "house_structure",
                     "alleges_misconduct", "needs_triage", "deadline_provisional",
                     "extension_days_granted")
HOLDING_COLUMNS = ("complaint_id", "unit", "held_from", "held_until", "due_at")
EVENT_COLUMNS = ("id", "seq", "prev_hash", "hash", "complaint_id", "occurred_at", "actor_kind",
                 "action", "from_status", "to_status", "details")


def histories(units: dict[str, int], first_id: int, count: int, rng: random.Random, seq: list[int]):
    townships = ["yunling", "chendai", "dongxia", "pumei", "lieyu", "huotian", "xiahe", "mapu",
                 "heping", "econ-zone"]
    handlers = townships + ["housing", "poverty-office", "market", "natural-resources"]
    complaints, events, changes = [], [], []

    def event(case_id, when, action, to_status=None, details=None):
        seq[0] += 1
        if action in HOLDING_CHANGES:
            changes.append((case_id, action, details, when))
        events.append((seq[0], seq[0], HASH, HASH, case_id, when, "lead", action, None, to_status,
                       json.dumps(details, ensure_ascii=False) if details is not None else None))
        return when

    for case_id in range(first_id, first_id + count):
        received = FIRST + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        township = rng.choice(townships)
        unit = rng.choice(handlers)
        status = "assigned"
        when = event(case_id, received, "received", "received", {"channel": "web"})
        when = event(case_id, when + timedelta(hours=rng.randint(1, 30)), "accept", "accepted", {})
        due = when + timedelta(days=21)
        when = event(case_id, when + timedelta(hours=rng.randint(1, 30)), "assign", "assigned",
                     {"unit": unit, "co_units": [], "due": due.isoformat()})
        roll = rng.random()
        if roll < 0.08:
            when = event(case_id, when + timedelta(days=1), "return", "returned", {"unit": unit})
            unit = rng.choice(handlers)
            when = event(case_id, when + timedelta(days=1), "assign", "assigned",
                         {"unit": unit, "co_units": [], "due": (when + timedelta(days=22)).isoformat()})
        elif roll < 0.12:
            target = rng.choice(handlers)
            when = event(case_id, when + timedelta(days=2), "transfer", "assigned",
                         {"unit": unit, "to": target, "due": (when + timedelta(days=23)).isoformat()})
            unit = target
        if rng.random() < 0.05:
            due = due + timedelta(days=10)
            when = event(case_id, when + timedelta(days=3), "grant-extension", None,
                         {"unit": unit, "days": 10, "due": due.isoformat()})
        if rng.random() < 0.03:
            when = event(case_id, when + timedelta(hours=5), "transfer-clue", None,
                         {"unit": unit, "to": "discipline-commission"})
        if rng.random() < 0.8:
            when = event(case_id, when + timedelta(days=1), "start", "in_progress", {"unit": unit})
            took = rng.randint(1, 30)
            resolved = when + timedelta(days=took)
            when = event(case_id, resolved, "resolve", "resolved",
                         {"unit": unit, "outcome": "rectified", "on_time": resolved <= due,
                          "working_days": max(1, took * 5 // 7)})
            status = "resolved"
        complaints.append((case_id, f"YX{received:%Y%m%d}-{case_id:07d}", HASH, "web", status,
                           "dangerous-house", f"第{case_id}号：房子裂了", units[township],
                           units[unit], received, when, when, "unknown", "unknown",
                           False, False, False, 0))
    # Who held each case when, derived by the rule the app applies as it records events.
    return complaints, events, list(replay(changes))


def fill_sqlite(path: Path, units: dict[str, int]) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")
    rng, seq = random.Random(11), [0]
    for first in range(1, CASES + 1, CHUNK):
        complaints, events, stretches = histories(units, first, min(CHUNK, CASES - first + 1),
                                                  rng, seq)
        connection.executemany(
            f"INSERT INTO complaints ({', '.join(COMPLAINT_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(COMPLAINT_COLUMNS))})",
            [tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)
             for row in complaints])
        connection.executemany(
            f"INSERT INTO case_events ({', '.join(EVENT_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(EVENT_COLUMNS))})",
            [tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)
             for row in events])
        connection.executemany(
            f"INSERT INTO case_holdings ({', '.join(HOLDING_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(HOLDING_COLUMNS))})",
            [tuple(v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row)
             for row in stretches])
        connection.commit()
    connection.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq[0], HASH))
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def fill_postgres(dsn: str, units: dict[str, int]) -> None:
    import psycopg

    rng, seq = random.Random(11), [0]
    with psycopg.connect(dsn) as connection:
        for first in range(1, CASES + 1, CHUNK):
            complaints, events, stretches = histories(units, first,
                                                      min(CHUNK, CASES - first + 1), rng, seq)
            with connection.cursor() as cursor:
                with cursor.copy(f"COPY complaints ({', '.join(COMPLAINT_COLUMNS)}) FROM STDIN") as copy:
                    for row in complaints:
                        copy.write_row(row)
                with cursor.copy(f"COPY case_events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                    for row in events:
                        copy.write_row(row)
                with cursor.copy(f"COPY case_holdings ({', '.join(HOLDING_COLUMNS)}) FROM STDIN") as copy:
                    for row in stretches:
                        copy.write_row(row)
            connection.commit()
        connection.execute("UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1",
                           (seq[0], HASH))
        connection.commit()
        # What autovacuum does soon after a bulk load in production: statistics, hint bits
        # and the visibility map, so the timing is not of the load's aftermath.
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def time_report(label: str, url: str, fill) -> None:  # type: ignore[no-untyped-def]
    migrate.upgrade(url)
    engine = make_engine(url, sqlite_begin="DEFERRED")
    table = load_routing_table()
    with Session(engine) as session:
        sync_units(session, table.units)
        session.commit()
        units = {slug: unit_id for unit_id, slug in session.execute(
            __import__("sqlalchemy").text("SELECT id, slug FROM units"))}
    engine.dispose()
    started = time.perf_counter()
    fill(units)
    print(f"{label}: {CASES:,} cases with their histories loaded in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    engine = make_engine(url, sqlite_begin="DEFERRED")
    quarter, now = Quarter.parse("2026Q3"), datetime.now(UTC)
    # The report signs the chain's heads: a session with the chain's keys, as the app makes,
    # and heads sealed with them (the load wrote the events around the chain).
    keys = audit_keys(os.urandom(32))
    with Session(engine, info={AUDIT_KEYS: keys}) as session:
        for head in session.scalars(select(AuditHead)):
            head.keyed_from_seq = head.seq + 1
            head.mac = head_mac(keys, head.seq, head.hash, head.keyed_from_seq, head.id - 1)
        session.commit()
    with Session(engine, info={AUDIT_KEYS: keys}) as session:
        elapsed = []
        for _ in range(2):  # the first with cold caches, the second as on a working server
            started = time.perf_counter()
            report = quarterly_report(session, table, quarter, now)
            elapsed.append(time.perf_counter() - started)
        # Memory in a second run: tracemalloc slows Python allocation several times over.
        tracemalloc.start()
        quarterly_report(session, table, quarter, now)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    engine.dispose()
    print(f"  quarterly report 2026Q3: {elapsed[0]:.1f} s first, {elapsed[1]:.1f} s again, "
          f"peak traced memory "
          f"{peak / 1024 / 1024:.1f} MiB; received {report.total.received:,}, resolved "
          f"{report.total.resolved:,}, to the commission {report.total.to_commission:,}, "
          f"overdue at the end {report.total.overdue:,}", flush=True)


def main() -> None:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True,
                             connect_timeout=3) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench")
            connection.execute("CREATE DATABASE bench")
        dsn = "host=127.0.0.1 user=postgres dbname=bench"
        time_report("PostgreSQL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench",
                    lambda units: fill_postgres(dsn, units))
    except ImportError:
        print("PostgreSQL: skipped (psycopg missing)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        time_report("SQLite", f"sqlite:///{path}", lambda units: fill_sqlite(path, units))


if __name__ == "__main__":
    main()
