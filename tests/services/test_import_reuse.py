"""The import after a check reuses the check's rows (issue 15: a 50 MB import in about a
minute), and only when the file, the day and the register's teams and users are unchanged."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from clientworld import World, pnr
from sqlalchemy import select, update

from hemlos_desktop.models.client import Client, ClientTargetGroup
from hemlos_desktop.models.people import Team
from hemlos_desktop.services import client_io

TODAY = dt.date(2026, 3, 1)
HEADER = "personnummer;förnamn;efternamn;kön;team;målgrupper\n"


def _file(path: Path, rows: int, *, bad_last: bool = False) -> Path:
    lines = [HEADER]
    for n in range(rows):
        last = "Be\x07g" if bad_last and n == rows - 1 else "Berg"
        lines.append(
            f"{pnr(dt.date(1950, 1, 1) + dt.timedelta(days=n))};Förnamn{n:04d};{last};"
            f"{'kvinna' if n % 2 else 'man'};Team A;{'missbruk' if n % 3 == 0 else ''}\n"
        )
    path.write_text("".join(lines), encoding="utf-8")
    return path


@contextmanager
def _calls() -> Iterator[set[str]]:
    """The names of client_io's functions called inside the block (the real calls, seen by
    the interpreter's profile hook)."""
    seen: set[str] = set()

    def hook(frame: FrameType, event: str, _arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename == client_io.__file__:
            seen.add(frame.f_code.co_name)

    sys.setprofile(hook)
    try:
        yield seen
    finally:
        sys.setprofile(None)


def _imported(world: World) -> list[tuple[Any, ...]]:
    with world.db.read() as s:
        clients = s.execute(
            select(Client.id_number, Client.first_name, Client.last_name, Client.gender)
            .where(Client.id_number.is_not(None))
            .order_by(Client.id_number)
        ).all()
        groups = s.scalar(select(ClientTargetGroup.client_id).limit(1))
    return [tuple(row) for row in clients] + [("groups", groups is not None)]


def test_an_import_after_its_check_registers_the_checked_rows_without_checking_again(
    world: World, tmp_path: Path
) -> None:
    path = _file(tmp_path / "register.csv", 2 * client_io.BATCH_ROWS + 7)
    admin = world.actors["admin"]
    check = client_io.import_clients(world.db, admin, path, dry_run=True, today=TODAY).value
    assert check.ok and check.imported == 2007 and check.checked is not None
    steps: list[tuple[int, int]] = []
    with _calls() as called:
        report = client_io.import_clients(
            world.db,
            admin,
            path,
            today=TODAY,
            checked=check.checked,
            progress=lambda done, total: steps.append((done, total)),
        ).value
    assert "_unpacked" in called and "_check_rows" not in called
    assert report.ok and report.rows == check.rows == 2007 and report.imported == 2007
    assert steps[-1] == (2007, 2007)
    rows = _imported(world)
    assert len(rows) == 2008 and rows[-1] == ("groups", True)
    assert rows[0][1:] == ("Förnamn0000", "Berg", "man")
    # Checked a second time, the file's people are all registered: the check's rows are old.
    again = client_io.import_clients(world.db, admin, path, dry_run=True, today=TODAY).value
    assert again.imported == 0 and len(again.skipped) == 2007


def test_the_checked_rows_equal_what_a_fresh_import_registers(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path / "register.csv", 300)
    admin = world.actors["admin"]
    check = client_io.import_clients(world.db, admin, path, dry_run=True, today=TODAY).value
    client_io.import_clients(world.db, admin, path, today=TODAY, checked=check.checked)
    reused = _imported(world)
    with world.db.begin() as s:
        s.execute(ClientTargetGroup.__table__.delete())
        s.execute(Client.__table__.delete().where(Client.id_number.is_not(None)))
    with _calls() as called:
        client_io.import_clients(world.db, admin, path, today=TODAY)
    assert "_check_rows" in called
    assert _imported(world) == reused


def test_a_file_saved_again_after_its_check_is_checked_again(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path / "register.csv", 50)
    admin = world.actors["admin"]
    check = client_io.import_clients(world.db, admin, path, dry_run=True, today=TODAY).value
    assert check.checked is not None
    stat = path.stat()
    # The same size and time, one control character in the last name of the last row.
    _file(path, 50, bad_last=True)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    report = client_io.import_clients(
        world.db, admin, path, today=TODAY, checked=check.checked
    ).value
    assert not report.ok and report.imported == 0
    assert [(p.line, p.column) for p in report.problems] == [(51, "efternamn")]


def test_a_team_renamed_or_another_day_means_a_new_check(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path / "register.csv", 20)
    admin = world.actors["admin"]
    check = client_io.import_clients(world.db, admin, path, dry_run=True, today=TODAY).value
    with _calls() as called:
        client_io.import_clients(
            world.db, admin, path, today=TODAY + dt.timedelta(days=1), checked=check.checked
        )
    assert "_check_rows" in called  # another day: ages and dates are checked against it
    with world.db.begin() as s:
        s.execute(Client.__table__.delete().where(Client.id_number.is_not(None)))
    check = client_io.import_clients(world.db, admin, path, dry_run=True, today=TODAY).value
    with world.db.begin() as s:
        s.execute(update(Team).where(Team.id == world.team_a).values(name="Team Alfa"))
    report = client_io.import_clients(
        world.db, admin, path, today=TODAY, checked=check.checked
    ).value
    assert not report.ok and report.imported == 0
    assert {p.column for p in report.problems} == {"team"}


def test_a_check_with_problems_keeps_no_rows(world: World, tmp_path: Path) -> None:
    path = _file(tmp_path / "register.csv", 30, bad_last=True)
    check = client_io.import_clients(
        world.db, world.actors["admin"], path, dry_run=True, today=TODAY
    ).value
    assert not check.ok and check.checked is None
