"""The case summary document built from plain data: wording, numbers, sections, page flow."""

from __future__ import annotations

import re

import pytest
from pdf_checks import font_problems
from report_samples import page_texts, read
from summary_samples import PRINTED_AT, data, plan, rating

from hemlos_desktop.reports.case_summary import case_summary_story, summary_context
from hemlos_desktop.reports.document import pdf_bytes
from hemlos_desktop.reports.leaks import english_leaks

LABELS = {
    "sv": ["Sammanfattning", "Personnummer", "Boende", "Uppsökande kontakter", "Sida 1 av"],
    "da": ["Sagsresumé", "CPR-nummer", "Bolig", "Opsøgende kontakter", "Side 1 af"],
}


def render(lang: str, *, full: bool = False, **changes: object) -> bytes:
    ctx = summary_context(
        lang,
        municipality="Stockholms stad" if lang == "sv" else "Københavns Kommune",
        printed_by="Åsa Lindqvist",
        show_full_numbers=full,
        printed_at=PRINTED_AT,
    )
    return pdf_bytes(case_summary_story(ctx, data(lang, full=full, **changes)), ctx)


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_summary_in_its_language_without_english(lang: str) -> None:
    pdf = render(lang, journal_entries=3, rating=rating(), plan=plan())
    text = "\n".join(page_texts(pdf))
    for label in LABELS[lang]:
        assert label in text
    assert english_leaks(text, lang) == []
    assert font_problems(read(pdf)) == []
    assert read(pdf).metadata is not None


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_numbers_masked_unless_full_chosen(lang: str) -> None:
    masked = "\n".join(page_texts(render(lang)))
    full = "\n".join(page_texts(render(lang, full=True)))
    full_number = "19850312-1237" if lang == "sv" else "120385-1234"
    assert full_number not in masked
    assert "-****" in masked
    assert full_number in full


def test_optional_sections_left_out_without_data() -> None:
    text = "\n".join(page_texts(render("sv")))
    assert "Självständighetsmatris" not in text
    assert "Genomförandeplan" not in text
    assert "Journal" not in text
    with_all = "\n".join(page_texts(render("sv", rating=rating(), plan=plan(), journal_entries=1)))
    assert "Självständighetsmatris" in with_all
    assert "Behålla lägenheten" in with_all
    assert "Kvalificerar för eget kontrakt." in with_all


def test_correction_shows_what_it_corrects() -> None:
    text = " ".join(" ".join(page_texts(render("sv", journal_entries=2))).split())
    assert "Rättelse av anteckningen från 2025-01-01:" in text
    assert "(Rättad i en senare anteckning.)" in text


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_long_journal_flows_over_pages_with_repeated_header(lang: str) -> None:
    pages = [" ".join(p.split()) for p in page_texts(render(lang, journal_entries=80))]
    assert len(pages) >= 4
    header = "Signerad av" if lang == "sv" else "Underskrevet af"
    journal_pages = [p for p in pages if "Anteckning" in p]
    assert len(journal_pages) >= 3
    assert all(header in p for p in journal_pages)
    last = len(pages)
    word = "Sida" if lang == "sv" else "Side"
    of = "av" if lang == "sv" else "af"
    assert re.search(rf"{word} {last} {of} {last}", pages[-1])


def test_housing_labels_follow_the_document_not_the_ui() -> None:
    from hemlos_desktop import i18n
    from hemlos_desktop.i18n import translator_for
    from hemlos_desktop.models.client import housing_label, housing_label_in

    i18n.set_language("sv")
    danish = housing_label_in(translator_for("da"), 5)
    assert danish != housing_label(5)
    assert housing_label(5) == housing_label_in(translator_for("sv"), 5)
    assert housing_label_in(translator_for("da"), 9) == ""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("sv", "Avslutad 2026-03-01 (Avliden)"), ("da", "Afsluttet 01.03.2026 (Død)")],
)
def test_a_closed_case_shows_the_day_and_the_reason(lang: str, expected: str) -> None:
    import datetime as dt
    from dataclasses import replace

    from summary_samples import client

    from hemlos_desktop.models.client import ClientStatus, ClosureReason

    closed = replace(
        client(lang),
        status=ClientStatus.CLOSED,
        closed_on=dt.date(2026, 3, 1),
        closure_reason=ClosureReason.DIED,
    )
    text = " ".join(" ".join(page_texts(render(lang, client=closed))).split())
    assert expected in text
