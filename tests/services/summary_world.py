"""A client with housing periods, contacts and journal entries, for PDF export tests."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from clientworld import World, pnr

from hemlos_desktop.models.client import ContactKind, ContactOutcome, JournalCategory
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.services.contacts import ContactInput, add_contact
from hemlos_desktop.services.housing import save_period
from hemlos_desktop.services.journal import save_draft, sign_entry, start_correction

# The PDF reading helpers live beside the report tests (tests folders are not packages).
_REPORT_TESTS = str(Path(__file__).resolve().parents[1] / "reports")
if _REPORT_TESTS not in sys.path:
    sys.path.append(_REPORT_TESTS)

TODAY = dt.date(2026, 3, 5)
BORN = dt.date(1985, 3, 12)
NUMBER = pnr(BORN)


def add_full_client(world: World, *, journal: int = 3, number: str = NUMBER) -> int:
    actor = world.actors["anna"]
    cid = world.add("Åsa", "Öberg", number=number, by="anna")
    for code, start, end in (
        (1, dt.date(2024, 11, 3), dt.date(2025, 2, 13)),
        (3, dt.date(2025, 2, 14), dt.date(2025, 12, 19)),
        (5, dt.date(2025, 12, 20), None),
    ):
        save_period(
            world.db, actor, cid, PeriodInput(code, start, end, place="Götgatan"), today=TODAY
        )
    add_contact(
        world.db,
        actor,
        cid,
        ContactInput(
            dt.date(2025, 1, 8), ContactKind.STREET, ContactOutcome.CONVERSATION, "Slussen"
        ),
        today=TODAY,
    )
    first = None
    for i in range(journal):
        draft = save_draft(
            world.db,
            actor,
            cid,
            draft_id=None,
            entry_date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            category=JournalCategory.MEETING,
            text=f"Samtal nummer {i + 1} om boendet.",
        ).value
        sign_entry(world.db, actor, draft, today=TODAY)
        first = first or draft
    if first is not None:
        fix = start_correction(world.db, actor, first).value
        save_draft(
            world.db,
            actor,
            cid,
            draft_id=fix,
            entry_date=dt.date(2025, 6, 1),
            category=JournalCategory.OTHER,
            text="Rättelse av datumet.",
        )
        sign_entry(world.db, actor, fix, today=TODAY)
    # A draft never appears in a PDF.
    save_draft(
        world.db,
        actor,
        cid,
        draft_id=None,
        entry_date=dt.date(2025, 3, 1),
        category=JournalCategory.OTHER,
        text="Osignerat utkast.",
    )
    return cid
