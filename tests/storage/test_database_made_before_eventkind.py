"""A database written by the release before the case log had one vocabulary (``EventKind``)
still verifies and still reads: the stored kinds are the same strings, the chain the same
hashes, and every stored event fits its kind's shape.

``tests/data/made-before-eventkind.sqlite3`` was made with that release (commit bbd078b):
``db upgrade``, ``demo seed``, ``deadlines run`` and one case taken through 21 kinds of
event, with the key and secret below.
"""

import shutil
from pathlib import Path

from sqlalchemy import func, select

from complaints.app import create_app
from complaints.cases.audit import CHAINS, GENESIS, fold
from complaints.cases.events import check_shape
from complaints.cases.identities import reporter_field
from complaints.core.clock import now_utc
from complaints.core.vocabulary import EventKind
from complaints.db.models import CaseEvent, Complaint, ReporterIdentity
from complaints.reports.quarterly import Quarter, quarterly_report

FIXTURE = Path(__file__).parents[1] / "data" / "made-before-eventkind.sqlite3"
KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
HEAD = "a3b0915d1b3e83fb93d36bf25f1fc64b33e3394c3448c28f4bb6a4620a673b6c"
# Its one chain goes on as chain 0; the other chains are empty.
FOLDED = fold([(121, HEAD)] + [(0, GENESIS)] * (CHAINS - 1))


def old_app(tmp_path):
    path = tmp_path / "before.sqlite3"
    shutil.copyfile(FIXTURE, path)
    url = f"sqlite:///{path}"
    app = create_app({"TESTING": "1", "DATABASE_URL": url, "ENCRYPTION_KEY": KEY,
                      "SECRET_KEY": "old-database-fixture-secret",
                      "INSTANCE_PATH": str(tmp_path / "instance")})
    # As an operator upgrades: the migrations, then what needs the key (binding identities,
    # sealing the cases and clues made before seals).
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return app


def test_audit_verify_passes_on_a_database_made_before_the_change(tmp_path):
    app = old_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "chains hold: 121 event(s)" in result.output and f"heads folded {FOLDED}" in result.output


def test_the_old_identities_open_bound_and_the_old_cases_are_sealed(tmp_path):
    app = old_app(tmp_path)
    components = app.extensions["complaints"]
    with components.session_factory() as session:
        reporters = session.scalars(select(ReporterIdentity)).all()
        assert reporters and all(reporter_field(components.vault, r, "phone") or
                                 reporter_field(components.vault, r, "name") for r in reporters)
        assert session.scalar(select(func.count()).where(Complaint.seal.is_(None))) == 0


def test_every_stored_event_has_a_known_kind_and_fits_its_shape(tmp_path):
    app = old_app(tmp_path)
    with app.extensions["complaints"].session_factory() as session:
        events = session.scalars(select(CaseEvent)).all()
        kinds = {EventKind(event.action) for event in events}
        for event in events:
            check_shape(EventKind(event.action), event.details)
    assert len(kinds) == 21


def test_reports_read_the_old_events_by_name(tmp_path):
    app = old_app(tmp_path)
    components = app.extensions["complaints"]
    with components.session_factory() as session:
        first = session.scalar(select(CaseEvent.occurred_at).order_by(CaseEvent.seq).limit(1))
        local = first.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        quarter = Quarter.parse(f"{local.year}Q{(local.month - 1) // 3 + 1}")
        report = quarterly_report(session, components.table, quarter, now_utc())
    assert (report.chain_seq, report.chain_hash) == (121, FOLDED)
    assert report.total.to_commission == 1 and report.total.returned == 1
    assert report.total.extensions == 1 and report.total.received >= 20
