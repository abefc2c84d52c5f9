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
