"""Exporting one client's case summary: access, data from the services, file, access log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from sqlalchemy import select
from summary_world import NUMBER, TODAY, add_full_client  # also makes the PDF helpers importable

from pdf_checks import font_problems  # isort: skip
from report_samples import page_texts, read  # isort: skip

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.reports.leaks import english_leaks
from hemlos_desktop.services.audit import verify_chain
from hemlos_desktop.services.pdf_export import (
    ClientNumberNotFoundError,
    PdfOptions,
    PdfWriteError,
    SummaryProviders,
    document_kinds,
    export_pdf,
    find_client_id,
    gather_case_summary,
)


def actions(world: World, client_id: int) -> list[tuple[str, str]]:
    with world.db.read() as s:
        return [
            (e.action, e.detail)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.client_id == client_id))
        ]


def text_of(path: Path) -> str:
    return " ".join(" ".join(page_texts(path.read_bytes())).split())


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_export_writes_summary_and_logs_it(world: World, tmp_path: Path, lang: str) -> None:
    cid = add_full_client(world)
    out = tmp_path / "out" / "s.pdf"
    options = PdfOptions(
        lang, municipality="Malmö stad", journal_from=dt.date(2025, 1, 1), today=TODAY
    )
    export_pdf(world.db, world.actors["anna"], cid, out, options)
    text = text_of(out)
    assert english_leaks(text, lang) == []
    assert font_problems(read(out.read_bytes())) == []
    assert "Samtal nummer 2 om boendet." in text
    assert "Osignerat utkast." not in text
    assert NUMBER not in text and NUMBER[:9] + "****" in text
    assert ("Sida 1 av" if lang == "sv" else "Side 1 af") in text
    assert "Slussen" in text and "Götgatan" in text
    assert ("export", f"pdf summary {lang}") in actions(world, cid)
    assert verify_chain(world.db).ok


def test_full_numbers_are_printed_and_the_reveal_logged(world: World, tmp_path: Path) -> None:
    cid = add_full_client(world, journal=0)
    out = tmp_path / "s.pdf"
    export_pdf(world.db, world.actors["anna"], cid, out, PdfOptions("sv", show_full_numbers=True))
    assert NUMBER in text_of(out)
    logged = actions(world, cid)
    assert ("reveal_number", "") in logged
    assert ("export", "pdf summary sv full") in logged


def test_print_action_is_logged(world: World, tmp_path: Path) -> None:
    cid = add_full_client(world, journal=0)
    export_pdf(
        world.db,
        world.actors["anna"],
        cid,
        tmp_path / "p.pdf",
        PdfOptions("da"),
        action=AuditAction.PRINT,
    )
    assert ("print", "pdf summary da") in actions(world, cid)


def test_unwritable_path_writes_nothing_and_logs_nothing(world: World, tmp_path: Path) -> None:
    cid = add_full_client(world, journal=0)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PdfWriteError):
        export_pdf(world.db, world.actors["anna"], cid, blocker / "s.pdf", PdfOptions("sv"))
    assert not any(a == "export" for a, _d in actions(world, cid))


def test_client_of_another_team_is_not_found(world: World, tmp_path: Path) -> None:
    cid = add_full_client(world, journal=0)
    with pytest.raises(NotFoundError):
        export_pdf(world.db, world.actors["bo"], cid, tmp_path / "s.pdf", PdfOptions("sv"))
    assert not (tmp_path / "s.pdf").exists()
    with pytest.raises(ClientNumberNotFoundError):
        find_client_id(world.db, world.actors["bo"], NUMBER)
    assert find_client_id(world.db, world.actors["anna"], NUMBER.replace("-", "")) == cid


def test_journal_is_signed_only_oldest_first_with_corrections(world: World) -> None:
    cid = add_full_client(world, journal=3)
    data = gather_case_summary(
        world.db, world.actors["anna"], cid, PdfOptions("sv", journal_to=TODAY, today=TODAY)
    )
    assert data.journal is not None
    entries = data.journal.entries
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert all("utkast" not in e.text for e in entries)
    correction = entries[-1]
    assert correction.corrects_date == dt.date(2025, 1, 1)
    assert entries[0].corrected_by_ids == (correction.id,)
    assert data.rating is None and data.plan is None


def test_providers_plug_in_sections(world: World) -> None:
    from summary_samples import plan, rating

    cid = add_full_client(world, journal=0)
    providers = SummaryProviders(
        rating=lambda session, actor, ids, tr: {client_id: rating() for client_id in ids},
        plan=lambda session, actor, ids, tr: {client_id: plan() for client_id in ids},
    )
    data = gather_case_summary(
        world.db, world.actors["anna"], cid, PdfOptions("sv"), providers=providers
    )
    assert data.rating == rating() and data.plan == plan()


def test_kinds_registry() -> None:
    assert "summary" in document_kinds()


@pytest.mark.parametrize("lang", ["sv", "da"])
def test_summary_prints_who_does_what_and_eviction_cases(
    world: World, tmp_path: Path, lang: str
) -> None:
    from hemlos_desktop.models.eviction_rules import EvictionInput
    from hemlos_desktop.models.team import EvictionOutcome, ResponsibilityRole
    from hemlos_desktop.services import evictions, team_cases

    cid = add_full_client(world)
    lead = world.actors["lead"]
    team_cases.assign_person(
        world.db, lead, cid, ResponsibilityRole.COORDINATOR, lead.user_id,
        start=dt.date(2026, 1, 5),
    )  # fmt: skip
    evictions.add_eviction_case(
        world.db, lead, cid,
        EvictionInput(landlord="Stockholmshem", notice_date=dt.date(2026, 2, 1),
                      outcome=EvictionOutcome.LEASE_KEPT, outcome_date=dt.date(2026, 4, 1)),
    )  # fmt: skip
    out = tmp_path / "s.pdf"
    export_pdf(world.db, world.actors["anna"], cid, out, PdfOptions(lang, today=TODAY))
    text = text_of(out)
    assert english_leaks(text, lang) == []
    if lang == "sv":
        assert "Vem gör vad" in text and "Samordnande boendelots" in text
        assert "Behållit kontraktet" in text
    else:
        assert "Hvem gør hvad" in text and "Koordinerende boligkoordinator" in text
        assert "Bevaret lejemål" in text
    assert "Stockholmshem" in text and "Lead" in text
