"""The stretches reports read (who held a case, under which deadline) are written with the
events, survive the migration that introduced them, and `audit verify` checks them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from complaints.accounts import create_user
from complaints.cases import holdings, policy
from complaints.cases.operations import ActionRequest, perform
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import Channel, EventKind, Outcome, Role
from complaints.db import migrate
from complaints.db.models import CaseHolding
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import PASSWORD

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def people(db):
    made = {
        "lead": create_user(db, "lead1", Role.LEAD, PASSWORD, unit_slug="housing"),
        "mapu": create_user(db, "l-mapu", Role.LIAISON, PASSWORD, unit_slug="mapu"),
        "huotian": create_user(db, "l-huotian", Role.LIAISON, PASSWORD, unit_slug="huotian"),
    }
    db.commit()
    return made


@pytest.fixture
def history(db, tools, people):
    """A case dispatched to the wrong township, returned, re-dispatched, extended, resolved;
    and a second case still held. Each step one hour after the one before."""
    def act(complaint, action, user, hour, **fields):
        with frozen_at(MONDAY + timedelta(hours=hour)):
            perform(db, tools, complaint, ActionRequest(action, **fields),
                    policy.relations(user, complaint), user)
            db.commit()

    with frozen_at(MONDAY):
        first = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="屋顶漏雨，墙也裂了", township_slug="huotian",
            category="leaks-drafts")).complaint
        second = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="马铺乡土坯房墙裂了", township_slug="mapu",
            category="leaks-drafts")).complaint
        db.commit()
    lead = people["lead"]
    act(first, EventKind.ACCEPT, lead, 1)
    act(first, EventKind.ASSIGN, lead, 1, unit="mapu")
    act(first, EventKind.OBJECT_TO_DISPATCH, people["mapu"], 2, reason="不是本乡的")
    act(first, EventKind.RETURN, lead, 2)
    act(first, EventKind.ASSIGN, lead, 3, unit="huotian")
    act(first, EventKind.REQUEST_EXTENSION, people["huotian"], 4, days=5, reason="等材料")
    act(first, EventKind.GRANT_EXTENSION, lead, 5)
    act(first, EventKind.START, people["huotian"], 6)
    act(first, EventKind.RESOLVE, people["huotian"], 7, outcome=Outcome.RECTIFIED, reason="已修好")
    act(second, EventKind.ACCEPT, lead, 8)
    act(second, EventKind.ASSIGN, lead, 8, unit="mapu")
    return first, second


def hours(moment):
    return None if moment is None else (moment - MONDAY) / timedelta(hours=1)


def test_each_dispatch_extension_return_and_resolution_is_a_stretch(db, history):
    first, second = history
    rows = db.scalars(select(CaseHolding).order_by(CaseHolding.id)).all()
    assert [(r.complaint_id, r.unit, hours(r.held_from), hours(r.held_until)) for r in rows] == [
        (first.id, "mapu", 1, 2),
        (first.id, "huotian", 3, 5),
        (first.id, "huotian", 5, 7),
        (second.id, "mapu", 8, None),
    ]
    # The extension moved the deadline five working days on; the case's own deadline agrees.
    assert rows[2].due_at > rows[1].due_at
    assert rows[3].due_at == second.resolve_due_at
    assert holdings.mismatch(db) is None


def test_who_held_what_at_a_moment(db, history):
    first, second = history
    def held(hour):
        return sorted(db.execute(holdings.held_at(MONDAY + timedelta(hours=hour))).all())
    assert held(1) == []  # an event takes effect just after its moment
    assert [(c, u) for c, u, _ in held(1.5)] == [(first.id, "mapu")]
    assert held(2.5) == []
    assert [(c, u) for c, u, _ in held(9)] == [(second.id, "mapu")]


def test_audit_verify_catches_a_changed_stretch(app, db, history):
    first, _ = history
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    db.execute(text("UPDATE case_holdings SET unit = 'xiahe' WHERE complaint_id = :id"),
               {"id": first.id})
    db.commit()
    assert holdings.mismatch(db) == first.id
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"case id {first.id}" in result.output


def test_the_migration_derives_stretches_from_existing_events(app, db, history):
    components = app.extensions["complaints"]
    url, engine = components.settings.database_url, components.engine
    written = [tuple(row) for row in db.execute(text(
        "SELECT complaint_id, unit, held_from, held_until, due_at FROM case_holdings ORDER BY id"))]
    db.close()
    migrate.downgrade(url, "01ed71ad50d6")
    migrate.upgrade(url)
    engine.dispose()
    with engine.connect() as connection:
        derived = [tuple(row) for row in connection.execute(text(
            "SELECT complaint_id, unit, held_from, held_until, due_at FROM case_holdings "
            "ORDER BY id"))]
    assert derived == written and len(derived) == 4


def test_a_recounted_provisional_deadline_starts_a_new_stretch(app, db, tools, people, tmp_path):
    import shutil

    from complaints.calendar.working_days import holiday_directory

    folder = tmp_path / "holidays"
    shutil.copytree(holiday_directory(), folder)
    lead = people["lead"]
    # Dispatched on New Year's Eve: its deadline falls in 2027, which has no official data yet.
    with frozen_at(datetime(2026, 12, 31, 2, 0, tzinfo=UTC)):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="马铺乡房子裂了", township_slug="mapu",
            category="dangerous-house")).complaint
        for action in (EventKind.ACCEPT, EventKind.ASSIGN):
            perform(db, tools, complaint, ActionRequest(action), policy.relations(lead, complaint), lead)
        db.commit()
    assert complaint.deadline_provisional
    provisional = complaint.resolve_due_at

    year = tmp_path / "holidays-2027.toml"
    year.write_text("year = 2027\nholidays = [2027-01-01, 2027-01-02, 2027-01-03, 2027-01-04]\n"
                    "workdays = []\n", encoding="utf-8")
    with frozen_at(datetime(2027, 1, 1, 2, 0, tzinfo=UTC)):
        result = app.test_cli_runner().invoke(
            args=["calendar", "add-year", str(year), "--into", str(folder)])
    assert result.exit_code == 0, result.output
    db.rollback()
    db.refresh(complaint)
    assert complaint.resolve_due_at > provisional
    stretches = db.scalars(select(CaseHolding).where(CaseHolding.complaint_id == complaint.id)
                           .order_by(CaseHolding.id)).all()
    assert [s.due_at for s in stretches] == [provisional, complaint.resolve_due_at]
    assert stretches[1].held_until is None and holdings.mismatch(db) is None
