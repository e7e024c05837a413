"""Who held a case, under which deadline, follows from its events alone."""

from datetime import UTC, datetime, timedelta

from complaints.cases.holdings import replay

T = datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
DUE = T + timedelta(days=7)
LATER_DUE = T + timedelta(days=17)


def at(hours):
    return T + timedelta(hours=hours)


def test_a_dispatch_opens_a_stretch_and_the_resolution_ends_it():
    events = [(1, "assign", {"unit": "huotian", "due": DUE.isoformat()}, at(0)),
              (1, "resolve", {"unit": "huotian"}, at(5))]
    assert list(replay(events)) == [(1, "huotian", at(0), at(5), DUE)]


def test_an_extension_starts_a_new_stretch_with_the_new_deadline():
    events = [(1, "assign", {"unit": "huotian", "due": DUE.isoformat()}, at(0)),
              (1, "grant-extension", {"unit": "huotian", "due": LATER_DUE.isoformat()}, at(3))]
    assert list(replay(events)) == [(1, "huotian", at(0), at(3), DUE),
                                    (1, "huotian", at(3), None, LATER_DUE)]


def test_a_return_leaves_nobody_holding_until_the_next_dispatch():
    events = [(1, "assign", {"unit": "mapu", "due": DUE.isoformat()}, at(0)),
              (1, "return", {"unit": "mapu"}, at(2)),
              # An extension while nobody holds the case changes nothing.
              (1, "grant-extension", {"due": LATER_DUE.isoformat()}, at(3)),
              (1, "assign", {"unit": "huotian", "due": LATER_DUE.isoformat()}, at(4))]
    assert list(replay(events)) == [(1, "mapu", at(0), at(2), DUE),
                                    (1, "huotian", at(4), None, LATER_DUE)]


def test_a_transfer_hands_the_case_to_its_target():
    events = [(1, "assign", {"unit": "mapu", "due": DUE.isoformat()}, at(0)),
              (1, "transfer", {"unit": "mapu", "to": "market", "due": LATER_DUE.isoformat()}, at(1)),
              (2, "assign", {"unit": "xiahe"}, at(2)),
              (2, "reject", {}, at(3))]
    assert list(replay(events)) == [(1, "mapu", at(0), at(1), DUE),
                                    (1, "market", at(1), None, LATER_DUE),
                                    (2, "xiahe", at(2), at(3), None)]


def test_other_events_change_nothing():
    events = [(1, "received", {"channel": "web"}, at(0)), (1, "accept", {}, at(1)),
              (1, "comment", None, at(2)), (1, "transfer-clue", {"unit": "housing"}, at(3))]
    assert list(replay(events)) == []
