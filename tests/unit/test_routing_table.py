"""The lead-unit table file: the shipped one is complete; a broken one is refused by name."""

import copy
import tomllib
from importlib import resources

import pytest

from complaints.core.vocabulary import HouseholdType, UnitKind
from complaints.routing.table import load_routing_table, parse_routing_table
from complaints.routing.units import UnitTableError

SHIPPED = tomllib.loads(
    resources.files("complaints.routing").joinpath("table.toml").read_text("utf-8"))


def broken(change):
    raw = copy.deepcopy(SHIPPED)
    change(raw)
    return raw


def category(raw, slug):
    return next(entry for entry in raw["category"] if entry["slug"] == slug)


def test_shipped_table_has_every_unit_of_the_campaign():
    table = load_routing_table()
    units = {unit.slug: unit for unit in table.units}
    assert set(units) == {
        "housing", "civil-affairs", "natural-resources", "poverty-office", "veterans", "emergency",
        "market", "disabled-federation", "public-security", "discipline-commission", "yunling",
        "chendai", "dongxia", "pumei", "lieyu", "huotian", "xiahe", "mapu", "heping", "econ-zone"}
    assert units["housing"].kind is UnitKind.LEAD and table.lead_unit.slug == "housing"
    assert table.commission.slug == "discipline-commission"
    assert table.commission not in table.handling_units
    assert units["huotian"].name == "火田镇" and "火田" in units["huotian"].aliases
    assert [u.slug for u in units.values() if u.kind is UnitKind.TOWNSHIP] == [
        "yunling", "chendai", "dongxia", "pumei", "lieyu", "huotian", "xiahe", "mapu", "heping"]


def test_shipped_table_has_the_categories_of_the_seed():
    table = load_routing_table()
    assert set(table.category_slugs) >= {
        "dangerous-house", "disaster-damage", "still-living-in-danger", "attached-house",
        "leaks-drafts", "renovation-procedure", "appraisal-overdue", "household-data",
        "safety-plate", "construction-quality", "building-materials", "land-and-geohazard",
        "public-order", "other"}
    assert table.category("building-materials").lead == "market"
    assert table.category("household-data").lead == "poverty-office"
    assert table.category("disaster-damage").co_units == ("emergency", "township")
    assert {h.slug for h in table.households} == set(HouseholdType) - {HouseholdType.UNKNOWN}


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw["unit"].append(dict(raw["unit"][3])), "'poverty-office': duplicate slug"),
    (lambda raw: raw["unit"][5].update(kind="ministry"), "'emergency': kind must be one of"),
    (lambda raw: raw.update(unit=[u for u in raw["unit"] if u["kind"] != "commission"]),
     "exactly one unit must be of kind commission, found 0"),
    (lambda raw: raw.update(unit=[u for u in raw["unit"] if u["kind"] != "township"]),
     "at least one unit must be of kind township"),
    (lambda raw: raw["unit"][1].update(kind="lead"), "exactly one unit must be of kind lead"),
    (lambda raw: raw["unit"][0].update(contact_phon="1"), "unknown field.*contact_phon"),
    (lambda raw: category(raw, "leaks-drafts").update(lead="roads-bureau"),
     "'leaks-drafts': lead 'roads-bureau' is not a unit"),
    (lambda raw: category(raw, "safety-plate").pop("lead"), "'safety-plate': no lead unit"),
    (lambda raw: category(raw, "attached-house").update(co_units=["housing", "pumei-town"]),
     "'attached-house': co-unit 'pumei-town'"),
    (lambda raw: raw["category"].append(dict(category(raw, "other"))), "'other': duplicate slug"),
    (lambda raw: raw.update(category=[c for c in raw["category"] if c["slug"] != "other"]),
     "fallback category 'other' is missing"),
    (lambda raw: category(raw, "dangerous-house").update(deadlines={"resolve_working_days": 0}),
     "'dangerous-house': deadlines: resolve_working_days must be"),
    (lambda raw: raw["deadlines"].update(accept_hours=4), r"\[deadlines\]: unknown deadline.*accept_hours"),
    (lambda raw: category(raw, "dangerous-house").update(outranks=["leak"]), "outranks 'leak'"),
    (lambda raw: raw["household"][0].update(co_unit="nobody"), "co_unit 'nobody'"),
    (lambda raw: raw["household"][0].update(slug="rich"), "household #1: slug must be one of"),
    (lambda raw: raw.pop("version"), "`version` must be set"),
    (lambda raw: raw.update(rules={}), "unknown section.*rules"),
    (lambda raw: raw["misconduct"].update(keywords=["红包", ""]), "misconduct"),
    (lambda raw: raw.pop("accusation"), r"\[accusation\] is missing"),
    (lambda raw: raw["accusation"].update(staff=["干部"]), r"\[accusation\]: unknown field.*staff"),
    (lambda raw: raw["accusation"].update(village_words=[]), r"\[accusation\] village_words"),
    (lambda raw: raw["accusation"]["links"].append(" "), r"\[accusation\] links"),
    (lambda raw: category(raw, "household-data").update(together=[["名额"]]),
     "'household-data': together must be two lists of words"),
    (lambda raw: category(raw, "household-data").update(together=[["名额"], []]),
     r"'household-data': together\[1\] must be a list of words"),
    (lambda raw: category(raw, "still-living-in-danger").update(requires="新房"),
     "'still-living-in-danger': requires must be a list of words"),
    (lambda raw: raw["emphasis"].update(minor_words=[""]), r"\[emphasis\] minor_words"),
    (lambda raw: category(raw, "public-order").update(officials_words=["吓唬", "打官腔"]),
     "'public-order': officials_words must be the category's own keywords, not 打官腔"),
    (lambda raw: raw["accusation"]["staff_words"].append("民政局"),
     r"\[accusation\] staff_words: '民政局' is a name of unit 'civil-affairs'"),
])
def test_broken_table_is_refused_naming_the_entry(change, message):
    with pytest.raises(UnitTableError, match=message):
        parse_routing_table(broken(change), "table.toml")


