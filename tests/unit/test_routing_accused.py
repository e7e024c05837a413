"""The accused unit of a discipline clue, and a clue's text split into hazard and allegation.

Accusation material never reaches the unit it accuses: the engine names that unit,
keeps it off the co-units, sends the case to triage when it would handle the case,
and ``Router.split`` keeps the allegation out of what the responsible unit reads.
Slugs come from the loaded table, by a unit's name or kind, not as literals.
"""

import copy
import tomllib
from collections import Counter
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.routing.engine import SOFT_EDGES, Draft, Reason, Router, RoutingError
from complaints.routing.table import load_routing_table, parse_routing_table

TABLE = load_routing_table()
ROUTER = Router(TABLE)
LEAD = TABLE.lead_unit.slug
UNIT_SLUGS = {unit.slug for unit in TABLE.units}


def unit(name):
    """The slug of the unit with this name or alias in the shipped table."""
    return next(u.slug for u in TABLE.units if name == u.name or name in u.aliases)


def route(text, **fields):
    return ROUTER.route(Draft(text=text, **fields))


def reason(decision, field):
    return next(r for r in decision.reasons if r.field == field)


# ------------------------------------------------------------------ the accused unit

def test_township_office_staff_accused_and_township_would_fix_the_roof():
    decision = route("火田镇村建所的干部收了钱才给办危房改造，我家屋顶一直漏雨")
    huotian = unit("火田镇")
    assert decision.discipline_clue and decision.accused_unit == huotian
    assert "火田镇" in reason(decision, "accused_unit").words
    # The township leads a leaking roof: it keeps the lead, the lead unit must choose.
    assert decision.lead_unit == huotian and decision.needs_triage
    assert Reason("needs_triage", "accused-unit-would-handle", (huotian,)) in decision.reasons
    assert huotian not in decision.co_units


def test_staff_of_the_lead_unit_accused():
    decision = route("住建局的工作人员收了红包才给评危房")
    assert decision.accused_unit == LEAD
    assert reason(decision, "accused_unit") == Reason(
        "accused_unit", "staff-of-named-unit", ("住建局", "工作人员"))
    assert decision.lead_unit == LEAD and decision.needs_triage


def test_community_cadres_accuse_the_given_township():
    yunling = unit("云陵镇")
    decision = route("社区干部的亲戚不是贫困户也评上了", township=yunling)
    assert decision.discipline_clue
    assert decision.accused_unit == yunling
    assert reason(decision, "accused_unit") == Reason("accused_unit", "village-cadre", ("社区干部",))


def test_hazard_only_accuses_nobody():
    decision = route("我家房子裂了，住火田镇")
    assert not decision.discipline_clue and decision.accused_unit is None
    assert not [r for r in decision.reasons if r.field == "accused_unit"]
    assert decision.co_units == (unit("火田镇"),)


def test_township_named_only_as_the_place_of_village_cadres():
    decision = route("我住在下河乡，村干部收钱")
    assert decision.accused_unit == unit("下河乡")
    assert reason(decision, "accused_unit").rule == "village-cadre"


def test_village_cadres_without_a_township_accuse_nobody_but_say_so():
    decision = route("村干部说要送红包才给评危改")
    assert decision.discipline_clue and decision.accused_unit is None
    assert reason(decision, "accused_unit") == Reason(
        "accused_unit", "township-cadre-but-township-unknown", ("村干部",))


def test_township_cadres_accuse_the_township_named_in_the_text():
    decision = route("镇干部收了钱才给报危房，马铺乡")
    assert decision.accused_unit == unit("马铺乡")
    assert reason(decision, "accused_unit").rule == "township-cadre"


def test_the_head_of_a_township_in_one_word():
    assert route("火田镇长收了红包").accused_unit == unit("火田镇")


def test_accused_participating_unit_is_taken_off_the_co_units():
    civil_affairs = unit("民政局")
    decision = route("民政局的人收了钱才给评低保，房子漏雨 陈岱")
    assert decision.accused_unit == civil_affairs
    assert decision.lead_unit == unit("陈岱镇") and not decision.needs_triage
    assert civil_affairs not in decision.co_units
    assert Reason("co_units", "accused-unit-removed", (civil_affairs,)) in decision.reasons


def test_accused_township_is_taken_off_the_co_units():
    huotian = unit("火田镇")
    without = route("我家房子裂得很厉害，火田镇")
    assert huotian in without.co_units
    decision = route("我家房子裂得很厉害，村支书说给他2000块才帮我报上去，火田镇")
    assert decision.accused_unit == huotian and decision.lead_unit == without.lead_unit
    assert huotian not in decision.co_units and not decision.needs_triage


def test_the_hint_beside_the_misconduct_wins_and_the_other_unit_is_named():
    decision = route("住建局的人来鉴定过，说是C级，村干部收了钱才给报 火田镇")
    assert decision.accused_unit == unit("火田镇")
    assert Reason("accused_unit", "also-named", (LEAD,)) in decision.reasons


def test_a_word_inside_a_unit_name_is_no_post():
    # 领导 is a post, but here part of the poverty office's full name.
    decision = route("云霄县扶贫开发领导小组办公室说要送红包才给评")
    assert decision.accused_unit is None


def test_staff_named_without_misconduct_accuse_nobody():
    assert route("火田镇村建所的干部来看过了，房子还是漏雨").accused_unit is None


def test_given_accused_unit_wins_over_the_text_and_makes_a_clue():
    civil_affairs = unit("民政局")
    decision = route("火田镇村建所的干部收了钱", accused_unit=civil_affairs)
    assert decision.accused_unit == civil_affairs
    assert reason(decision, "accused_unit") == Reason("accused_unit", "given")
    plain = route("房子裂了", accused_unit=civil_affairs)
    assert plain.discipline_clue and plain.accused_unit == civil_affairs
    assert reason(plain, "discipline_clue").rule == "accused-unit-given"


