"""Instrument files: the shipped Södermalm rating, a 13-area instrument, and bad files."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from hemlos_desktop import i18n
from hemlos_desktop.models.instrument import (
    SODERMALM_ID,
    InstrumentError,
    load_instrument,
    parse_instrument,
    shipped_instrument,
    shipped_instruments,
)
from hemlos_desktop.resources import resource_path

DATA = Path(__file__).resolve().parent.parent / "data"
SODERMALM_FILE = resource_path("instruments", "sodermalm-independence.toml")


def _sodermalm_data() -> dict[str, Any]:
    with SODERMALM_FILE.open("rb") as handle:
        return tomllib.load(handle)


def test_shipped_sodermalm() -> None:
    ids = [instrument.id for instrument in shipped_instruments()]
    assert SODERMALM_ID in ids
    inst = shipped_instrument(SODERMALM_ID)
    assert inst.version == 2
    assert inst.area_keys == ("housing", "income", "substance_use", "daily_living", "occupation")
    assert [inst.area_name(k, "sv") for k in inst.area_keys] == [
        "Boende",
        "Försörjning",
        "Missbruk",
        "ADL",
        "Sysselsättning",
    ]
    assert [inst.area_name(k, "da") for k in inst.area_keys] == [
        "Bolig",
        "Forsørgelse",
        "Misbrug",
        "ADL",
        "Beskæftigelse",
    ]
    assert inst.levels == (1, 2, 3, 4, 5)
    assert inst.allowed_levels == (1, 2, 3, 4, 5, 6)
    assert inst.rule.qualify_max_level == 2
    assert inst.level_label("housing", 1, "sv") == "Hemlös, tak över huvudet"
    assert inst.level_label("housing", 3, "sv") == "Träningsboende"
    assert inst.level_label("income", 6, "da") == "Området afsluttet"
    assert inst.label("en") == "Independence rating (Södermalm)"
    for area in inst.areas:
        assert len(area.levels) == 5
        for level in area.levels:
            for lang in ("sv", "da", "en"):
                assert level.description.get(lang).endswith(".")


def test_label_follows_active_language() -> None:
    inst = shipped_instrument(SODERMALM_ID)
    i18n.set_language("da")
    assert inst.area("housing").label() == "Bolig"
    i18n.set_language("en")
    assert inst.area("housing").label() == "Housing"


def test_thirteen_area_instrument() -> None:
    inst = load_instrument(DATA / "self-sufficiency-13.toml")
    assert len(inst.areas) == 13
    assert inst.version == 3
    assert inst.rule.closed_level is None
    assert inst.allowed_levels == (1, 2, 3, 4, 5)
    assert inst.area_name("parenting", "sv") == "Föräldraskap"


def _errors(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(InstrumentError) as info:
        parse_instrument(data, source="adapted.toml")
    assert info.value.source == "adapted.toml"
    assert "adapted.toml" in info.value.message()
    return info.value.problems


def test_all_problems_are_collected() -> None:
    data = _sodermalm_data()
    housing, income, substance = data["areas"][0], data["areas"][1], data["areas"][2]
    del housing["levels"][2]  # level 3 missing
    income["key"] = "housing"  # duplicate key
    substance["levels"][0]["level"] = 9  # out of range (and level 1 then missing)
    del data["areas"][3]["name"]["da"]  # missing translation
    data["areas"][4]["colour"] = "red"  # unknown field
    data["version"] = "two"  # wrong type
    problems = _errors(data)
    text = "\n".join(problems)
    assert "Area “housing”: level 3 is missing." in problems
    assert "Area “housing”: the key is used by more than one area." in problems
    assert "Area “substance_use”, level 9: the level is outside the scale 1–5." in problems
    assert "Area “substance_use”: level 1 is missing." in problems
    assert "Area “daily_living”, name: the translation “da” is missing." in problems
    assert "Area “occupation”: unknown field “colour”." in problems
    assert "Instrument: “version” must be a whole number." in problems
    assert text.count("\n") == len(problems) - 1 and len(problems) == 7


def test_duplicate_and_unordered_levels() -> None:
    data = _sodermalm_data()
    levels = data["areas"][0]["levels"]
    levels[1], levels[2] = levels[2], levels[1]
    levels.append(dict(levels[0]))
    problems = _errors(data)
    assert "Area “housing”, level 1: the level is defined more than once." in problems
    assert "Area “housing”: the levels must be listed in order." in problems


def test_rule_and_scale_checks() -> None:
    data = _sodermalm_data()
    data["qualification"]["qualify_max_level"] = 7
    data["qualification"]["closed_level"] = 3
    del data["qualification"]["closed_label"]["en"]
    problems = _errors(data)
    assert "Qualification rule: “qualify_max_level” must be between 1 and 5." in problems
    assert "Qualification rule: “closed_level” must lie outside the scale 1–5." in problems
    assert "Qualification rule, closed_label: the translation “en” is missing." in problems


def test_problems_are_translated() -> None:
    data = _sodermalm_data()
    del data["areas"][0]["levels"][2]
    i18n.set_language("sv")
    problems = _errors(data)
    assert problems == ("Område ”housing”: nivå 3 saknas.",)
    error = InstrumentError("x.toml", list(problems))
    assert "x.toml" in error.message() and error.title() != "The instrument file cannot be used"


def test_bad_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("id = [", encoding="utf-8")
    with pytest.raises(InstrumentError) as info:
        load_instrument(broken)
    assert info.value.source == "broken.toml"
    assert "TOML" in info.value.problems[0]
    with pytest.raises(InstrumentError):
        load_instrument(tmp_path / "missing.toml")
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    problems = _errors({})
    assert len(problems) == 6  # id, version, name, scale, qualification, areas
    with pytest.raises(InstrumentError):
        load_instrument(empty)
