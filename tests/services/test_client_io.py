"""CSV/XLSX import (all or nothing, line numbers) and export (round trip, same bytes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from clientworld import World, pnr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hemlos_desktop.resources import resource_path
from hemlos_desktop.services import client_io
from hemlos_desktop.services.clients import ClientQuery, search_ids


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def count(world: World) -> int:
    return len(search_ids(world.db, world.actors["admin"], ClientQuery()))


def test_sample_file_imports(world: World) -> None:
    report = client_io.import_clients(
        world.db, world.actors["admin"], resource_path("samples", "clients-sv.csv")
    ).value
    assert report.ok and report.imported == 3
    assert search_ids(world.db, world.actors["admin"], ClientQuery(text="Mørch"))


def test_windows_1252_comma_separated_with_danish_headers(world: World, tmp_path: Path) -> None:
    text = "CPR,Fornavn,Efternavn,KØN\r\n120385-1234,Søren,Ærø,Mand\r\n"
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "d.csv", text, "cp1252")
    ).value
    assert report.ok and report.imported == 1
    assert search_ids(world.db, world.actors["admin"], ClientQuery(text="soren aero"))


def test_bad_rows_import_nothing_and_report_file_lines(world: World, tmp_path: Path) -> None:
    good = pnr(dt.date(1980, 1, 1))
    text = (
        "id_number;first_name;last_name;gender\n"
        f"{good};Anna;Berg;woman\n"
        '19850312-0000;"Multi\nline";Berg;man\n'  # lines 3-4: wrong check digit
        f"{pnr(dt.date(1981, 1, 1))};Bo;;alien\n"  # line 5: empty last name, unknown gender
    )
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "b.csv", text)
    ).value
    assert not report.ok and report.imported == 0
    found = {(p.line, p.column) for p in report.problems}
    assert (3, "id_number") in found
    assert (5, "last_name") in found and (5, "gender") in found
    assert count(world) == 0


def test_registered_numbers_are_skipped_not_doubled(world: World, tmp_path: Path) -> None:
    number = pnr(dt.date(1985, 3, 12))
    world.add("Anna", "Berg", number=number)
    other = pnr(dt.date(1990, 2, 2))
    text = (
        "personnummer;förnamn;efternamn;kön\n"
        f"{number[2:]};Anna;Berg;kvinna\n{other};Ny;Person;man\n"
    )
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "s.csv", text)
    ).value
    assert report.ok and report.imported == 1
    assert [s.line for s in report.skipped] == [2]
    assert count(world) == 2


def test_same_number_twice_in_the_file(world: World, tmp_path: Path) -> None:
    number = pnr(dt.date(1985, 3, 12))
    text = f"id_number;first_name;last_name;gender\n{number};A;B;woman\n{number};A;B;woman\n"
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "t.csv", text)
    ).value
    assert [(p.line, p.column) for p in report.problems] == [(3, "id_number")]


def test_dry_run_imports_nothing(world: World, tmp_path: Path) -> None:
    text = f"id_number;first_name;last_name;gender\n{pnr(dt.date(1985, 3, 12))};A;B;woman\n"
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "d.csv", text), dry_run=True
    ).value
    assert report.imported == 1 and count(world) == 0


def test_export_round_trip_and_same_bytes(world: World, tmp_path: Path) -> None:
    world.add("Anna", "Söderström", number=pnr(dt.date(1985, 3, 12)))
    world.add("", "", alias="Kalle på stan")
    world.add("Jens", "Mørch", number="120385-1234", kind=client_io.IdKind.CPR)
    for suffix, lang in ((".csv", "sv"), (".xlsx", "da"), (".csv", "en")):
        first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        assert client_io.export_clients(world.db, world.actors["admin"], first, lang=lang) == 3
        client_io.export_clients(world.db, world.actors["admin"], second, lang=lang)
        assert first.read_bytes() == second.read_bytes()
        report = client_io.import_clients(
            world.db, world.actors["admin"], first, dry_run=True
        ).value
        assert report.ok, report.problems
        assert report.imported == 0 and len(report.skipped) == 3
    assert "19850312-" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")


def test_export_respects_access(world: World, tmp_path: Path) -> None:
    world.add("A", "A", number=pnr(dt.date(1970, 1, 1)), team=world.team_a)
    world.add("B", "B", number=pnr(dt.date(1971, 1, 1)), team=world.team_b)
    assert client_io.export_clients(world.db, world.actors["bo"], tmp_path / "x.csv") == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.text(max_size=300),
    header=st.sampled_from(
        ["id_number;first_name;last_name;gender\n", "cpr,fornavn,efternavn,køn\n", ""]
    ),
)
def test_no_input_crashes_the_import(world: World, tmp_path: Path, body: str, header: str) -> None:
    path = write(tmp_path / "h.csv", header + body)
    try:
        report = client_io.import_clients(world.db, world.actors["admin"], path, dry_run=True).value
    except client_io.ImportFileError:
        return
    for problem in report.problems:
        assert problem.line >= 1