def test_unknown_accused_unit_is_refused():
    with pytest.raises(RoutingError, match="accused unit"):
        route("村干部收钱", accused_unit="atlantis")


def test_json_names_the_accused_unit():
    as_json = route("住建局的工作人员收了红包").as_json()
    assert as_json["accused_unit"] == LEAD
    assert {"field": "accused_unit", "rule": "staff-of-named-unit",
            "words": ["住建局", "工作人员"]} in as_json["reasons"]
    assert route("房子裂了").as_json()["accused_unit"] is None


def test_the_words_are_data_an_administrator_may_change():
    """A new alias in [[unit]] names that unit's staff; [accusation] refuses a unit's name."""
    text = "国土所的人暗示要请吃饭送红包才给办 莆美"
    assert ROUTER.route(Draft(text)).accused_unit is None
    raw = tomllib.loads(resources.files("complaints.routing").joinpath("table.toml").read_text("utf-8"))
    changed = copy.deepcopy(raw)
    natural = next(u for u in changed["unit"] if u["name"] == "县自然资源局")
    natural["aliases"].append("国土所")
    changed["accusation"]["staff_words"].remove("国土所")
    router = Router(parse_routing_table(changed, "table.toml"))
    assert router.route(Draft(text)).accused_unit == natural["slug"]


# ------------------------------------------------------------------ the split

def split(text):
    got = ROUTER.split(text)
    return got.hazard, got.allegation


def test_split_the_example():
    assert split("火田镇村建所的干部收了钱才给办危房改造，我家屋顶一直漏雨") == (
        "我家屋顶一直漏雨", "火田镇村建所的干部收了钱才给办危房改造")


def test_split_all_accusation_leaves_no_hazard():
    assert split("住建局的工作人员收了红包才给评危房") == ("", "住建局的工作人员收了红包才给评危房")


def test_split_hazard_only_leaves_the_text_as_it_is():
    assert split("我家房子裂了，下雨还漏。住火田镇。") == ("我家房子裂了，下雨还漏。住火田镇。", "")


def test_split_keeps_order_and_punctuation_on_both_sides():
    assert split("我家屋顶漏雨，村干部收了红包；墙也裂了。他还说不给钱就不办！谢谢") == (
        "我家屋顶漏雨，墙也裂了。谢谢", "村干部收了红包；他还说不给钱就不办！")


def test_split_a_post_with_money_is_an_allegation_even_without_a_misconduct_word():
    # No keyword of [misconduct] here; a decimal point does not end the clause.
    assert split("村干部收了3.5万元，房子漏雨") == ("房子漏雨", "村干部收了3.5万元")


def test_split_a_clause_continuing_the_accusation_goes_with_it():
    assert split("村支书说给他2000块才帮我报上去，不然就不给办。我家房子裂得很厉害") == (
        "我家房子裂得很厉害", "村支书说给他2000块才帮我报上去，不然就不给办。")


def test_split_ascii_punctuation_and_new_lines():
    assert split("roof leaks, 屋顶漏雨; 村干部收了红包!\n墙裂了") == (
        "roof leaks, 屋顶漏雨; 墙裂了", "村干部收了红包!")


def test_split_a_negated_misconduct_word_alone_is_no_allegation():
    assert split("施工队没有敷衍，屋顶还是漏雨") == ("施工队没有敷衍，屋顶还是漏雨", "")


def test_split_a_township_named_only_as_a_place_stays_in_the_hazard():
    assert split("我住在下河乡，村干部收钱") == ("我住在下河乡", "村干部收钱")


# ------------------------------------------------------------------ for any input

texts = st.one_of(
    st.text(),
    st.lists(st.sampled_from(
        ["火田镇", "村建所", "的", "干部", "收了钱", "漏雨", "没有", "裂缝", "红包", "住建局", "工作人员",
         "村干部", "镇干部", "民政局的人", "低保", "，", "。", ",", ".", "3", "\n", " ", "不然", "他",
         "云霄县扶贫开发领导小组办公室", "下河乡", "开发区"]
    )).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, alleges=st.booleans())
def test_the_accused_unit_never_handles_silently(text, alleges):
    decision = ROUTER.route(Draft(text, alleges_misconduct=alleges))
    assert decision.accused_unit is None or decision.accused_unit in UNIT_SLUGS
    if decision.accused_unit is not None:
        assert decision.discipline_clue
        assert decision.accused_unit not in decision.co_units
        if decision.accused_unit == decision.lead_unit:
            assert decision.needs_triage


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_split_loses_nothing_but_edge_punctuation(text):
    hazard, allegation = split(text)
    for part in (hazard, allegation):  # each part keeps the order of the text
        rest = iter(text)
        assert all(char in rest for char in part)
    assert len(hazard) + len(allegation) <= len(text)  # no clause on both sides
    left = Counter(text) - Counter(hazard) - Counter(allegation)
    assert set(left) <= set(SOFT_EDGES)  # only what was trimmed at the edges
    if "\n" not in text and ROUTER.route(Draft(text)).discipline_clue:
        assert allegation


def test_ten_thousand_characters_of_accusation():
    # Every unit's name against every post would take seconds here.
    text = "火田镇的干部收了钱，住建局村干部红包。" * 600
    assert len(text) > 10000
    assert route(text).accused_unit == unit("火田镇")
    assert split(text) == ("", text.strip(SOFT_EDGES))
