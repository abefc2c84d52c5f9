"""Qualification explained in words, and rating validation."""

from __future__ import annotations

import datetime as dt

import pytest

from hemlos_desktop import i18n
from hemlos_desktop.models.assessment_rules import (
    AreaRating,
    QualificationStatus,
    RatingDraft,
    explain_qualification,
    qualifies,
    validate_rating,
)
from hemlos_desktop.models.instrument import SODERMALM_ID, Instrument, shipped_instrument

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")


@pytest.fixture(scope="module")
def inst() -> Instrument:
    return shipped_instrument(SODERMALM_ID)


def _ratings(*levels: int | None) -> dict[str, int | None]:
    return dict(zip(KEYS, levels, strict=True))


def test_qualifies(inst: Instrument) -> None:
    result = explain_qualification(inst, _ratings(1, 2, 2, 1, 2), "en")
    assert result.qualifies and result.status is QualificationStatus.QUALIFIES
    assert result.text == "Qualifies: every area is 2 or lower"
    assert qualifies(inst, _ratings(1, 2, 2, 1, 2))


def test_not_yet_lists_every_area(inst: Instrument) -> None:
    result = explain_qualification(inst, _ratings(1, 2, 3, 1, 4), "en")
    assert not result.qualifies
    assert result.text == "Does not qualify: Substance use is 3 and Occupation is 4"
    assert result.above_limit == ("substance_use", "occupation")
    sv = explain_qualification(inst, _ratings(1, 2, 3, 1, 4), "sv")
    assert "Missbruk" in sv.text and "Sysselsättning" in sv.text and " och " in sv.text
    da = explain_qualification(inst, _ratings(1, 2, 3, 1, 2), "da")
    assert "Misbrug" in da.text and da.text != sv.text


def test_not_assessed(inst: Instrument) -> None:
    result = explain_qualification(inst, _ratings(1, 2, 2, 1, None), "en")
    assert result.status is QualificationStatus.UNDECIDED and not result.qualifies
    assert result.text == "Cannot be decided: Occupation was not assessed"
    two = explain_qualification(inst, {"housing": 1, "income": 1, "daily_living": 2}, "en")
    assert two.text == "Cannot be decided: Substance use and Occupation were not assessed"
    # above the limit decides even with gaps
    mixed = explain_qualification(inst, _ratings(3, None, 1, 1, 1), "en")
    assert mixed.status is QualificationStatus.NOT_YET
    assert mixed.not_assessed == ("income",)


def test_closed(inst: Instrument) -> None:
    result = explain_qualification(inst, _ratings(6, 6, 6, 6, 6), "en")
    assert result.status is QualificationStatus.CLOSED and not result.qualifies
    assert result.text == "Every area is closed: the target-group rule does not apply."
    assert not qualifies(inst, _ratings(6, 6, 6, 6, 6))


def test_a_six_closes_one_area_and_the_others_count(inst: Instrument) -> None:
    result = explain_qualification(inst, _ratings(1, 2, 6, 1, 2), "en")
    assert result.status is QualificationStatus.QUALIFIES
    assert result.text == (
        "Qualifies: every area is 2 or lower (Substance use is closed and does not count)"
    )
    assert result.closed == ("substance_use",)
    assert qualifies(inst, _ratings(1, 2, 6, 1, 2))
    above = explain_qualification(inst, _ratings(1, 4, 6, 1, 2), "en")
    assert above.status is QualificationStatus.NOT_YET and above.above_limit == ("income",)
    assert not qualifies(inst, _ratings(1, 4, 6, 1, 2))
    gap = explain_qualification(inst, _ratings(1, None, 6, 1, 2), "en")
    assert gap.status is QualificationStatus.UNDECIDED and gap.not_assessed == ("income",)
    da = explain_qualification(inst, _ratings(1, 2, 6, 1, 2), "da")
    assert da.text.startswith("Opfylder målgruppekriteriet") and "Misbrug" in da.text


