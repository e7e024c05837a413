"""Every message key used by the code and the templates exists in the catalogue."""

import re
from pathlib import Path

import pytest

from complaints.core.messages import CatalogueError, catalogue, t
from complaints.core.vocabulary import CaseStatus, Channel, HouseholdType, HouseStructure, Role

ROOT = Path(__file__).resolve().parents[2]
# t('a.b') and t("a.b", x=1); t('role.' ~ value) builds a key and is checked per enum below.
LITERAL_KEY = re.compile(r"""\bt\(\s*['"]([a-z_][\w.-]*[\w-])['"]\s*[,)]""")


def used_keys():
    for path in [*ROOT.glob("complaints/**/*.py"), *ROOT.glob("templates/**/*.html")]:
        for key in LITERAL_KEY.findall(path.read_text("utf-8")):
            yield path.relative_to(ROOT), key


def test_every_literal_key_exists():
    missing = [f"{path}: {key}" for path, key in used_keys() if key not in catalogue()]
    assert not missing, missing


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("status", CaseStatus),
        ("channel", Channel),
        ("role", Role),
        ("structure", HouseStructure),
        ("household", HouseholdType),
    ],
)
def test_every_enum_value_has_a_chinese_label(prefix, values):
    for value in values:
        assert re.search(r"[\u4e00-\u9fff]", t(f"{prefix}.{value.value}"))


def test_error_codes_have_pages():
    for code in (400, 403, 404, 405, 413, 500):
        assert t(f"error.{code}") and t(f"error.{code}_title")


def test_unknown_key_raises():
    with pytest.raises(CatalogueError):
        t("no.such.key")


def test_placeholders_are_filled():
    assert t("error.rate_limited", minutes=7).count("7") == 1
