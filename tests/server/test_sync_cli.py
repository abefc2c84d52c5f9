"""`hemlos-desktop join`, `sync` and `conflicts` against a real PostgreSQL team store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from syncworld import PASSWORD, join_laptop, set_up_store

from hemlos_desktop import ENV_PASSWORD, ENV_USER
from hemlos_desktop.cli import main
from hemlos_desktop.services.sync import sync_status


@pytest.fixture
def url(pg_database: PgDatabase) -> str:
    return set_up_store(pg_database)


def _run(args: list[str]) -> int:
    return main(["--lang", "en", *args])


@pytest.mark.usefixtures("fast_kdf")
def test_join_sync_and_conflicts_from_the_command_line(
    url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)
    folder = tmp_path / "anna-cli"
    assert _run(["--data-dir", str(folder), "join", "--server", url, "--user", "anna"]) == 0
    out = capsys.readouterr().out
    assert "joined the team server; 0 clients were copied" in out
    assert "Recovery key" in out

    # A colleague registers a client; the command-line sync brings it here.
    bo = join_laptop(tmp_path, url, "bo")
    try:
        bo.register("Alva", phone="070-111")
        bo.sync()
    finally:
        bo.close()
    monkeypatch.setenv(ENV_USER, "anna")
    assert _run(["sync", "--data-dir", str(folder)]) == 0
    assert "In step with the team server" in capsys.readouterr().out

    assert _run(["conflicts", "--json", "--data-dir", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert _run(["conflicts", "--data-dir", str(folder)]) == 0
    assert "No conflicts." in capsys.readouterr().out


@pytest.mark.usefixtures("fast_kdf")
def test_join_refuses_a_folder_with_a_database_and_sync_says_when_the_server_is_gone(
    url: str,
    pg_database: PgDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)
    folder = tmp_path / "anna-cli"
    assert _run(["--data-dir", str(folder), "join", "--server", url, "--user", "anna"]) == 0
    before = sorted(p.name for p in folder.iterdir())
    capsys.readouterr()
    assert _run(["--data-dir", str(folder), "join", "--server", url, "--user", "anna"]) == 1
    assert "already holds" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == before

    # A wrong password at the server: refused, with a plain message, nothing made.
    other = tmp_path / "other"
    monkeypatch.setenv(ENV_PASSWORD, "not the password")
    assert _run(["--data-dir", str(other), "join", "--server", url, "--user", "anna"]) == 1
    assert "did not accept this user name" in capsys.readouterr().err
    assert not other.exists() or not any(other.iterdir())

    # The server stopped: exit 1 and a plain message; the laptop's work is kept.
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)
    monkeypatch.setenv(ENV_USER, "anna")
    gone = url.replace(f"port={pg_database.cluster.port}", "port=1")
    from hemlos_desktop.services.session import unlock
    from hemlos_desktop.services.sync_pull import set_info
    from hemlos_desktop.storage import DataLocation

    signed = unlock(DataLocation(folder), "anna", PASSWORD)
    try:
        with signed.db.begin_core() as conn:
            set_info(conn, "sync_server_url", gone)
    finally:
        signed.db.dispose()
    assert _run(["sync", "--data-dir", str(folder)]) == 1
    assert "did not answer or refused the connection" in capsys.readouterr().err
    signed = unlock(DataLocation(folder), "anna", PASSWORD)
    try:
        assert sync_status(signed.db).joined
    finally:
        signed.db.dispose()