def test_rising_above_the_limit_is_progress_not_not_yet(inst: Instrument) -> None:
    before = _ratings(2, 2, 1, 2, 1)
    result = explain_qualification(inst, _ratings(4, 2, 1, 3, 1), "en", previous=before)
    assert result.status is QualificationStatus.PROGRESS and not result.qualifies
    assert result.progress == ("housing", "daily_living")
    assert result.text == (
        "Progress since the previous rating: Housing from 2 to 4 and Daily living from 2 to 3. "
        "The client is more independent than the target group (every area 2 or lower)."
    )
    assert "yet" not in result.text
    for lang, word in (("sv", "Framsteg"), ("da", "Fremskridt")):
        text = explain_qualification(inst, _ratings(4, 2, 1, 3, 1), lang, previous=before).text
        assert text.startswith(word) and "ännu" not in text and "endnu" not in text
    # Above the limit then and now: no progress to speak of, and no "yet" either.
    same = explain_qualification(
        inst, _ratings(4, 2, 1, 2, 1), "en", previous=_ratings(4, 2, 1, 2, 1)
    )
    assert same.status is QualificationStatus.NOT_YET
    assert same.text == "Does not qualify: Housing is 4"


def test_the_rule_in_words(inst: Instrument) -> None:
    from hemlos_desktop.models.assessment_rules import rule_text

    text = rule_text(inst, "en")
    assert "2 or lower in every area" in text and "housing coordinator" in text
    assert "6 closes that area only" in text
    assert "opfylder målgruppekriteriet" in rule_text(inst, "da")
    assert "boendelots" in rule_text(inst, "sv")


def test_language_independent_of_ui(inst: Instrument) -> None:
    i18n.set_language("sv")
    danish = explain_qualification(inst, _ratings(1, 1, 1, 1, 1), "da")
    active = explain_qualification(inst, _ratings(1, 1, 1, 1, 1))
    assert danish.text != active.text
    assert active.text.startswith("Kvalificerar")


def _draft(levels: dict[str, int | None], day: dt.date, reasons: dict[str, str] | None = None):
    reasons = reasons or {}
    return RatingDraft(
        instrument_id=SODERMALM_ID,
        instrument_version=shipped_instrument(SODERMALM_ID).version,
        rated_on=day,
        client_took_part=True,
        areas=tuple(
            AreaRating(k, levels.get(k), not_assessed_reason=reasons.get(k, "")) for k in KEYS
        ),
    )


TODAY = dt.date(2026, 11, 24)


def test_valid_rating(inst: Instrument) -> None:
    check = validate_rating(
        inst,
        _draft(_ratings(1, 2, 3, None, 5), TODAY, {"daily_living": "Client declined"}),
        today=TODAY,
        birth_date=dt.date(1980, 1, 1),
    )
    assert check.ok


def test_invalid_rating(inst: Instrument) -> None:
    draft = _draft(_ratings(1, 0, 3, None, 6), TODAY + dt.timedelta(days=1))
    check = validate_rating(inst, draft, today=TODAY, case_closed=True, lang="en")
    assert check.for_field("date") == ("The rating date cannot be in the future.",)
    assert check.for_field("area:income") == ("Income: the level must be between 1 and 6.",)
    assert check.for_field("reason:daily_living") == (
        "Daily living: give a level, or a reason why it was not assessed.",
    )
    # A 6 in one area closes that area only: no rule asks for all or none.
    assert check.for_field("case") == (
        "The case is closed. Reopen the case before rating it again.",
    )
    early = validate_rating(
        inst,
        _draft(_ratings(1, 1, 1, 1, 1), dt.date(1979, 1, 1)),
        today=TODAY,
        birth_date=dt.date(1980, 1, 1),
        lang="sv",
    )
    assert early.for_field("date") == (
        "Skattningsdatumet kan inte vara före klientens födelsedatum.",
    )


def test_other_instrument_version(inst: Instrument) -> None:
    draft = _draft(_ratings(1, 1, 1, 1, 1), TODAY)
    other = RatingDraft("x", 1, TODAY, False, draft.areas)
    assert not validate_rating(inst, other, today=TODAY).ok
    assert draft.levels()["housing"] == 1 and draft.area("income").level == 1
