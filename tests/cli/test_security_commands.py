"""Security on the command line: roles on backup and restore, the access log across a
restore, no plain-text database."""

from __future__ import annotations

from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.services.demo_data import create_demo_database
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS


def run(*args: str) -> int:
    return main(["--lang", "en", *args])


@pytest.fixture
def demo(tmp_path: Path) -> DataLocation:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=3, params=TEST_PARAMS)
    return location


def _verified(location: DataLocation, capsys: pytest.CaptureFixture[str]) -> int:
    assert run("audit", "verify", "--data-dir", str(location.folder)) == 0
    out = capsys.readouterr().out
    return int(next(word for word in out.split() if word.isdigit()))


def test_caseworker_may_neither_back_up_nor_restore(
    demo: DataLocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "copy.db"
    assert run("backup", "-o", str(copy), "--data-dir", str(demo.folder)) == 0
    before = demo.database.read_bytes()
    monkeypatch.setenv("HEMLOS_USER", "worker")
    capsys.readouterr()
    assert run("restore", str(copy), "--yes", "--data-dir", str(demo.folder)) == 1
    assert "permission" in capsys.readouterr().err
    assert demo.database.read_bytes() == before
    assert run("backup", "-o", str(tmp_path / "other.db"), "--data-dir", str(demo.folder)) == 1
    assert not (tmp_path / "other.db").exists()
    monkeypatch.setenv("HEMLOS_USER", "lead")
    assert run("backup", "-o", str(tmp_path / "lead.db"), "--data-dir", str(demo.folder)) == 0
    assert run("restore", str(copy), "--yes", "--data-dir", str(demo.folder)) == 1


def test_restore_keeps_every_log_entry_and_logs_itself(
    demo: DataLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.db"
    assert run("backup", "-o", str(copy), "--data-dir", str(demo.folder)) == 0
    assert (
        run("export-clients", "-o", str(tmp_path / "all.csv"), "--data-dir", str(demo.folder)) == 0
    )
    before = _verified(demo, capsys)
    assert run("restore", str(copy), "--yes", "--data-dir", str(demo.folder)) == 0
    after = _verified(demo, capsys)
    assert after >= before + 1
