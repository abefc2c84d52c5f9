"""Eviction cases: rules, the list by next date, a client's cases, and the import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
from sqlalchemy import func, select

from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.eviction_rules import EvictionInput, parse_amount, validate_eviction
from hemlos_desktop.models.team import EvictionCase, EvictionOutcome, EvictionReason
from hemlos_desktop.services import evictions
from hemlos_desktop.services.eviction_io import import_evictions
from hemlos_desktop.services.evictions import EvictionInputError

D = dt.date
TODAY = D(2026, 12, 3)


def test_rules_name_each_field() -> None:
    bad = EvictionInput(
        notice_date=D(2026, 5, 1),
        eviction_date=D(2026, 4, 1),
        outcome=EvictionOutcome.EVICTED,
        outcome_date=D(2026, 4, 30),
    )
    fields = [f for f, _m in validate_eviction(bad)]
    assert fields == ["eviction_date", "outcome_date"]
    assert [f for f, _m in validate_eviction(EvictionInput(outcome=EvictionOutcome.MOVED))] == [
        "outcome_date"
    ]
    assert validate_eviction(EvictionInput(notice_date=D(2026, 5, 1))) == []


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12 500,50", 1250050), ("12.500,50", 1250050), ("12500.5", 1250050), ("8.000", 800000),
     ("3000 kr", 300000), ("", None)],
)  # fmt: skip
def test_amounts_as_written_in_sweden_and_denmark(text: str, cents: int | None) -> None:
    assert parse_amount(text) == cents


def test_list_sorted_by_next_date_with_days_left_and_urgency(world: World) -> None:
    admin = world.actors["admin"]
    a = world.add("Anna", "A", number=pnr(D(1980, 1, 1)))
    b = world.add("Bert", "B", number=pnr(D(1981, 1, 1)), gender=Gender.MAN)
    c = world.add("Cia", "C", number=pnr(D(1982, 1, 1)), team=world.team_b)
    later = evictions.add_eviction_case(
        world.db, admin, a,
        EvictionInput(landlord="Hem AB", notice_date=D(2026, 10, 1), hearing_date=D(2027, 2, 1)),
    ).value  # fmt: skip
    soon = evictions.add_eviction_case(
        world.db, admin, b,
        EvictionInput(notice_date=D(2026, 11, 25), hearing_date=D(2026, 11, 30),
                      eviction_date=D(2026, 12, 10)),
    ).value  # fmt: skip
    closed = evictions.add_eviction_case(
        world.db, admin, a,
        EvictionInput(notice_date=D(2026, 1, 1), outcome=EvictionOutcome.LEASE_KEPT,
                      outcome_date=D(2026, 3, 1)),
    ).value  # fmt: skip
    evictions.add_eviction_case(world.db, admin, c, EvictionInput(notice_date=D(2026, 11, 1)))
    rows = evictions.list_eviction_cases(world.db, world.actors["lead"], today=TODAY)
    assert [r.id for r in rows] == [soon, later, closed]  # team B's case is not visible
    first = rows[0]
    assert (first.next_date, first.days_left, first.urgent, first.new) == (
        D(2026, 12, 10),
        7,
        True,
        True,
    )
    assert rows[1].urgent is False and rows[1].days_left == 60
    assert rows[2].next_date is None and rows[2].outcome is EvictionOutcome.LEASE_KEPT
    only_open = evictions.list_eviction_cases(
        world.db, world.actors["lead"], open_only=True, today=TODAY
    )
    assert [r.id for r in only_open] == [soon, later]
    assert [r.id for r in evictions.client_eviction_cases(world.db, admin, a, today=TODAY)] == [
        later,
        closed,
    ]


def test_a_bad_case_is_refused_with_its_fields(world: World) -> None:
    a = world.add("Anna", "A", number=pnr(D(1980, 1, 1)))
    with pytest.raises(EvictionInputError) as exc:
        evictions.add_eviction_case(
            world.db, world.actors["anna"], a,
            EvictionInput(notice_date=D(2026, 5, 1), eviction_date=D(2026, 1, 1)),
        )  # fmt: skip
    assert exc.value.problems[0][0] == "eviction_date"
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(EvictionCase)) == 0


def _write(tmp_path: Path, text: str, name: str = "vräkning.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_with_swedish_headers_all_rows(world: World, tmp_path: Path) -> None:
    n1, n2 = pnr(D(1980, 1, 1)), pnr(D(1981, 2, 2))
    a = world.add("Anna", "A", number=n1)
    b = world.add("Bert", "B", number=n2)
    path = _write(
        tmp_path,
        "personnummer;hyresvärd;orsak;hyresskuld;uppsägning;kronofogden;förhandling;avhysning;"
        "utfall;utfallsdatum\n"
        f"{n1};Stockholmshem;hyresskuld;12 500,50;2026-03-01;2026-04-01;2026-05-02;;"
        "bor kvar;2026-05-20\n"
        f"{n2.replace('-', '')};Familjebostäder;störningar;;2026-09-01;;2027-01-10;;;\n",
    )
    report = import_evictions(world.db, world.actors["lead"], path, dry_run=True)
    assert (report.ok, report.imported, report.dry_run) == (True, 2, True)
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(EvictionCase)) == 0
    report = import_evictions(world.db, world.actors["lead"], path)
    assert (report.imported, report.changes.client_ids) == (2, frozenset({a, b}))
    rows = evictions.client_eviction_cases(world.db, world.actors["admin"], a, today=TODAY)
    assert rows[0].arrears_cents == 1250050
    assert rows[0].outcome is EvictionOutcome.LEASE_KEPT
    assert rows[0].reason is EvictionReason.RENT_ARREARS
    second = evictions.client_eviction_cases(world.db, world.actors["admin"], b, today=TODAY)[0]
    assert (second.reason, second.outcome, second.hearing_date) == (
        EvictionReason.DISTURBANCE,
        None,
        D(2027, 1, 10),
    )
    # Importing the same file again doubles nothing.
    again = import_evictions(world.db, world.actors["lead"], path)
    assert (again.imported, again.skipped) == (0, [2, 3])
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(EvictionCase)) == 2
        imports = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "import"))
        assert list(imports) == ["eviction cases: 2", "eviction cases: 0"]


def test_import_is_all_or_nothing_with_line_and_column(world: World, tmp_path: Path) -> None:
    n1 = pnr(D(1980, 1, 1))
    world.add("Anna", "A", number=n1)
    unknown = pnr(D(1990, 6, 6))
    path = _write(
        tmp_path,
        "id_number,landlord,reason,arrears,notice_date,kronofogden_date,hearing_date,"
        "eviction_date,outcome,outcome_date\n"
        f"{n1},Hem,rent_arrears,100,2026-03-01,,,,,\n"
        f"{n1},Hem,rent_arrears,100,2026-03-01,,,2026-02-01,,\n"
        f"{unknown},Hem,other,,2026-03-01,,,,,\n"
        f"{n1},Hem,other,,2026-03-01,,,,gone,2026-04-01\n"
        f"{n1},Hem,other,,2026-03-01,,,,evicted,2026-02-01\n"
        f"{n1},Hem,other,,03/01/2026,,,,,\n",
    )
    report = import_evictions(world.db, world.actors["lead"], path)
    assert [str(p).split(":")[0:2] for p in report.problems] == [
        ["line 3", " eviction_date"],
        ["line 4", " id_number"],
        ["line 5", " outcome"],
        ["line 6", " outcome_date"],
        ["line 7", " notice_date"],
    ]
    assert report.imported == 0
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(EvictionCase)) == 0


def test_import_finds_only_clients_the_user_may_see(world: World, tmp_path: Path) -> None:
    n1 = pnr(D(1980, 1, 1))
    world.add("Bo", "B", number=n1, team=world.team_b)
    path = _write(tmp_path, f"cpr;årsag;opsigelse\n{n1};andet;2026-03-01\n", "udsaettelser.csv")
    report = import_evictions(world.db, world.actors["anna"], path)
    assert [p.column for p in report.problems] == ["cpr"]


def test_import_reads_xlsx(world: World, tmp_path: Path) -> None:
    import openpyxl

    n1 = pnr(D(1980, 1, 1))
    a = world.add("Anna", "A", number=n1)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id_number", "reason", "arrears", "notice_date", "eviction_date"])
    sheet.append([n1, "Hyresskuld", 8000, D(2026, 8, 1), dt.datetime(2026, 12, 20)])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    report = import_evictions(world.db, world.actors["admin"], path)
    assert report.ok and report.imported == 1
    row = evictions.client_eviction_cases(world.db, world.actors["admin"], a, today=TODAY)[0]
    assert (row.arrears_cents, row.eviction_date, row.days_left) == (800000, D(2026, 12, 20), 17)


def test_an_open_case_whose_dates_passed_asks_for_the_outcome(world: World) -> None:
    a = world.add("Anna", "A", number=pnr(D(1980, 1, 1)))
    evictions.add_eviction_case(
        world.db, world.actors["admin"], a,
        EvictionInput(notice_date=D(2026, 9, 1), hearing_date=D(2026, 11, 1)),
    )  # fmt: skip
    row = evictions.client_eviction_cases(world.db, world.actors["admin"], a, today=TODAY)[0]
    assert (row.next_date, row.date_passed, row.urgent) == (None, True, False)
