"""The routing engine's rules, one by one, and its promises for any input."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.core.vocabulary import HouseholdType
from complaints.routing.engine import Draft, Router, RoutingError
from complaints.routing.table import load_routing_table

TABLE = load_routing_table()
ROUTER = Router(TABLE)
UNIT_SLUGS = {unit.slug for unit in TABLE.units}


def route(text, **fields):
    return ROUTER.route(Draft(text=text, **fields))


def test_structured_fields_win_over_the_text():
    decision = route("火田镇的房子漏雨", township="mapu", category="dangerous-house",
                     household=HouseholdType.DISABLED_POOR)
    assert (decision.township, decision.category, decision.household) == (
        "mapu", "dangerous-house", HouseholdType.DISABLED_POOR)
    assert decision.co_units == ("mapu", "disabled-federation")
    assert {(r.field, r.rule) for r in decision.reasons} >= {
        ("township", "given"), ("category", "given"), ("household", "given")}


def test_township_led_category_without_township_goes_to_the_lead_unit_for_triage():
    decision = route("房顶一下雨就漏，屋里到处滴水")
    assert decision.category == "leaks-drafts"
    assert decision.lead_unit == "housing" and decision.needs_triage
    assert decision.co_units == ()


def test_township_led_category_with_township_goes_to_the_township():
    decision = route("莆美的，房顶一下雨就漏")
    assert (decision.lead_unit, decision.co_units, decision.needs_triage) == (
        "pumei", ("housing",), False)


def test_misconduct_keeps_the_hazard_and_its_unit():
    decision = route("我家土坯房墙裂了，村干部说要送红包才给报危房 陈岱")
    assert decision.category == "dangerous-house" and decision.lead_unit == "housing"
    assert decision.discipline_clue
    clue = next(r for r in decision.reasons if r.field == "discipline_clue")
    assert "红包" in clue.words


def test_misconduct_alone_is_a_clue_for_the_lead_unit():
    decision = route("村干部说要送红包才给评危改")
    assert (decision.category, decision.lead_unit, decision.discipline_clue) == (
        "other", "housing", True)


def test_reporter_ticking_the_misconduct_box_makes_a_clue():
    assert route("房子裂了", alleges_misconduct=True).discipline_clue


@pytest.mark.parametrize(("text", "category"), [
    ("房子没有漏雨，就是墙裂了", "dangerous-house"),
    ("墙没有裂缝，就是屋顶漏雨", "leaks-drafts"),
    ("没有漏雨 没有裂缝 谢谢你们", "other"),
])
def test_negation_is_understood(text, category):
    assert route(text).category == category


@pytest.mark.parametrize("text", ["我住火田镇", "我住火田", "我住huo tian", "ＨＵＯＴＩＡＮ这边"])
def test_township_found_in_any_common_form(text):
    assert route(text).township == "huotian"


def test_development_zone_by_its_short_name():
    assert route("开发区这边房子裂了").township == "econ-zone"


def test_two_townships_named_means_triage():
    decision = route("我从云陵镇搬到火田镇，房子裂了")
    assert decision.township == "yunling" and decision.needs_triage


def test_household_adds_its_unit():
    assert "veterans" in route("我是退伍老兵，住东厦镇，房子裂缝很大").co_units
    assert "civil-affairs" in route("五保户，火田，危房").co_units


def test_nothing_routable_goes_to_the_lead_unit_for_triage():
    decision = route("。。。")
    assert (decision.category, decision.lead_unit, decision.needs_triage) == (
        "other", "housing", True)


def test_unknown_structured_values_are_refused():
    with pytest.raises(RoutingError):
        route("房子裂了", township="atlantis")
    with pytest.raises(RoutingError):
        route("房子裂了", category="alien-abduction")


def test_decision_json_has_the_stable_keys():
    assert list(route("房子裂了").as_json()) == [
        "category", "lead_unit", "co_units", "township", "discipline_clue", "needs_triage",
        "accused_unit", "reasons"]
    json.dumps(route("房子裂了").as_record())  # storable as it is


def test_record_names_the_table_version():
    assert route("房子裂了").as_record()["table_version"] == TABLE.version


texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)),
    st.lists(st.sampled_from(
        ["火田", "漏雨", "没有", "裂缝", "红包", "台风", "低保", "，", "开发区", "不", " ", "Ａ", "鉴定"]
    )).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_any_text_gets_exactly_one_existing_lead_unit(text):
    decision = ROUTER.route(Draft(text))
    assert decision.lead_unit in UNIT_SLUGS
    assert decision.category in TABLE.category_slugs
    assert decision.lead_unit not in decision.co_units
    assert set(decision.co_units) <= UNIT_SLUGS
    assert len(set(decision.co_units)) == len(decision.co_units)
    assert ROUTER.route(Draft(text)) == decision


def test_ten_thousand_characters():
    decision = route("我家房子裂了，" * 1500)
    assert decision.category == "dangerous-house" and len("我家房子裂了，" * 1500) > 10000
