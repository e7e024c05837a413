"""The case log's one vocabulary: every kind has a shape, record_event refuses anything else,
and the named sets mean what the consumers rely on."""

import pytest

from complaints.cases.events import SHAPES, EventShapeError, check_shape
from complaints.cases.rules import RULES
from complaints.core.vocabulary import (
    DISPATCHES,
    HOLDING_CHANGES,
    RECORDS_DUE,
    UNIT_TRANSFERS,
    EventKind,
)


def test_every_kind_has_a_shape_and_every_performed_kind_records_its_holder():
    assert set(SHAPES) == set(EventKind)
    for kind in RULES:
        assert "unit" in SHAPES[kind].__required_keys__, kind


def test_the_stored_strings_never_change():
    """They are hashed into the audit chain and read by every report since the first release."""
    assert {kind.value for kind in EventKind} == {
        "received", "accept", "reject", "assign", "start", "return", "request-transfer",
        "approve-transfer", "refuse-transfer", "transfer", "request-extension", "grant-extension",
        "refuse-extension", "resolve", "close", "reopen", "transfer-clue", "decline-clue",
        "request-identity", "grant-identity", "refuse-identity", "note", "public-reply", "comment",
        "reporter-feedback", "reporter-message", "escalate", "recount-deadline", "follow-up-done",
        "follow-ups-ended", "routing-overridden",
        # Since clues became records of their own (2026-12):
        "clue-recorded", "clue-not-a-clue", "clue-taken", "clue-signed", "clue-disposed",
        "clue-returned", "clue-escalated", "report-submitted", "hazard-text-set",
        # Issue 15: who was shown a reporter's identity; staff accounts' second factor.
        "identity-viewed", "second-factor-enrolled", "second-factor-reset",
        # Issue 16: objections to a dispatch.
        "object-to-dispatch", "refuse-objection", "request-review", "decide-review", "supervise",
        "callback-unreached", "propose-resolution", "send-back-resolution", "merge", "merged-in",
        "household-linked"}


def test_a_clue_event_is_never_written_on_a_case(db_free_complaint=None):
    from complaints.cases.events import record_event
    from complaints.core.vocabulary import CLUE_EVENTS
    from complaints.db.models import Complaint
    for kind in CLUE_EVENTS:
        with pytest.raises(EventShapeError, match="clue"):
            record_event(None, Complaint(id=1), kind, details={})  # type: ignore[arg-type]


def test_a_misspelt_or_bare_string_kind_is_refused():
    with pytest.raises(EventShapeError, match="not an event kind"):
        check_shape("transfer_clue", {"unit": None, "to": "discipline-commission"})
    with pytest.raises(EventShapeError, match="not an event kind"):
        check_shape("resolve", {"unit": "huotian"})  # right spelling, but not the enum


@pytest.mark.parametrize(("kind", "details", "problem"), [
    (EventKind.RESOLVE, {"unit": "huotian", "outcome": "rectified", "on_time": True},
     "missing ['working_days']"),
    (EventKind.ASSIGN, {"unit": "huotian", "co_units": [], "deu": "2026-12-01"}, "unknown ['deu']"),
    (EventKind.TRANSFER_CLUE, {"to": "discipline-commission"}, "missing ['unit']"),
    (EventKind.FOLLOW_UPS_ENDED, {"note": "x"}, "unknown ['note']"),
])
def test_details_that_do_not_fit_the_shape_are_refused(kind, details, problem):
    with pytest.raises(EventShapeError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        check_shape(kind, details)


def test_optional_keys_may_be_left_out():
    assert check_shape(EventKind.ASSIGN, {"unit": "huotian", "co_units": []}) is EventKind.ASSIGN
    transfer = {"unit": "huotian", "from": "huotian", "to": "civil-affairs", "due": "2026-12-31"}
    assert check_shape(EventKind.TRANSFER, transfer) is EventKind.TRANSFER


def test_named_sets():
    assert UNIT_TRANSFERS < DISPATCHES < HOLDING_CHANGES
    assert EventKind.ASSIGN in RECORDS_DUE and EventKind.RECOUNT_DEADLINE not in RECORDS_DUE
    assert EventKind.TRANSFER_CLUE not in HOLDING_CHANGES  # a clue's transfer leaves the case where it is
