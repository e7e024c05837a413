"""Console speed with 100,000 cases: the liaison's list and the lead unit's board.

Fills a scratch database (SQLite in a temporary folder; PostgreSQL in a
database named `bench` on 127.0.0.1 when the server answers) with 100,000
cases spread over units, townships, statuses and deadlines, then times real
HTTP requests through the Flask test client, logged in as each role.
Run with `make bench`.
"""

from __future__ import annotations

import base64
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyotp  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from complaints.accounts import create_user, second_factor  # noqa: E402
from complaints.app import create_app  # noqa: E402
from complaints.cases import tallies  # noqa: E402
from complaints.cases.units import sync_units  # noqa: E402
from complaints.core.clock import now_utc  # noqa: E402
from complaints.core.vocabulary import (  # noqa: E402
    CaseStatus,  # noqa: E402
    Channel,
    Role,
)
from complaints.db import migrate  # noqa: E402
from complaints.db.models import Complaint, Unit, complaint_co_units  # noqa: E402

CASES = int(os.environ.get("CONSOLE_BENCH_CASES", "100000"))  # a quicker size for a try
PASSWORD = "bench password 1"
STATUSES = [CaseStatus.RECEIVED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS,
            CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.CLOSED, CaseStatus.CLOSED]
TOTP_SECRETS: dict[str, str] = {}
WORDS = ["房子裂了", "屋顶漏雨", "台风吹坏", "墙体倾斜", "没有鉴定", "安全牌没挂", "施工质量差"]


def fill(app) -> None:  # type: ignore[no-untyped-def]
    components = app.extensions["complaints"]
    rng = random.Random(7)
    now = now_utc()
    with components.session_factory() as session:
        sync_units(session, components.table.units)
        lead = create_user(session, "lead", Role.LEAD, PASSWORD, unit_slug="housing")
        create_user(session, "liaison", Role.LIAISON, PASSWORD, unit_slug="huotian")
        # The lead unit logs in with a second factor: enrolled as a person would, phone in hand.
        enrolment = second_factor.begin_enrolment(components.vault, lead)
        second_factor.confirm_enrolment(session, components.vault, lead,
                                        pyotp.TOTP(enrolment.secret).now())
        TOTP_SECRETS["lead"] = enrolment.secret
        session.commit()
        units = {u.slug: u.id for u in session.scalars(select(Unit))}
    townships = [units[s] for s in ("yunling", "chendai", "dongxia", "pumei", "lieyu", "huotian",
                                    "xiahe", "mapu", "heping", "econ-zone")]
    handlers = townships + [units["housing"], units["poverty-office"], units["market"]]
    categories = [c.slug for c in components.table.categories]
    rows, links = [], []
    for n in range(1, CASES + 1):
        received = now - timedelta(days=rng.uniform(0, 400))
        status = rng.choice(STATUSES)
        resolved = received + timedelta(days=rng.uniform(1, 30)) if status in (
            CaseStatus.RESOLVED, CaseStatus.CLOSED) else None
        rows.append({
            "id": n, "tracking_number": f"YX{received:%Y%m%d}-{n:06d}", "query_code_hash": "0" * 64,
            "channel": rng.choice(list(Channel)), "status": status,
            "category": rng.choice(categories), "description": f"第{n}号：{rng.choice(WORDS)}",
            "township_id": rng.choice(townships),
            "responsible_unit_id": None if status is CaseStatus.RECEIVED else rng.choice(handlers),
            "deadline_at": None if status is CaseStatus.CLOSED else received + timedelta(days=15),
            "received_at": received, "updated_at": received, "status_changed_at": received,
            "assigned_at": received if status is not CaseStatus.RECEIVED else None,
            "resolved_at": resolved, "resolve_due_at": received + timedelta(days=15),
            "working_days_to_resolve": rng.randint(1, 25) if resolved else None,
            "household_type": "unknown", "house_structure": "unknown",
            "alleges_misconduct": rng.random() < 0.05, "needs_triage": rng.random() < 0.02,
        })
        if rng.random() < 0.3:
            links.append({"complaint_id": n, "unit_id": rng.choice(handlers)})
    with components.engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(insert(Complaint), rows[start:start + 5000])
        links = list({(link["complaint_id"], link["unit_id"]): link for link in links}.values())
        for start in range(0, len(links), 5000):
            connection.execute(insert(complaint_co_units), links[start:start + 5000])
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT setval('complaints_id_seq', :n)"), {"n": CASES})
    # Loaded around the app: the board's tallies are counted once, as after a restore.
    with components.session_factory() as session:
        tallies.rebuild(session)
        session.commit()
    if components.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load in production (as in report_bench):
        # statistics and the visibility map, so index-only reads are timed as they will run.
        with components.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def timed(client, url: str, runs: int = 20) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Median and 95th percentile (nearest rank) of ``runs`` requests, after one to warm up."""
    client.get(url)
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    ordered = sorted(times)
    return statistics.median(times), ordered[math.ceil(0.95 * runs) - 1], size


def log_in(client, username: str) -> None:  # type: ignore[no-untyped-def]
    import re

    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/staff/login", data={"username": username, "password": PASSWORD,
                                                  "csrf_token": token})
    assert response.status_code == 302
    if "/staff/login/code" in response.location:
        page = client.get(response.location).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        # The next step's code: enrolment used this step's.
        code = pyotp.TOTP(TOTP_SECRETS[username]).at(time.time() + 30)
        response = client.post(response.location, data={"code": code, "csrf_token": token})
        assert response.status_code == 302 and "/code" not in response.location


def run(label: str, url: str, folder: Path) -> None:
    migrate.upgrade(url)
    app = create_app({"TESTING": "1", "DATABASE_URL": url, "SECRET_KEY": "b" * 32,
                      "ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
                      "INSTANCE_PATH": str(folder), "LOGIN_LIMIT_PER_ADDRESS": "1000 per minute"})
    started = time.perf_counter()
    fill(app)
    print(f"{label}: {CASES:,} cases loaded in {time.perf_counter() - started:.1f} s")
    for role, pages in (
        ("liaison", ["/staff/cases", "/staff/cases?sla=overdue", "/staff/cases?q=漏雨",
                     "/staff/cases?page=40", "/staff/cases?status=in_progress&township=huotian"]),
        ("lead", ["/staff/cases", "/staff/cases?sla=overdue", "/staff/board", "/staff/cases?q=YX"]),
    ):
        client = app.test_client()
        log_in(client, role)
        for page in pages:
            median, p95, size = timed(client, page)
            print(f"  {role:8} {page:50} median {median:7.1f} ms  p95 {p95:7.1f} ms"
                  f"  ({size / 1024:.0f} KiB)")
    app.extensions["complaints"].engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{folder}/bench.db", Path(folder))
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres",
                             autocommit=True, connect_timeout=3) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench")
            connection.execute("CREATE DATABASE bench")
    except Exception as error:  # no server here: say so and stop
        print(f"PostgreSQL: skipped ({error})")
        return
    with tempfile.TemporaryDirectory() as folder:
        run("PostgreSQL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench", Path(folder))


if __name__ == "__main__":
    main()