def test_an_administrator_may_rename_units_the_code_knows_by_kind():
    """Slugs are data: the lead unit, the commission and a township renamed still route."""
    from complaints.core.vocabulary import HouseholdType as H
    from complaints.routing.engine import Draft, Router

    def rename(raw):
        renames = {"housing": "zjj", "discipline-commission": "jw", "mapu": "mapu-xiang"}
        for unit in raw["unit"]:
            unit["slug"] = renames.get(unit["slug"], unit["slug"])
        for entry in raw["category"]:
            entry["lead"] = renames.get(entry["lead"], entry["lead"])
            entry["co_units"] = [renames.get(u, u) for u in entry.get("co_units", [])]
        for entry in raw["household"]:
            if "co_unit" in entry:
                entry["co_unit"] = renames.get(entry["co_unit"], entry["co_unit"])

    table = parse_routing_table(broken(rename), "table.toml")
    assert (table.lead_unit.slug, table.commission.slug) == ("zjj", "jw")
    router = Router(table)
    decision = router.route(Draft(text="马铺乡的房子墙裂了，屋顶也塌了一块", household=H.UNKNOWN))
    assert decision.township == "mapu-xiang"
    unsure = router.route(Draft(text="房子漏雨", category="leaks-drafts", household=H.UNKNOWN))
    assert unsure.lead_unit == "zjj" and unsure.needs_triage


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "table.toml"
    path.write_text("[[unit]\nslug = ", encoding="utf-8")
    with pytest.raises(UnitTableError, match=str(path)):
        load_routing_table(path)


def test_app_refuses_to_start_with_a_broken_table(monkeypatch, tmp_path):
    from complaints import components
    from complaints.app import create_app
    from tests.conftest import app_config

    def bad_table():
        return parse_routing_table(broken(lambda raw: raw["unit"][1].update(kind="lead")), "x")

    monkeypatch.setattr(components, "load_routing_table", bad_table)
    with pytest.raises(UnitTableError, match="exactly one unit must be of kind lead"):
        create_app(app_config(f"sqlite:///{tmp_path}/x.db", tmp_path))


def test_deadlines_have_defaults_and_category_overrides():
    table = load_routing_table()
    assert table.deadlines.accept_working_days == 1
    assert table.deadlines.resolve_working_days == 15
    assert table.deadlines_for("leaks-drafts").resolve_working_days == 15
    assert table.deadlines_for("dangerous-house").resolve_working_days == 5
    assert table.deadlines_for("appraisal-overdue").resolve_calendar_days == 30
    assert table.deadlines_for(None) == table.deadlines
