"""Handling rules as the 2022 信访工作条例 and the 12345 practice set them (issue 16), as the
lead unit, a unit and a reporter meet them, with the clock frozen."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints.cases import policy
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.public import public_timeline
from complaints.cases.rules import Relation, TransitionError
from complaints.core.clock import deadline_day, frozen_at
from complaints.core.vocabulary import CaseStatus, Channel, EventKind, Outcome, Role
from complaints.db.models import OutboxMessage
from complaints.intake.filing import NewComplaint, file_complaint

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Yunxiao
REPORTER = frozenset({Relation.REPORTER})


@pytest.fixture
def people(make_user):
    return {"lead": make_user("lead1", Role.LEAD, "housing"),
            "huotian": make_user("l-huotian", Role.LIAISON, "huotian"),
            "mapu": make_user("l-mapu", Role.LIAISON, "mapu")}


@pytest.fixture
def act(db, tools):
    def do(complaint, action, user=None, *, who=None, **fields):
        relations = who or policy.relations(user, complaint)
        event = perform(db, tools, complaint, ActionRequest(action, **fields), relations, user)
        db.commit()
        return event
    return do


@pytest.fixture
def dispatched(db, tools, people, act):
    """An appraisal case (30 calendar days to resolve) accepted and given to 火田镇 on MONDAY."""
    def make(category="appraisal-overdue", unit="huotian"):
        with frozen_at(MONDAY):
            complaint = file_complaint(db, tools, NewComplaint(
                channel=Channel.WEB, description="我是火田镇的，新评上的贫困户，房子一直没人来鉴定",
                category=category, reporter_phone="13055441314")).complaint
            act(complaint, EventKind.ACCEPT, people["lead"])
            act(complaint, EventKind.ASSIGN, people["lead"], unit=unit)
        return complaint
    return make


def extend(act, people, complaint, days, reason="需等待鉴定机构出具报告"):
    act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=days, reason=reason)
    act(complaint, EventKind.GRANT_EXTENSION, people["lead"])


def test_extensions_add_at_most_thirty_days_in_all(people, act, dispatched):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=1)):
        extend(act, people, complaint, 20)
        with pytest.raises(TransitionError) as raised:
            act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=11, reason="还要等")
        assert raised.value.code == "extension-days" and "1 到 10 天" in raised.value.message
        extend(act, people, complaint, 10)
        with pytest.raises(TransitionError) as raised:
            act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=1, reason="再等等")
        assert raised.value.code == "extension-used-up"
    assert complaint.extension_days_granted == 30


def test_a_transfer_after_extensions_never_passes_sixty_days_and_the_extensions(
        people, act, dispatched):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=1)):
        extend(act, people, complaint, 30)
    # 50 days after acceptance the lead unit moves the case: the new unit's 30 days would run
    # to day 80; the cap is day 60 plus the 30 days granted.
    with frozen_at(MONDAY + timedelta(days=50)):
        act(complaint, EventKind.TRANSFER, people["lead"], unit="mapu", reason="属于马铺乡")
    accepted_day_end = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert complaint.resolve_due_at == accepted_day_end + timedelta(days=60 + 30)


def test_the_reporter_is_told_of_an_extension_and_why(db, tools, people, act, dispatched, vault):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=1)):
        extend(act, people, complaint, 15, reason="需等待县鉴定站排期")
    bodies = [vault.open(row.body_sealed, "outbox-body") for row in db.scalars(select(OutboxMessage))]
    [told] = [body for body in bodies if "办理期限延长" in body]
    due = f"{deadline_day(complaint.resolve_due_at):%Y-%m-%d}"  # 30 days + 15 from 23 November
    assert due == "2027-01-07"
    assert complaint.tracking_number in told and "需等待县鉴定站排期" in told and due in told
    timeline = [entry.text for entry in public_timeline(complaint, tools.table)]
    assert f"办理期限延长 15 天，至 {due}。原因：需等待县鉴定站排期" in timeline


def test_a_reopened_case_starts_a_new_round_and_is_not_late_at_dispatch(people, act, dispatched):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=2)):
        extend(act, people, complaint, 30)
        act(complaint, EventKind.START, people["huotian"])
        act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    # Seventy days after acceptance the reporter says it was not fixed.
    with frozen_at(MONDAY + timedelta(days=70)):
        act(complaint, EventKind.REPORTER_FEEDBACK, who=REPORTER, fixed=False, satisfaction=1)
        assert complaint.status is CaseStatus.REOPENED
        act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
        now = MONDAY + timedelta(days=70)
        assert complaint.resolve_due_at > now + timedelta(days=25)  # a full round, not overdue
        assert complaint.extension_days_granted == 0  # and its own extensions
