"""CSV/XLSX import (all or nothing, line numbers) and export (round trip, same bytes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.resources import resource_path
from hemlos_desktop.services import client_io, client_table
from hemlos_desktop.services.clients import ClientQuery, fetch_rows, search_ids


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


def test_export_writes_one_access_log_entry(world: World, tmp_path: Path) -> None:
    """One entry for the person's one action (the export), not one per client in the file."""
    for year in (1970, 1971, 1972):
        world.add("A", f"Name{year}", number=pnr(dt.date(year, 1, 1)))
    with world.db.read() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    client_io.export_clients(world.db, world.actors["admin"], tmp_path / "x.csv")
    with world.db.read() as session:
        after = session.execute(
            select(AuditEntry.action, AuditEntry.client_id, AuditEntry.detail).where(
                AuditEntry.id > (before or 0)
            )
        ).all()
    assert [tuple(entry) for entry in after] == [
        (AuditAction.EXPORT.value, None, "client list: 3 clients")
    ]


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
    except client_table.ImportFileError:
        return
    for problem in report.problems:
        assert problem.line >= 1


def test_export_writes_rows_in_the_languages_alphabetical_order(
    world: World, tmp_path: Path
) -> None:
    for i, last in enumerate(("Öberg", "Nilsson", "Åberg", "Aagaard", "Ørsted")):
        world.add("Kim", last, number=pnr(dt.date(1960 + i, 1, 1)))
    expected = {
        "sv": ["Aagaard", "Nilsson", "Åberg", "Öberg", "Ørsted"],
        "da": ["Nilsson", "Öberg", "Ørsted", "Åberg", "Aagaard"],
    }
    for lang, names in expected.items():
        out = tmp_path / f"{lang}.csv"
        client_io.export_clients(world.db, world.actors["admin"], out, lang=lang)
        lines = out.read_text(encoding="utf-8-sig").splitlines()[1:]
        assert [next(n for n in names if n in line) for line in lines] == names, lang


def test_a_caseworkers_import_stays_visible_to_them(world: World, tmp_path: Path) -> None:
    anna = world.actors["anna"]
    text = f"id_number;first_name;last_name;gender\n{pnr(dt.date(1980, 1, 1))};Ny;Klient;woman\n"
    report = client_io.import_clients(world.db, anna, write(tmp_path / "c.csv", text)).value
    assert report.ok and report.imported == 1
    found = search_ids(world.db, anna, ClientQuery(text="Klient"))
    assert len(found) == 1
    row = fetch_rows(world.db, anna, found)[found[0]]
    assert row.responsible == "Anna Worker" and row.team == "Team A"


def test_a_row_with_more_or_fewer_fields_is_that_lines_error(world: World, tmp_path: Path) -> None:
    text = (
        "id_number;first_name;last_name;gender;address\n"
        f"{pnr(dt.date(1980, 1, 1))};Anna;Berg;woman;Storgatan 1\n"
        f"{pnr(dt.date(1981, 1, 1))};Bo;Ek;man;Storgatan 2; 3 tr\n"  # unquoted ; in the address
        f"{pnr(dt.date(1982, 1, 1))};Cecilia;Lund;woman\n"  # a field short
    )
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "f.csv", text)
    ).value
    assert not report.ok and report.imported == 0
    assert [(p.line, p.column) for p in report.problems] == [
        (3, "the whole line"),
        (4, "the whole line"),
    ]
    assert "6 fields but the header has 5" in report.problems[0].reason
    assert count(world) == 0


def test_a_stray_quote_does_not_merge_the_rows_after_it(world: World, tmp_path: Path) -> None:
    rows = [f"{pnr(dt.date(1980 + i, 1, 1))};Person{i};Berg;woman;Gatan {i}" for i in range(5)]
    rows[0] = rows[0].replace("Gatan 0", '"Gatan 0')  # opening quote, never closed
    text = "id_number;first_name;last_name;gender;address\n" + "\n".join(rows) + "\n"
    report = client_io.import_clients(
        world.db, world.actors["admin"], write(tmp_path / "q.csv", text)
    ).value
    assert not report.ok and report.imported == 0
    assert [(p.line, p.column) for p in report.problems] == [(2, "the whole line")]
    assert "quotation mark" in report.problems[0].reason
    assert count(world) == 0


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_formula_without_a_saved_value_is_that_lines_error(world: World, tmp_path: Path) -> None:
    number = pnr(dt.date(1980, 1, 1))
    path = _workbook(
        tmp_path / "f.xlsx",
        [
            ["id_number", "first_name", "last_name", "gender"],
            [number, "Anna", "Berg", "woman"],
            ['=CONCAT("1981","0101-9826")', "Bo", "Ek", "man"],  # openpyxl saves no value
        ],
    )
    report = client_io.import_clients(world.db, world.actors["admin"], path).value
    assert not report.ok and report.imported == 0
    assert [(p.line, p.column) for p in report.problems] == [(3, "the whole line")]
    assert 'column "id_number" holds a formula' in report.problems[0].reason
    assert count(world) == 0


def test_a_damaged_workbook_is_a_clear_error(world: World, tmp_path: Path) -> None:
    import zipfile

    good = _workbook(
        tmp_path / "g.xlsx",
        [["id_number", "first_name", "last_name", "gender"]]
        + [[pnr(dt.date(1980, 1, 1 + i)), "A", "B", "woman"] for i in range(20)],
    )
    damaged = tmp_path / "d.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # cut off inside the sheet's rows
            target.writestr(name, data)
    with pytest.raises(client_table.ImportFileError) as caught:
        client_io.import_clients(world.db, world.actors["admin"], damaged)
    assert "damaged after line" in caught.value.message()
    assert count(world) == 0


