"""The record extract: everything held about one client in sv and da, with the access log."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from clientworld import World, pnr
from pypdf import PdfReader

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.client import ContactKind, ContactOutcome, JournalCategory
from hemlos_desktop.reports.leaks import english_leaks
from hemlos_desktop.services import contacts, journal
from hemlos_desktop.services.case_overview import case_overview
from hemlos_desktop.services.pdf_export import PdfOptions, render_document


def _client(world: World) -> int:
    cid = world.add("Anna", "Söderström", number=pnr(dt.date(1985, 3, 12)), by="anna")
    for day in range(1, 30):  # more contacts than a summary shows
        contacts.add_contact(
            world.db, world.actors["anna"], cid,
            contacts.ContactInput(dt.date(2025, 1, day), ContactKind.STREET, ContactOutcome.BRIEF),
        )  # fmt: skip
    draft = journal.save_draft(
        world.db, world.actors["anna"], cid, draft_id=None, entry_date=dt.date(2019, 5, 1),
        category=JournalCategory.MEETING, text="Första mötet på härbärget.",
    )  # fmt: skip
    journal.sign_entry(world.db, world.actors["anna"], draft)
    case_overview(world.db, world.actors["lead"], cid)
    return cid


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("sv", ["Registerutdrag", "Vem som har läst eller ändrat i akten", "Sida 1 av"]),
        ("da", ["Indsigt", "Hvem der har læst eller ændret sagen", "Side 1 af"]),
    ],
)
def test_extract_holds_everything(world: World, language: str, words: list[str]) -> None:
    cid = _client(world)
    data = render_document(
        world.db, world.actors["lead"], cid, PdfOptions(language=language), kind="extract"
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for word in words:
        assert word in text, word
    assert "Första mötet på härbärget." in text  # journal from years ago is included
    assert text.count("01.2025") + text.count("2025-01-") >= 29  # every contact, not 20
    assert "anna" in text and "lead" in text  # who accessed the record
    assert "19850312-****" in text
    assert english_leaks(text, language, ignore=["Anna", "Worker", "Lead", "Admin"]) == []


def test_caseworkers_do_not_make_extracts(world: World) -> None:
    cid = _client(world)
    with pytest.raises(AccessDeniedError):
        render_document(world.db, world.actors["anna"], cid, PdfOptions("sv"), kind="extract")
