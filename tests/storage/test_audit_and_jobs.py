"""The audit chain catches tampering; the hourly job escalates, closes and follows up."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from complaints.accounts import create_user
from complaints.cases.audit import verify
from complaints.cases.jobs import run_deadlines
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import (
    CaseStatus,
    Channel,
    EventKind,
    HouseholdType,
    HouseStructure,
    Outcome,
    Role,
)
from complaints.db.models import FollowUp, OutboxMessage
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import PASSWORD

LEAD = frozenset({Relation.LEAD})
MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def three_cases(db, tools):
    for text_ in ("火田镇房子裂了", "马铺乡屋顶漏雨", "台风把下河乡的房子吹坏了"):
        file_complaint(db, tools, NewComplaint(channel=Channel.SMS, description=text_))
    db.commit()


def without_guard(db):
    """What someone with the database's admin password could do: lift the guard first."""
    if db.bind.dialect.name == "postgresql":
        db.execute(text("ALTER TABLE case_events DISABLE TRIGGER case_events_append_only"))
    else:
        db.execute(text("DROP TRIGGER case_events_no_update"))
        db.execute(text("DROP TRIGGER case_events_no_delete"))


def test_untouched_chain_holds(db, three_cases):
    verdict = verify(db)
    assert verdict.ok and verdict.checked == 3 and verdict.head_seq == 3


def test_a_changed_note_is_caught(db, three_cases):
    without_guard(db)
    db.execute(text("UPDATE case_events SET note = '已处理' WHERE seq = 2"))
    verdict = verify(db)
    assert not verdict.ok and verdict.broken_seq == 2 and "altered" in verdict.problem


def test_a_deleted_event_is_caught(db, three_cases):
    without_guard(db)
    db.execute(text("DELETE FROM case_events WHERE seq = 2"))
    verdict = verify(db)
    assert not verdict.ok and verdict.broken_seq == 2 and "missing" in verdict.problem


def test_deleting_the_newest_event_is_caught(db, three_cases):
    without_guard(db)
    db.execute(text("DELETE FROM case_events WHERE seq = 3"))
    assert not verify(db).ok


def test_two_swapped_events_are_caught(db, three_cases):
    without_guard(db)
    first, second = db.execute(text(
        "SELECT id, description FROM complaints ORDER BY id LIMIT 2")).all()
    # Swap which case the first two events belong to.
    db.execute(text("UPDATE case_events SET complaint_id = :b WHERE seq = 1"), {"b": second.id})
    db.execute(text("UPDATE case_events SET complaint_id = :a WHERE seq = 2"), {"a": first.id})
    verdict = verify(db)
    assert not verdict.ok and verdict.broken_seq == 1


def test_audit_verify_command(app, db, three_cases):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 event(s)" in result.output
    without_guard(db)
    db.execute(text("UPDATE case_events SET note = 'x' WHERE seq = 3"))
    db.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 3" in result.output


@pytest.fixture
def lead(db):
    user = create_user(db, "lead1", Role.LEAD, PASSWORD, unit_slug="housing")
    liaison = create_user(db, "l-huotian", Role.LIAISON, PASSWORD, unit_slug="huotian")
    liaison.phone = "13900000001"
    db.commit()
    return user


def test_overdue_case_is_escalated_once(db, tools, lead):
    with frozen_at(MONDAY):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇房子裂了", township_slug="huotian")).complaint
        perform(db, tools, complaint, ActionRequest(EventKind.ACCEPT), LEAD, lead)
        perform(db, tools, complaint, ActionRequest(EventKind.ASSIGN, unit="huotian"), LEAD, lead)
        db.commit()
    due = complaint.deadline_at
    with frozen_at(due - timedelta(minutes=1)):
        assert run_deadlines(db, tools).escalated == 0
    with frozen_at(due + timedelta(hours=1)):
        assert run_deadlines(db, tools).escalated == 1
        db.commit()
        assert run_deadlines(db, tools).escalated == 0  # idempotent
    assert complaint.escalated_at is not None
    assert [e.action for e in complaint.events][-1] == "escalate"
    bodies = [tools.vault.open(sealed, "outbox-body")
              for sealed in db.scalars(select(OutboxMessage.body_sealed))]
    assert any("督办" in body and complaint.tracking_number in body for body in bodies)


