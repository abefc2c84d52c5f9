"""Exports never carry formulas: CSV cells that start like a formula get an apostrophe, XLSX
cells stay text; importing an exported file gives back the original values."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from clientworld import World
from hypothesis import given, settings
from hypothesis import strategies as st

from hemlos_desktop.models.spreadsheet_safety import FORMULA_STARTS, csv_safe, csv_unescape
from hemlos_desktop.services import audit, client_io, clients
from hemlos_desktop.services.clients import ClientQuery, search_ids
from hemlos_desktop.services.users import create_team, ensure_local_actor
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation

NASTY = {
    '=HYPERLINK("http://evil.example","Klicka")': "Ett",
    "+46 70 123 45 67": "Två",
    "-2+3": "Tre",
    "@SUM(A1:A9)": "Fyra",
    "\tTabbad": "Fem",
    "'=redan citerad": "Sex",
}


@given(st.text(max_size=30))
@settings(max_examples=200)
def test_escaping_round_trips_every_text(value: str) -> None:
    written = csv_safe(value)
    assert not written.startswith(FORMULA_STARTS)
    assert csv_unescape(written) == value


@pytest.mark.parametrize(("suffix", "lang"), [(".csv", "sv"), (".csv", "en"), (".xlsx", "da")])
def test_client_export_is_inert_and_round_trips(
    world: World, tmp_path: Path, suffix: str, lang: str
) -> None:
    for alias, first in NASTY.items():
        world.add(first, "Formelsson", alias=alias)
    path = tmp_path / f"clients{suffix}"
    client_io.export_clients(world.db, world.actors["admin"], path, lang=lang)

    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        cells = [
            c
            for row in csv.reader(io.StringIO(text), delimiter=";" if lang != "en" else ",")
            for c in row
        ]
        assert not any(c.startswith(FORMULA_STARTS) for c in cells)
        assert "'=HYPERLINK" in text
    else:
        sheet = openpyxl.load_workbook(path).worksheets[0]
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        assert any(cell.value == '=HYPERLINK("http://evil.example","Klicka")' for cell in cells)

    # Into an empty register: every alias comes back exactly as it was.
    other = open_workspace(DataLocation(tmp_path / "other"))
    try:
        with other.begin() as session:
            create_team(session, "Team A")  # the exported team must exist
        admin = ensure_local_actor(other)
        report = client_io.import_clients(other, admin, path).value
        assert report.ok, report.problems
        aliases = {
            clients.get_client(other, admin, cid).data.alias
            for cid in search_ids(other, admin, ClientQuery())
        }
    finally:
        other.dispose()
    admin = world.actors["admin"]
    stored = {
        clients.get_client(world.db, admin, cid).data.alias
        for cid in search_ids(world.db, admin, ClientQuery())
    }
    assert aliases == stored and '=HYPERLINK("http://evil.example","Klicka")' in stored


def test_access_log_export_is_inert(world: World, tmp_path: Path) -> None:
    world.add("Anna", "Berg", alias="=1+1")
    with world.db.begin() as session:
        audit.record(
            session, world.actors["admin"], audit.AuditAction.CHANGE, detail="=cmd|'/c calc'!A1"
        )
    path = tmp_path / "log.csv"
    audit.export_entries(world.db, world.actors["admin"], audit.AuditQuery(), path)
    text = path.read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    assert not any(c.startswith(FORMULA_STARTS) for c in cells)
    assert "'=cmd" in text
