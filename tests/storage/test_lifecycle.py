"""Cases moving through their life: events, deadlines, messages, and the rules that guard them."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints.accounts import create_user
from complaints.cases import policy
from complaints.cases.audit import verify
from complaints.cases.rules import Relation, TransitionError
from complaints.core.clock import frozen_at
from complaints.core.vocabulary import CaseStatus, Channel, EventKind, Outcome, ReviewDecision, Role
from complaints.db.models import CaseEvent, OutboxMessage
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import PASSWORD

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Yunxiao


@pytest.fixture
def people(db):
    made = {
        "lead": create_user(db, "lead1", Role.LEAD, PASSWORD, unit_slug="housing"),
        "huotian": create_user(db, "l-huotian", Role.LIAISON, PASSWORD, unit_slug="huotian"),
        "mapu": create_user(db, "l-mapu", Role.LIAISON, PASSWORD, unit_slug="mapu"),
        "operator": create_user(db, "op1", Role.OPERATOR, PASSWORD),
    }
    made["huotian"].phone = "13900000001"
    db.commit()
    return made


@pytest.fixture
def file(db, tools):
    def filed(description="我是火田镇的，家里土坯房墙裂了好大一条缝", **fields):
        fields.setdefault("reporter_phone", "13055441314")
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description=description, **fields)).complaint
        db.commit()
        return complaint
    return filed


def test_a_case_from_receipt_to_closing(db, people, file, act):
    with frozen_at(MONDAY):
        complaint = file()
    # Received Monday: to be accepted by the end of Tuesday (local).
    assert complaint.deadline_at == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    with frozen_at(MONDAY + timedelta(hours=1)):
        act(complaint, EventKind.ACCEPT, people["lead"])
        act(complaint, EventKind.ASSIGN, people["lead"])
    assert complaint.status is CaseStatus.ASSIGNED
    assert complaint.responsible_unit.slug == "housing"
    assert [u.slug for u in complaint.co_units] == ["huotian"]
    # dangerous-house: 5 working days from Monday's dispatch.
    assert complaint.deadline_at == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)

    # Co-unit liaisons comment but do not resolve.
    act(complaint, EventKind.COMMENT, people["huotian"], reason="已派人现场查看")
    with pytest.raises(TransitionError) as raised:
        act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    assert raised.value.code in ("impossible", "forbidden")

    act(complaint, EventKind.START, people["lead"])
    act(complaint, EventKind.RESOLVE, people["lead"], outcome=Outcome.RECTIFIED, reason="已加固")
    assert complaint.status is CaseStatus.RESOLVED and complaint.outcome is Outcome.RECTIFIED
    act(complaint, EventKind.REPORTER_FEEDBACK, who=frozenset({Relation.REPORTER}), fixed=True,
        satisfaction=5)
    assert complaint.status is CaseStatus.CLOSED and complaint.deadline_at is None
    assert complaint.reporter_satisfaction == 5

    actions = [e.action for e in db.scalars(select(CaseEvent).order_by(CaseEvent.seq))]
    assert actions == ["received", "accept", "assign", "comment", "start", "resolve",
                       "reporter-feedback"]
    assert verify(db).ok


def test_reject_needs_a_reason(db, people, file, act):
    complaint = file()
    with pytest.raises(TransitionError) as raised:
        act(complaint, EventKind.REJECT, people["lead"], reason="  ")
    assert raised.value.code == "reason-required"
    act(complaint, EventKind.REJECT, people["lead"], reason="重复举报，已并入 YX20261120-0003")
    assert complaint.status is CaseStatus.REJECTED and complaint.deadline_at is None


def dispatched(file, act, people, **fields):
    complaint = file(**fields)
    act(complaint, EventKind.ACCEPT, people["lead"])
    act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian", co_units=["housing"])
    return complaint


def test_return_goes_back_to_the_lead_unit(db, people, file, act):
    complaint = dispatched(file, act, people)
    act(complaint, EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="不属于本镇，房屋在马铺乡")
    assert complaint.status is CaseStatus.ASSIGNED  # still the unit's until the lead unit agrees
    act(complaint, EventKind.RETURN, people["lead"])
    assert complaint.status is CaseStatus.RETURNED and complaint.responsible_unit is None
    # The unit keeps a read-only view of what it handed back: it can do nothing on it.
    assert policy.can_see_case(people["huotian"], complaint)
    assert policy.relations(people["huotian"], complaint) <= {Relation.CO_UNIT}
    act(complaint, EventKind.ASSIGN, people["lead"], unit="mapu")
    assert complaint.responsible_unit.slug == "mapu"


def test_transfer_request_needs_the_lead_units_approval(db, people, file, act):
    complaint = dispatched(file, act, people)
    act(complaint, EventKind.START, people["huotian"])
    act(complaint, EventKind.REQUEST_TRANSFER, people["huotian"], unit="mapu", reason="在马铺乡")
    assert complaint.status is CaseStatus.TRANSFERRED
    assert complaint.responsible_unit.slug == "huotian"  # until approved
    act(complaint, EventKind.APPROVE_TRANSFER, people["lead"])
    assert complaint.status is CaseStatus.ASSIGNED and complaint.responsible_unit.slug == "mapu"
    assert policy.relations(people["mapu"], complaint) == {Relation.HANDLER}


def test_refused_transfer_stays_with_the_unit(db, people, file, act):
    complaint = dispatched(file, act, people)
    act(complaint, EventKind.START, people["huotian"])
    act(complaint, EventKind.REQUEST_TRANSFER, people["huotian"], unit="mapu", reason="x")
    act(complaint, EventKind.REFUSE_TRANSFER, people["lead"], reason="经核实在火田镇")
    assert complaint.status is CaseStatus.IN_PROGRESS
    assert complaint.responsible_unit.slug == "huotian"


def test_extension_moves_the_deadline_once_granted(db, people, file, act):
    with frozen_at(MONDAY):
        complaint = dispatched(file, act, people)
        before = complaint.deadline_at
        with pytest.raises(TransitionError) as raised:
            act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=31, reason="x")
        assert raised.value.code == "extension-days"
        db.rollback()
        act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=10,
            reason="需等待鉴定机构出具报告")
        assert complaint.deadline_at == before  # not before the lead unit grants it
        act(complaint, EventKind.GRANT_EXTENSION, people["lead"])
    assert complaint.deadline_at == before + timedelta(days=10)
    assert complaint.extension_days_granted == 10 and complaint.pending_extension_days is None


def test_never_more_than_sixty_days_without_an_extension(db, people, file, act):
    with frozen_at(MONDAY):
        complaint = file(category="appraisal-overdue")
        act(complaint, EventKind.ACCEPT, people["lead"])
    # Dispatched 50 days after acceptance: 30 more days would pass the 60-day line.
    with frozen_at(MONDAY + timedelta(days=50)):
        act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
    accepted_local_day_end = datetime(2027, 1, 22, 16, 0, tzinfo=UTC)
    assert complaint.deadline_at == accepted_local_day_end


def test_the_accused_township_cannot_be_given_the_case_and_its_hazard_is_fixed_elsewhere(
        db, people, file, act):
    complaint = file(description="火田镇我家房子裂了，村干部要红包才给报危房")
    assert complaint.alleges_misconduct and complaint.clues[0].accused_unit.slug == "huotian"
    act(complaint, EventKind.ACCEPT, people["lead"])
    with pytest.raises(TransitionError) as raised:
        act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
    assert raised.value.code == "accused-unit"
    db.rollback()
    with pytest.raises(TransitionError):
        act(complaint, EventKind.ASSIGN, people["lead"], unit="housing", co_units=["huotian"])
    db.rollback()
    act(complaint, EventKind.ASSIGN, people["lead"], unit="housing")
    # The hazard is handled on its own: the clue's decision no longer holds the case up.
    act(complaint, EventKind.START, people["lead"])
    act(complaint, EventKind.RESOLVE, people["lead"], outcome=Outcome.RECTIFIED)
    assert complaint.status is CaseStatus.RESOLVED
    assert not policy.can_see_case(people["huotian"], complaint)


def test_liaison_may_ask_for_a_hidden_identity_and_the_lead_decides(db, people, file, act):
    complaint = file(description="马铺乡村干部收红包，我家土坯房墙裂了", reporter_name="知情人")
    act(complaint, EventKind.ACCEPT, people["lead"])
    act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
    liaison = people["huotian"]
    assert policy.identity_access(liaison, complaint) is policy.IdentityAccess.NONE
    act(complaint, EventKind.REQUEST_IDENTITY, liaison, reason="需要联系举报人核实地址")
    act(complaint, EventKind.GRANT_IDENTITY, people["lead"], user_id=liaison.id)
    assert policy.identity_access(liaison, complaint) is policy.IdentityAccess.FULL
    assert [e.action for e in complaint.events][-2:] == ["request-identity", "grant-identity"]


def test_not_fixed_is_reviewed_and_a_redo_goes_back_to_the_lead_unit(db, people, file, act):
    complaint = dispatched(file, act, people)
    act(complaint, EventKind.START, people["huotian"])
    act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    act(complaint, EventKind.REPORTER_FEEDBACK, who=frozenset({Relation.REPORTER}), fixed=False,
        satisfaction=1)
    assert complaint.status is CaseStatus.RESOLVED  # the answer stands until reviewed
    act(complaint, EventKind.REQUEST_REVIEW, who=frozenset({Relation.REPORTER}), reason="没修好")
    act(complaint, EventKind.DECIDE_REVIEW, people["lead"], decision=ReviewDecision.REDO,
        reason="责令重新办理")
    assert complaint.status is CaseStatus.REOPENED and complaint.resolved_at is None
    act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
    assert complaint.status is CaseStatus.ASSIGNED


def test_messages_go_to_the_unit_and_the_reporter(db, people, file, act, vault):
    complaint = dispatched(file, act, people)
    act(complaint, EventKind.START, people["huotian"])
    act(complaint, EventKind.PUBLIC_REPLY, people["huotian"], reason="已安排技术人员周三上门")
    act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    sent = [(vault.open(m.recipient_sealed, "outbox-recipient"), vault.open(m.body_sealed, "outbox-body"))
            for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert sent[0][0] == "+8613900000001" and complaint.tracking_number in sent[0][1]
    assert sent[1] == ("+8613055441314",
                       f"【云霄住房安全】关于您反映的问题（{complaint.tracking_number}）：已安排技术人员周三上门")
    assert sent[2][0] == "+8613055441314" and "回复 1 已解决" in sent[2][1]


def test_a_failed_action_changes_nothing(db, people, file, act):
    complaint = file()
    head_before = verify(db).head_hash
    with pytest.raises(TransitionError):
        act(complaint, EventKind.ASSIGN, people["lead"])  # not accepted yet
    db.rollback()
    assert complaint.status is CaseStatus.RECEIVED and verify(db).head_hash == head_before
