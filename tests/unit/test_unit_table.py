import pytest

from complaints.routing.units import REQUIRED_SLUGS, UnitTableError, load_unit_table, parse_unit_table
from complaints.vocabulary import UnitKind


def shipped_entries():
    import tomllib
    from importlib import resources

    text = resources.files("complaints.routing").joinpath("units.toml").read_text("utf-8")
    return tomllib.loads(text)["unit"]


def test_shipped_table_has_every_unit_of_the_campaign():
    units = {unit.slug: unit for unit in load_unit_table()}
    assert set(REQUIRED_SLUGS) <= set(units)
    assert units["housing"].kind is UnitKind.LEAD
    assert units["huotian"].name == "火田镇"
    assert "火田" in units["huotian"].aliases
    assert units["discipline-commission"].kind is UnitKind.COMMISSION
    assert [u.slug for u in units.values() if u.kind is UnitKind.TOWNSHIP] == [
        "yunling", "chendai", "dongxia", "pumei", "lieyu", "huotian", "xiahe", "mapu", "heping"
    ]


def test_duplicate_slug_is_named():
    entries = shipped_entries()
    entries.append(dict(entries[3]))
    with pytest.raises(UnitTableError, match="'poverty-office': duplicate slug"):
        parse_unit_table({"unit": entries}, "units.toml")


def test_unknown_kind_is_named():
    entries = shipped_entries()
    entries[5] = {**entries[5], "kind": "ministry"}
    with pytest.raises(UnitTableError, match="'emergency': kind must be one of"):
        parse_unit_table({"unit": entries}, "units.toml")


def test_dropping_a_required_unit_is_refused():
    entries = [entry for entry in shipped_entries() if entry["slug"] != "mapu"]
    with pytest.raises(UnitTableError, match="required unit.*mapu"):
        parse_unit_table({"unit": entries}, "units.toml")


def test_two_leads_are_refused():
    entries = shipped_entries()
    entries[1] = {**entries[1], "kind": "lead"}
    with pytest.raises(UnitTableError, match="exactly one unit must be the lead"):
        parse_unit_table({"unit": entries}, "units.toml")


def test_misspelt_field_is_refused():
    entries = shipped_entries()
    entries[0] = {**entries[0], "contact_phon": "123"}
    with pytest.raises(UnitTableError, match="unknown field.*contact_phon"):
        parse_unit_table({"unit": entries}, "units.toml")


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "units.toml"
    path.write_text("[[unit]\nslug = ", encoding="utf-8")
    with pytest.raises(UnitTableError, match=str(path)):
        load_unit_table(path)
