"""A damaged or non-database file is refused at start-up and never changed."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.errors import CorruptDatabaseError
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation


def _healthy_with_data(location: DataLocation) -> None:
    db = open_workspace(location)
    with db.begin() as session:
        for n in range(300):
            database_info.set_value(session, f"row-{n}", "y" * 300)
    db.dispose()


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(50_000))


def _zero_length(path: Path) -> None:
    path.write_bytes(b"")


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated": _truncate,
    "random-bytes": _random_bytes,
    "zero-length": _zero_length,
}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, location: DataLocation) -> bytes:
    _healthy_with_data(location)
    DAMAGES[request.param](location.database)
    return location.database.read_bytes()


def test_open_refuses_damaged_file_and_leaves_it_untouched(
    location: DataLocation, damaged: bytes
) -> None:
    with pytest.raises(CorruptDatabaseError):
        open_workspace(location)
    assert location.database.read_bytes() == damaged


def test_cli_check_exits_1_with_a_plain_message(
    location: DataLocation, damaged: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--lang", "en", "check", "--data-dir", str(location.folder)])
    out, err = capsys.readouterr()
    assert status == 1
    assert "NOT healthy" in out
    assert "damaged" in err
    assert "Traceback" not in err
    assert location.database.read_bytes() == damaged


def _damage_a_late_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    start = (len(data) // page - 2) * page
    data[start : start + page] = random.Random(3).randbytes(page)
    path.write_bytes(bytes(data))


def test_a_deferred_check_still_refuses_the_first_write(location: DataLocation) -> None:
    """The start does not wait for quick_check, but no write reaches a damaged file."""
    _healthy_with_data(location)
    db = open_workspace(location)
    with db.begin() as session:  # pages at the end of the file that opening never reads
        for n in range(400):
            session.connection().exec_driver_sql(
                "INSERT INTO teams (name, uid, created_at, updated_at)"
                " VALUES (?, ?, '2026-01-01', '2026-01-01')",
                (f"team {n} " + "z" * 200, f"uid-{n}"),
            )
    db.dispose()
    _damage_a_late_page(location.database)
    damaged = location.database.read_bytes()
    db = open_workspace(location, defer_check=True)
    try:
        with pytest.raises(CorruptDatabaseError):
            with db.begin() as session:
                database_info.set_value(session, "after", "x")
    finally:
        db.dispose()
    assert location.database.read_bytes() == damaged


def test_a_deferred_check_lets_a_healthy_file_be_written(location: DataLocation) -> None:
    _healthy_with_data(location)
    db = open_workspace(location, defer_check=True)
    try:
        with db.begin() as session:
            database_info.set_value(session, "after", "x")
        with db.read() as session:
            assert database_info.get_info(session)["after"] == "x"
    finally:
        db.dispose()
