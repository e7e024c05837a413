"""The state machine's table: every action from every status, for every relation."""

import itertools
from datetime import UTC, datetime

import pytest

from complaints.cases.operations import allowed_actions, check
from complaints.cases.rules import RULES, Relation, TransitionError
from complaints.core.vocabulary import CaseStatus, EventKind
from complaints.db.models import Complaint

RELATIONS = [frozenset({who}) for who in Relation] + [frozenset()]


def case_where(action, status):
    """A case on which ``action`` would apply, but for status and who asks."""
    complaint = Complaint(status=status, alleges_misconduct=True,
                          pending_extension_days=None, deadline_at=None)
    if action in (EventKind.GRANT_EXTENSION, EventKind.REFUSE_EXTENSION):
        complaint.pending_extension_days = 5
    if action in (EventKind.PROPOSE_RESOLUTION, EventKind.SEND_BACK_RESOLUTION):
        complaint.closing_check = True
    if action is EventKind.SEND_BACK_RESOLUTION:
        complaint.resolution_proposed_at = datetime(2026, 11, 1, tzinfo=UTC)
    if action is EventKind.DECIDE_REVIEW:
        complaint.review_pending_since = datetime(2026, 11, 1, tzinfo=UTC)
    if action in (EventKind.RETURN, EventKind.REFUSE_OBJECTION):
        complaint.objection_pending_since = datetime(2026, 11, 1, tzinfo=UTC)
    if action is EventKind.ESCALATE:
        complaint.deadline_at = datetime(2026, 11, 1, tzinfo=UTC)
    return complaint


@pytest.mark.parametrize(("action", "status"), list(itertools.product(RULES, CaseStatus)),
                         ids=lambda value: value.value)
def test_every_action_from_every_status_for_every_relation(action, status):
    rule = RULES[action]
    for relations in RELATIONS:
        complaint = case_where(action, status)
        if action in (EventKind.REQUEST_IDENTITY, EventKind.GRANT_IDENTITY, EventKind.REFUSE_IDENTITY):
            continue  # these depend on the reporter and on earlier events: see the storage tests
        should_pass = status in rule.sources and bool(rule.who & relations)
        if should_pass:
            check(complaint, action, relations)
            assert action in allowed_actions(complaint, relations)
        else:
            with pytest.raises(TransitionError) as raised:
                check(complaint, action, relations)
            expected = "impossible" if status not in rule.sources else "forbidden"
            assert raised.value.code == expected
            assert action not in allowed_actions(complaint, relations)


def test_the_main_path_is_open_to_the_right_people():
    # SYSTEM: a helper's report is dispatched to the household's township as it is filed.
    assert RULES[EventKind.ACCEPT].who == {Relation.LEAD, Relation.SYSTEM}
    assert RULES[EventKind.ASSIGN].who == {Relation.LEAD, Relation.SYSTEM}
    assert RULES[EventKind.RESOLVE].who == {Relation.HANDLER, Relation.LEAD}
    # A unit objects to a dispatch; only the lead unit sends the case back (派单异议审核).
    assert RULES[EventKind.OBJECT_TO_DISPATCH].who == {Relation.HANDLER}
    assert RULES[EventKind.RETURN].who == {Relation.LEAD}
    assert Relation.CO_UNIT not in RULES[EventKind.RESOLVE].who


def test_impossible_transition_explains_itself_in_chinese():
    with pytest.raises(TransitionError) as raised:
        check(case_where(EventKind.RESOLVE, CaseStatus.RECEIVED), EventKind.RESOLVE,
              frozenset({Relation.LEAD}))
    assert "已收到" in raised.value.message and "办结" in raised.value.message


def test_one_extension_request_at_a_time():
    complaint = case_where(EventKind.REQUEST_EXTENSION, CaseStatus.IN_PROGRESS)
    complaint.pending_extension_days = 10
    with pytest.raises(TransitionError):
        check(complaint, EventKind.REQUEST_EXTENSION, frozenset({Relation.HANDLER}))
