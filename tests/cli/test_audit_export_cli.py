"""``hemlos-desktop audit export``: the access log as CSV for administrators and auditors; one
row per entry without personal data; refused to everyone else; the export itself is logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from hemlos_desktop.cli import main
from hemlos_desktop.demo.data import open_demo
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import accounts, audit
from hemlos_desktop.services.case_overview import open_case_file
from hemlos_desktop.services.session import unlock_key
from hemlos_desktop.storage import DataLocation

LANG = ["--lang", "en"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A demo database with two clients, one of them opened, and an auditor account."""
    folder = tmp_path / "demo"
    assert main([*LANG, "demo-data", "--clients", "2", "--data-dir", str(folder)]) == 0
    db, admin = open_demo(DataLocation(folder))
    try:
        key = unlock_key(db.location, "admin", "demo")
        accounts.add_account(
            db,
            admin,
            key,
            username="dpo",
            display_name="Data Protection",
            role=Role.READ_ONLY,
            team_ids=[],
            password="audit-pw long enough",
        )
        open_case_file(db, admin, 1)
        open_case_file(db, admin, 2)
    finally:
        db.dispose()
    return folder


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _log(folder: Path) -> list[audit.AuditRow]:
    db, admin = open_demo(DataLocation(folder))
    try:
        return audit.list_entries(db, admin, audit.AuditQuery(limit=100_000))
    finally:
        db.dispose()


def test_administrator_exports_one_client(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "log.csv"
    args = [*LANG, "audit", "export", "--client", "1", "-o", str(out), "--data-dir", str(folder)]
    assert main(args) == 0
    assert "written" in capsys.readouterr().out
    rows = _rows(out)
    assert rows and {r["client"] for r in rows} == {"1"}
    assert list(rows[0]) == ["time_utc", "user", "action", "client", "record"]
    assert {"view"} <= {r["action"] for r in rows}
    times = [dt.datetime.fromisoformat(r["time_utc"]) for r in rows]
    assert times == sorted(times)
    # Exactly one entry for the export, written after the file.
    exports = [r for r in _log(folder) if r.action.value == "export" and r.detail == "audit log"]
    assert len(exports) == 1
    mtime = dt.datetime.fromtimestamp(out.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    assert exports[0].at >= mtime


def test_auditor_exports_a_period_and_no_personal_data(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEMLOS_USER", "dpo")
    monkeypatch.setenv("HEMLOS_PASSWORD", "audit-pw long enough")
    out = tmp_path / "all.csv"
    today = dt.date.today().isoformat()
    args = ["audit", "export", "--from", today, "--to", today, "-o", str(out)]
    assert main([*LANG, *args, "--data-dir", str(folder)]) == 0
    rows = _rows(out)
    assert {r["client"] for r in rows} >= {"1", "2"}
    text = out.read_text(encoding="utf-8-sig")
    db, admin = open_demo(DataLocation(folder))
    try:
        from hemlos_desktop.services.case_overview import client_header

        names = [client_header(db, admin, cid).display_name for cid in (1, 2)]
    finally:
        db.dispose()
    assert not any(name in text for name in names)
    earlier = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    out2 = tmp_path / "none.csv"
    args = ["audit", "export", "--to", earlier, "-o", str(out2)]
    assert main([*LANG, *args, "--data-dir", str(folder)]) == 0
    assert _rows(out2) == []


@pytest.mark.parametrize("user", ["worker", "lead"])
def test_others_are_refused_with_exit_1(
    folder: Path,
    tmp_path: Path,
    user: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEMLOS_USER", user)
    out = tmp_path / "x.csv"
    before = len(_log(folder))
    capsys.readouterr()
    assert main([*LANG, "audit", "export", "-o", str(out), "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err
    assert not out.exists()
    after = _log(folder)
    assert not any(r.action.value == "export" for r in after[: len(after) - before])


def test_bad_dates_and_unwritable_file(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(folder)]
    with pytest.raises(SystemExit) as usage:
        main([*LANG, "audit", "export", "--from", "1.2.2026", "-o", "x.csv", *data])
    assert usage.value.code == 2
    args = ["audit", "export", "--from", "2026-02-01", "--to", "2026-01-01", "-o", "x.csv"]
    assert main([*LANG, *args, *data]) == 1
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    capsys.readouterr()
    assert main([*LANG, "audit", "export", "-o", str(blocker / "log.csv"), *data]) == 1
    assert "could not" in capsys.readouterr().err
    assert not any(r.detail == "audit log" for r in _log(folder))
