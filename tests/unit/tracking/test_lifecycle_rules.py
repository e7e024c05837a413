"""The state machine's table: every action from every status, for every relation."""

import itertools

import pytest

from complaints.models import Complaint
from complaints.tracking.lifecycle import RULES, Action, TransitionError, Who, allowed_actions, check
from complaints.tracking.status import CaseStatus, ClueDisposition

RELATIONS = [frozenset({who}) for who in Who] + [frozenset()]


def case_where(action, status):
    """A case on which ``action`` would apply, but for status and who asks."""
    complaint = Complaint(status=status, alleges_misconduct=True, clue_disposition=None,
                          pending_extension_days=None, deadline_at=None)
    if action in (Action.GRANT_EXTENSION, Action.REFUSE_EXTENSION):
        complaint.pending_extension_days = 5
    if action is Action.ESCALATE:
        from datetime import datetime, timezone

        complaint.deadline_at = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return complaint


@pytest.mark.parametrize(("action", "status"), list(itertools.product(Action, CaseStatus)),
                         ids=lambda value: value.value)
def test_every_action_from_every_status_for_every_relation(action, status):
    rule = RULES[action]
    for relations in RELATIONS:
        complaint = case_where(action, status)
        if action in (Action.REQUEST_IDENTITY, Action.GRANT_IDENTITY, Action.REFUSE_IDENTITY):
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
    assert RULES[Action.ACCEPT].who == {Who.LEAD}
    assert RULES[Action.ASSIGN].who == {Who.LEAD}
    assert RULES[Action.RESOLVE].who == {Who.HANDLER, Who.LEAD}
    assert RULES[Action.RETURN].who == {Who.HANDLER}
    assert Who.CO_UNIT not in RULES[Action.RESOLVE].who


def test_impossible_transition_explains_itself_in_chinese():
    with pytest.raises(TransitionError) as raised:
        check(case_where(Action.RESOLVE, CaseStatus.RECEIVED), Action.RESOLVE,
              frozenset({Who.LEAD}))
    assert "已收到" in raised.value.message and "办结" in raised.value.message


def test_clue_actions_apply_only_to_undecided_clues():
    complaint = case_where(Action.TRANSFER_CLUE, CaseStatus.ASSIGNED)
    complaint.clue_disposition = ClueDisposition.TRANSFERRED
    with pytest.raises(TransitionError) as raised:
        check(complaint, Action.TRANSFER_CLUE, frozenset({Who.LEAD}))
    assert raised.value.code == "not-applicable.transfer-clue"
    complaint.alleges_misconduct = False
    complaint.clue_disposition = None
    assert Action.TRANSFER_CLUE not in allowed_actions(complaint, frozenset({Who.LEAD}))


def test_one_extension_request_at_a_time():
    complaint = case_where(Action.REQUEST_EXTENSION, CaseStatus.IN_PROGRESS)
    complaint.pending_extension_days = 10
    with pytest.raises(TransitionError):
        check(complaint, Action.REQUEST_EXTENSION, frozenset({Who.HANDLER}))
