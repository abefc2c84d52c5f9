"""Case summaries read for a chunk of clients: the same data as one client at a time and as
the case file's own services show, only visible clients, and the same PDF from a batch as
from a single export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from pypdf import PdfReader
from summary_world import TODAY, add_full_client

from hemlos_desktop.demo.data import DEMO_TODAY, create_demo_database, open_demo
from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.client import JournalStatus
from hemlos_desktop.services.batch_export import batch_file_name, export_batch
from hemlos_desktop.services.clients import ClientQuery, search_ids
from hemlos_desktop.services.contacts import list_contacts
from hemlos_desktop.services.housing import list_periods
from hemlos_desktop.services.journal import list_entries
from hemlos_desktop.services.pdf_export import PdfOptions, export_pdf
from hemlos_desktop.services.summary_reader import (
    SUMMARY_CONTACTS,
    gather_case_summary,
    read_case_summaries,
)
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS

pytestmark = pytest.mark.usefixtures("fast_kdf")

PRINTED = dt.datetime(2026, 3, 5, 14, 30)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DataLocation:
    """An encrypted demo register: ratings, plans, responsibilities and eviction cases."""
    location = DataLocation(tmp_path_factory.mktemp("summary-reader") / "demo")
    create_demo_database(location, clients=60, seed=3, params=TEST_PARAMS)
    return location


@pytest.mark.parametrize(
    "options",
    [
        PdfOptions("sv", journal_from=DEMO_TODAY - dt.timedelta(days=365), today=DEMO_TODAY),
        PdfOptions("da", show_full_numbers=True, journal_to=DEMO_TODAY, today=DEMO_TODAY),
        PdfOptions("sv", today=DEMO_TODAY),
    ],
)
def test_a_chunk_reads_what_each_client_reads_alone(
    demo: DataLocation, options: PdfOptions
) -> None:
    db, actor = open_demo(demo, params=TEST_PARAMS)
    try:
        ids = search_ids(db, actor, ClientQuery())
        chunk = read_case_summaries(db, actor, ids, options)
        assert list(chunk) == ids
        assert chunk == {cid: gather_case_summary(db, actor, cid, options) for cid in ids}
        # The optional sections are really there to compare.
        assert any(d.rating for d in chunk.values()) and any(d.team for d in chunk.values())
        for cid in ids[:20]:
            data = chunk[cid]
            periods = list_periods(db, actor, cid)
            assert [(p.code, p.start, p.end, p.place) for p in data.periods] == [
                (p.code, p.start_date, p.end_date, p.place) for p in periods
            ]
            contacts = list_contacts(db, actor, cid)
            assert data.contacts_total == len(contacts)
            assert [c.date for c in data.contacts] == [
                c.contact_date for c in contacts[:SUMMARY_CONTACTS]
            ]
            if options.include_journal:
                assert data.journal is not None
                signed = [
                    e.id
                    for e in list_entries(
                        db, actor, cid, since=options.journal_from, until=DEMO_TODAY
                    )
                    if e.status is JournalStatus.SIGNED
                ]
                assert [e.id for e in data.journal.entries] == signed[::-1]
    finally:
        db.dispose()


def test_clients_out_of_sight_are_left_out_of_the_chunk(world: World) -> None:
    anna = world.actors["anna"]
    mine = add_full_client(world, journal=2)
    other_team = world.add("Cia", "Ny", team=world.team_b)
    protected = world.add("Dan", "Lund", protected_identity=True)
    options = PdfOptions("sv", journal_to=TODAY, today=TODAY)
    chunk = read_case_summaries(world.db, anna, [other_team, mine, protected], options)
    assert list(chunk) == [mine]
    assert chunk[mine] == gather_case_summary(world.db, anna, mine, options)
    with pytest.raises(NotFoundError):
        gather_case_summary(world.db, anna, other_team, options)


def test_a_correction_names_the_date_of_an_entry_before_the_period(world: World) -> None:
    cid = add_full_client(world, journal=2)
    options = PdfOptions("sv", journal_from=dt.date(2025, 5, 1), journal_to=TODAY, today=TODAY)
    [data] = read_case_summaries(world.db, world.actors["anna"], [cid], options).values()
    assert data.journal is not None
    [correction] = data.journal.entries
    assert correction.corrects_date == dt.date(2025, 1, 1)


@pytest.mark.slow
def test_the_batch_prints_what_a_single_export_prints(
    world: World, location: DataLocation, tmp_path: Path
) -> None:
    anna = world.actors["anna"]
    ids = [add_full_client(world, journal=3, number="")] + [
        world.add(f"Namn{i}", "Ek", by="anna") for i in range(3)
    ]
    options = PdfOptions(
        "sv", journal_to=TODAY, today=TODAY, printed_at=PRINTED, municipality="Malmö stad"
    )
    report = export_batch(location, anna, ids, tmp_path / "batch", options)
    assert not report.failures
    for cid in ids:
        single = export_pdf(world.db, anna, cid, tmp_path / f"single-{cid}.pdf", options)
        batch = tmp_path / "batch" / batch_file_name(cid, "sv")
        assert pdf_text(batch) == pdf_text(single)
        assert len(PdfReader(batch).pages) == len(PdfReader(single).pages)
    assert "Samtal nummer 3 om boendet." in pdf_text(
        tmp_path / "batch" / batch_file_name(ids[0], "sv")
    )
