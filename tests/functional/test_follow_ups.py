"""Quarterly follow-up visits: created by the job, done by the township, ended by the lead unit."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from complaints.cases.jobs import run_deadlines
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.rules import Relation
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import Channel, EventKind, HouseholdType, HouseStructure, Outcome, Role
from complaints.db.models import FollowUp
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in


@pytest.fixture
def visit(db, tools, make_user):
    lead = make_user("lead1", Role.LEAD, "housing")
    make_user("l-huotian", Role.LIAISON, "huotian")
    make_user("l-mapu", Role.LIAISON, "mapu")
    with frozen_at(datetime(2026, 8, 3, 2, 0, tzinfo=UTC)):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇土坯房墙裂了", township_slug="huotian",
            house_structure=HouseStructure.EARTH,
            household_type=HouseholdType.MINIMUM_ALLOWANCE)).complaint
        for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {}), (EventKind.START, {}),
                               (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED})):
            perform(db, tools, complaint, ActionRequest(action, **fields), frozenset({Relation.LEAD}), lead)
        db.commit()
    with frozen_at(datetime(2026, 10, 12, 2, 0, tzinfo=UTC)):
        run_deadlines(db, tools)
    db.commit()
    return complaint.tracking_number, db.scalar(select(FollowUp.id))


def test_township_liaison_records_the_visit(client, db, visit):
    number, follow_up_id = visit
    log_in(client, "l-huotian")
    page = client.get("/staff/follow-ups").get_data(as_text=True)
    assert number in page
    response = client.post(f"/staff/follow-ups/{follow_up_id}/done",
                           data={"csrf_token": csrf_token_from(page), "note": "房屋安全，已入住"})
    assert response.status_code == 302
    assert number not in client.get("/staff/follow-ups").get_data(as_text=True)
    db.rollback()
    task = db.get(FollowUp, follow_up_id)
    assert task.done_at is not None and task.note == "房屋安全，已入住"
    assert task.complaint.events[-1].action == "follow-up-done"


def test_another_township_neither_sees_nor_records_it(client, visit):
    number, follow_up_id = visit
    log_in(client, "l-mapu")
    page = client.get("/staff/follow-ups").get_data(as_text=True)
    assert number not in page
    response = client.post(f"/staff/follow-ups/{follow_up_id}/done",
                           data={"csrf_token": csrf_token_from(page), "note": "x"})
    assert response.status_code == 404


def test_lead_unit_ends_the_visits(client, db, tools, visit):
    number, _ = visit
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    assert "结束季度回访" in page
    response = client.post(f"/staff/cases/{number}/end-follow-ups",
                           data={"csrf_token": csrf_token_from(page), "reason": "已搬入新房"})
    assert response.status_code == 302
    db.rollback()
    with frozen_at(datetime(2027, 1, 11, 2, 0, tzinfo=UTC)):
        assert run_deadlines(db, tools).follow_ups == 0  # no visit next quarter