def test_two_imports_at_once_never_double_anyone(world: World, tmp_path: Path) -> None:
    """The second import reads the register while the first is still writing; it must wait
    for the first and then skip everyone, not register them again."""
    import threading

    from hemlos_desktop.storage import Database

    lines = [
        f"{pnr(dt.date(1950, 1, 1) + dt.timedelta(days=n))};P{n};Berg;woman" for n in range(300)
    ]
    path = write(
        tmp_path / "same.csv", "id_number;first_name;last_name;gender\n" + "\n".join(lines)
    )
    other_db = Database(world.db.location)
    results: dict[str, client_io.ImportReport] = {}
    errors: list[BaseException] = []

    def second() -> None:
        try:
            results["second"] = client_io.import_clients(
                other_db, world.actors["admin"], path
            ).value
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=second)

    def first_progress(done: int, total: int) -> None:
        # Inside the first import's transaction: let the second one start and read.
        if done == total and not thread.is_alive():
            thread.start()
            thread.join(timeout=1.0)

    try:
        results["first"] = client_io.import_clients(
            world.db, world.actors["admin"], path, progress=first_progress
        ).value
        thread.join(timeout=30)
    finally:
        other_db.dispose()
    assert errors == []
    assert results["first"].imported == 300
    assert results["second"].imported == 0 and len(results["second"].skipped) == 300
    assert count(world) == 300


def big_file(path: Path, rows: int, *, bad_line: int | None = None) -> Path:
    """A register of ``rows`` people (unique numbers); ``bad_line`` (a file line) is wrong."""
    lines = ["personnummer;förnamn;efternamn;kön;adress"]
    for n in range(rows):
        born = dt.date(1940, 1, 1) + dt.timedelta(days=n // 900)
        gender = "alien" if n + 2 == bad_line else ("kvinna" if n % 2 else "man")
        lines.append(
            f"{pnr(born, f'{n % 900 + 100:03d}')};Förnamn{n};Efternamn{n};{gender};Gatan {n}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_file_with_a_bad_line_near_the_end_imports_nothing(
    world: World, tmp_path: Path
) -> None:
    rows = 3 * client_io.BATCH_ROWS + 500
    bad = rows  # the second-to-last data line
    report = client_io.import_clients(
        world.db, world.actors["admin"], big_file(tmp_path / "big.csv", rows, bad_line=bad)
    ).value
    assert [(p.line, p.column) for p in report.problems] == [(bad, "kön")]
    assert report.imported == 0 and report.rows == rows and count(world) == 0


def test_a_big_file_goes_in_batches_with_progress_all_at_once(world: World, tmp_path: Path) -> None:
    rows = 3 * client_io.BATCH_ROWS + 500
    world.add("Redan", "Här", number=pnr(dt.date(1940, 1, 1), "105"))  # file line 7
    seen: list[tuple[int, int]] = []
    report = client_io.import_clients(
        world.db,
        world.actors["admin"],
        big_file(tmp_path / "big.csv", rows),
        progress=lambda done, total: seen.append((done, total)),
    ).value
    assert report.ok and report.imported == rows - 1 and [s.line for s in report.skipped] == [7]
    assert count(world) == rows
    # Progress batch by batch, to the end.
    assert [done for done, _total in seen] == [1000, 2000, 3000, rows]
    assert {total for _done, total in seen} == {rows}
    with world.db.read() as session:
        logged = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.IMPORT.value, AuditEntry.client_id.is_not(None))
        )
    assert logged == rows - 1  # one access-log entry per imported client, as before


def _schema(world: World) -> list[tuple[str, str, str]]:
    with world.db.read() as session:
        return [
            (str(kind), str(name), str(sql))
            for kind, name, sql in session.connection().exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "ORDER BY type, name"
            )
        ]


def test_a_large_import_builds_the_indexes_once_and_leaves_them_as_they_were(
    world: World, tmp_path: Path
) -> None:
    """An import at least as large as the register builds the clients' indexes and the search
    index at its end (inside its transaction): afterwards every index and trigger is back, the
    search and the ordered list find the imported people, and a later client is indexed as
    one registered by hand always was."""
    from hemlos_desktop.services.client_bulk import DEFER_INDEXES_FROM, defer_indexes

    before = _schema(world)
    rows = DEFER_INDEXES_FROM + 10
    with world.db.read() as session:
        assert defer_indexes(session, rows)
        assert not defer_indexes(session, DEFER_INDEXES_FROM - 1)  # a small import
    report = client_io.import_clients(
        world.db, world.actors["admin"], big_file(tmp_path / "big.csv", rows)
    ).value
    assert report.ok and report.imported == rows
    assert _schema(world) == before
    with world.db.read() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.exec_driver_sql("SELECT count(*) FROM client_search").scalar() == rows
        uids = [u for (u,) in connection.exec_driver_sql("SELECT uid FROM clients ORDER BY id")]
    # The imported records' ids ascend with their numbers (appended to the uid indexes).
    assert uids == sorted(uids) and len(set(uids)) == rows
    admin = world.actors["admin"]
    assert len(search_ids(world.db, admin, ClientQuery(text="efternamn"))) == rows
    number = pnr(dt.date(1940, 1, 1) + dt.timedelta(days=4321 // 900), f"{4321 % 900 + 100:03d}")
    assert len(search_ids(world.db, admin, ClientQuery(text=number))) == 1
    with world.db.read() as session:
        # Now the register is larger than such an import: the next one keeps them in step.
        assert not defer_indexes(session, rows - 1)
        assert defer_indexes(session, rows)
    later = world.add("Senare", "Registrerad")
    assert search_ids(world.db, admin, ClientQuery(text="Registrerad")) == [later]
