"""The English-leak check catches an English label in a Swedish or Danish PDF."""

from __future__ import annotations

from report_samples import context, page_texts, story

from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.document import pdf_bytes
from hemlos_desktop.reports.leaks import english_leaks


def test_catches_an_english_label_in_a_swedish_pdf() -> None:
    ctx = context("sv")
    parts = [*story(ctx, rows=3, with_charts=False), fl.body(ctx, "Name in block letters")]
    text = " ".join(page_texts(pdf_bytes(parts, ctx)))
    assert "Name in block letters" in english_leaks(text, "sv")


def test_catches_placeholder_messages_and_line_breaks() -> None:
    text = "Sida 1 av 2\nPage 1\nof 2 Printed 2026-03-05 by\nSøren"
    found = english_leaks(text, "da")
    assert {"Page {page} of {pages}", "Printed {date} by {name}"} <= set(found)


def test_translated_text_and_short_or_equal_msgids_pass() -> None:
    assert english_leaks("Sida 1 av 2 Underskrift Datum Namnförtydligande", "sv") == []
    # Whole words only: "Drafted" is not the msgid "Draft".
    assert english_leaks("Drafted", "sv") == []
    assert english_leaks("Draft", "sv") == ["Draft"]
    assert english_leaks("Draft", "sv", ignore=["Draft"]) == []


def test_danish_pdf_without_english() -> None:
    ctx = context("da", draft=True)
    data = pdf_bytes(story(ctx, rows=5), ctx)
    assert english_leaks(" ".join(page_texts(data)), "da") == []