def test_resolved_case_closes_when_the_reporter_window_ends(db, tools, lead):
    with frozen_at(MONDAY):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇房子裂了")).complaint
        for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {"unit": "huotian"}),
                               (EventKind.START, {}), (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
            perform(db, tools, complaint, ActionRequest(action, **fields), LEAD, lead)
        db.commit()
    with frozen_at(complaint.deadline_at + timedelta(seconds=1)):
        report = run_deadlines(db, tools)
    assert report.closed == 1 and report.escalated == 0
    assert complaint.status is CaseStatus.CLOSED


def test_quarterly_follow_up_for_poor_households_in_earth_houses(db, tools, lead):
    with frozen_at(datetime(2026, 8, 3, 2, 0, tzinfo=UTC)):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇土坯房墙裂了", township_slug="huotian",
            house_structure=HouseStructure.EARTH,
            household_type=HouseholdType.REGISTERED_POOR)).complaint
        for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {}), (EventKind.START, {}),
                               (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
            perform(db, tools, complaint, ActionRequest(action, **fields), LEAD, lead)
        db.commit()
        assert run_deadlines(db, tools).follow_ups == 0  # not in the quarter it was resolved
    with frozen_at(datetime(2026, 10, 12, 2, 0, tzinfo=UTC)):
        assert run_deadlines(db, tools).follow_ups == 1
        assert run_deadlines(db, tools).follow_ups == 0
        db.commit()
    follow_up = db.scalar(select(FollowUp))
    assert follow_up.quarter == "2026Q4" and follow_up.unit.slug == "huotian"
    # 15 working days from 1 October, after the National Day week and its make-up Saturday.
    assert follow_up.due_at == datetime(2026, 10, 27, 16, 0, tzinfo=UTC)


def test_unit_is_reminded_once_when_the_deadline_is_near(db, tools, lead):
    with frozen_at(MONDAY):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇房子裂了", township_slug="huotian")).complaint
        perform(db, tools, complaint, ActionRequest(EventKind.ACCEPT), LEAD, lead)
        perform(db, tools, complaint, ActionRequest(EventKind.ASSIGN, unit="huotian"), LEAD, lead)
        db.commit()
        assert run_deadlines(db, tools).reminded == 0  # five working days away
    with frozen_at(complaint.deadline_at - timedelta(days=1)):
        assert run_deadlines(db, tools).reminded == 1
        db.commit()
        assert run_deadlines(db, tools).reminded == 0
    bodies = [tools.vault.open(sealed, "outbox-body")
              for sealed in db.scalars(select(OutboxMessage.body_sealed))]
    assert any("提醒" in body and complaint.tracking_number in body for body in bodies)


def test_an_overdue_clue_is_escalated_once_on_the_clue_never_on_its_case(db, tools, lead):
    with frozen_at(MONDAY):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇村干部收红包", township_slug="huotian",
            alleges_misconduct=True)).complaint
        perform(db, tools, complaint, ActionRequest(EventKind.ACCEPT), LEAD, lead)
        perform(db, tools, complaint, ActionRequest(EventKind.ASSIGN, unit="housing"), LEAD, lead)
        db.commit()
    clue = complaint.clues[0]
    # Five working days from Monday 23 November: the end of Monday 30 November, local time.
    assert clue.due_at == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    with frozen_at(clue.due_at + timedelta(hours=1)):
        first = run_deadlines(db, tools)
        db.commit()
        again = [run_deadlines(db, tools).clues_escalated for _ in range(3)]
    assert first.clues_escalated == 1 and again == [0, 0, 0]
    # The unit holding the hazard is not escalated (nor told) because of the clue.
    assert first.escalated == 0
    assert EventKind.ESCALATE not in [event.action for event in complaint.events]
