"""The follow-up report PDF read back: labels in sv and da, figures, fonts, no English left."""

from __future__ import annotations

import datetime as dt

import pytest
from pdf_checks import font_problems
from report_samples import page_texts, read

from hemlos_desktop.models.instrument import SODERMALM_ID, shipped_instrument
from hemlos_desktop.reports.followup_report import followup_report_bytes, scope_description
from hemlos_desktop.reports.leaks import english_leaks
from hemlos_desktop.services.followup_stats import (
    ClientRecord,
    DatedAssessment,
    FollowupFigures,
    followup_figures,
)

D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")
INSTRUMENT = shipped_instrument(SODERMALM_ID)


def _a(day: dt.date, *levels: int) -> DatedAssessment:
    return DatedAssessment(day, dict(zip(KEYS, levels, strict=True)))


# Housing: the woman goes 2→4, the man stays at 3: first mean 2,5, latest 3,5, change +1,0
# (women +2,0, men 0,0). Nobody of other or unstated gender: their cells show "–".
RECORDS = (
    ClientRecord(1, "woman", (_a(D(2026, 1, 5), 2, 2, 2, 2, 2), _a(D(2026, 5, 5), 4, 2, 2, 2, 2))),
    ClientRecord(2, "man", (_a(D(2026, 2, 5), 3, 3, 3, 3, 3), _a(D(2026, 6, 5), 3, 3, 3, 3, 3))),
)
TEXTS = {
    "sv": ("Uppföljning av självständighetsskattningar", "Sida 1 av", "Kvinnor", "2026-01-01"),
    "da": ("Opfølgning af selvstændighedsvurderinger", "Side 1 af", "Kvinder", "01.01.2026"),
}


@pytest.fixture(scope="module")
def figures() -> FollowupFigures:
    return followup_figures(INSTRUMENT, RECORDS, START, END)


def _pdf(figures: FollowupFigures, lang: str) -> bytes:
    return followup_report_bytes(
        INSTRUMENT,
        figures,
        language=lang,
        municipality="Malmö stad",
        printed_by="Anna Worker",
        scope_text=scope_description(lang, "team", "Norr"),
        period_start=START,
        period_end=END,
        printed_at=dt.datetime(2026, 7, 1, 9, 30),
    )


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_report_reads_back_in_its_language(figures: FollowupFigures, lang: str) -> None:
    data = _pdf(figures, lang)
    reader = read(data)
    assert font_problems(reader) == []
    assert reader.metadata is not None and reader.metadata.title == TEXTS[lang][0]
    text = " ".join(" ".join(page_texts(data)).split())
    for label in TEXTS[lang]:
        assert label in text
    assert INSTRUMENT.area_name("housing", lang) in text
    assert "Team Norr" in text
    # The hand-made figures are about fewer than five people: counts show as "<5" and the
    # means over them are not shown at all.
    assert "<5" in text
    assert "+1,0" not in text and "+2,0" not in text and "2.5" not in text
    # Figures only: no "contains personal data" marking on a report that holds none.
    marking = {"sv": "Sekretessbelagd", "da": "personoplysninger"}[lang]
    assert marking not in text.replace("ingen personoplysninger", "")
    # "for" is also a Danish word ("inden for perioden"), so the probe "for {duration}" fires.
    assert english_leaks(text, lang, ignore=("for {duration}",)) == []


def test_report_refuses_a_period_that_is_not_the_figures(figures: FollowupFigures) -> None:
    with pytest.raises(ValueError):
        followup_report_bytes(
            INSTRUMENT,
            figures,
            language="sv",
            municipality="",
            printed_by="",
            scope_text="",
            period_start=START,
            period_end=D(2026, 12, 31),
        )


def test_scope_descriptions() -> None:
    assert scope_description("sv", "all") == "Hela registret"
    assert scope_description("da", "caseworker", "Bo") == "Borgere hos sagsbehandler Bo"
    assert scope_description("sv", "team", "Norr") == "Team Norr"


@pytest.mark.parametrize(
    ("lang", "heading", "reason"),
    [
        ("sv", "Ärenden avslutade under perioden", "Avliden"),
        ("da", "Sager afsluttet i perioden", "Død"),
    ],
)
def test_closures_by_reason_with_small_cells_hidden(
    figures: FollowupFigures, lang: str, heading: str, reason: str
) -> None:
    from dataclasses import replace

    from hemlos_desktop.models.followup import closure_figures

    closures = closure_figures(
        {
            "died": {"total": 2, "woman": 1, "man": 1},
            "own_housing": {"total": 7, "woman": 6, "man": 1},
            "moved": {"total": 0},
        }
    )
    data = _pdf(replace(figures, closures=closures), lang)
    text = " ".join(" ".join(page_texts(data)).split())
    assert heading in text
    section = text[text.index(heading) :]
    assert reason in section
    # Own housing: 7 in total and 6 women are shown, the one man as "<5"; died: all "<5".
    own = {"sv": "Har eget boende", "da": "Har egen bolig"}[lang]
    row = section[section.index(own) :]
    assert "7 6 <5" in row
    died = section[section.index(reason) :]
    assert died.split()[1:4] == ["<5", "<5", "<5"]
    assert " 1 " not in section.replace("1 av", "").replace("1 af", "")


def test_no_closures_section_without_closure_figures(figures: FollowupFigures) -> None:
    text = " ".join(" ".join(page_texts(_pdf(figures, "sv"))).split())
    assert "Ärenden avslutade under perioden" not in text
