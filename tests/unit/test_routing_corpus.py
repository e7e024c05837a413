"""The engine against realistic complaints, each with what a dispatcher expects."""

import pytest

from complaints.core.vocabulary import HouseholdType
from complaints.routing.engine import Draft, Router
from complaints.routing.table import load_routing_table
from tests.unit import routing_corpus, routing_corpus_second

ROUTER = Router(load_routing_table())
CASES = routing_corpus.CASES + routing_corpus_second.CASES


def decide(case):
    household = case.get("household")
    return ROUTER.route(Draft(
        text=case["text"], township=case.get("township"), category=case.get("category"),
        household=HouseholdType(household) if household else None,
    ))


@pytest.mark.parametrize("case", CASES, ids=[case["text"][:24] for case in CASES])
def test_realistic_complaint(case):
    decision = decide(case)
    got = {
        "category": decision.category,
        "lead_unit": decision.lead_unit,
        "co_units": sorted(decision.co_units),
        "township": decision.township,
        "discipline_clue": decision.discipline_clue,
        "needs_triage": decision.needs_triage,
        "household": decision.household.value,
    }
    expected = dict(case["expect"])
    if "co_units" in expected:
        expected["co_units"] = sorted(expected["co_units"])
    assert {key: got[key] for key in expected} == expected, decision.reasons


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 80
    categories = {case["expect"].get("category") for case in CASES}
    assert len(categories - {None}) == len(ROUTER.table.categories)
    assert sum(case["expect"]["discipline_clue"] for case in CASES) >= 12
