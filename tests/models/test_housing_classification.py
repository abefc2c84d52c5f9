"""One housing classification: a code means the same situation in every language and in the
rating's housing area; the kind of place lies within a code; "case closed" is no code."""

from __future__ import annotations

import datetime as dt

import pytest

from hemlos_desktop.i18n import translator_for
from hemlos_desktop.models.client import HousingCode, housing_label_in
from hemlos_desktop.models.housing_rules import (
    HOUSING_CODES,
    PLACE_KIND_CODE,
    HousingPlaceKind,
    PeriodInput,
    place_kinds_for,
    validate_period,
)
from hemlos_desktop.models.instrument import load_instrument
from hemlos_desktop.resources import resource_path

TODAY = dt.date(2026, 3, 5)


def _rating_text(language: str, code: int) -> str:
    inst = load_instrument(resource_path("instruments", "sodermalm-independence.toml"))
    return (
        inst.level_label("housing", code, language)
        + " "
        + inst.level_description("housing", code, language)
    ).casefold()


@pytest.mark.parametrize("language", ["sv", "da"])
def test_a_shelter_stay_is_code_1_on_the_timeline_and_in_the_rating(language: str) -> None:
    word = {"sv": "härbärge", "da": "herberg"}[language]
    timeline = {c: housing_label_in(translator_for(language), c).casefold() for c in HOUSING_CODES}
    kind_label = {"sv": "härbärge", "da": "herberg"}[language]
    assert word in timeline[1] or kind_label in _rating_text(language, 1)
    assert word in _rating_text(language, 1)
    for code in (2, 3, 4, 5):
        assert word not in timeline[code], code
        assert word not in _rating_text(language, code), code
    assert "forsorgshjem" not in _rating_text("da", 2)
    assert "forsorgshjem" not in housing_label_in(translator_for("da"), 2).casefold()


def test_the_danish_labels_name_the_rating_levels_words() -> None:
    da = translator_for("da")
    assert "træningsbolig" in housing_label_in(da, 3).casefold()
    assert "træningsbolig" in _rating_text("da", 3)


def test_case_closed_is_not_a_housing_situation() -> None:
    assert list(HOUSING_CODES) == [c.value for c in HousingCode] == [1, 2, 3, 4, 5]
    clean, errors = validate_period(PeriodInput(6, TODAY), [], today=TODAY)
    assert clean is None and [e.field for e in errors] == ["code"]


def test_a_kind_of_place_belongs_to_one_code() -> None:
    assert set(place_kinds_for(1)) >= {
        HousingPlaceKind.STREET,
        HousingPlaceKind.NIGHT_SHELTER,
        HousingPlaceKind.SHELTER_110,
        HousingPlaceKind.RELEASE_WITHOUT_HOUSING,
    }
    assert place_kinds_for(2) == [HousingPlaceKind.FAMILY_FRIENDS]
    good = PeriodInput(1, TODAY, place_kind=HousingPlaceKind.SHELTER_110)
    clean, errors = validate_period(good, [], today=TODAY)
    assert errors == [] and clean is not None and clean.place_kind is HousingPlaceKind.SHELTER_110
    wrong = PeriodInput(3, TODAY, place_kind=HousingPlaceKind.STREET)
    clean, errors = validate_period(wrong, [], today=TODAY)
    assert clean is None and [e.field for e in errors] == ["place_kind"]
    assert all(code in HOUSING_CODES for code in PLACE_KIND_CODE.values())
