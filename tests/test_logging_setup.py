"""Logging: a rotating file in the log folder, warnings on stderr, identity numbers masked."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hemlos_desktop.logging_setup import LOG_FILE, configure_logging


@pytest.fixture
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_hemlos", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_log_file_and_redaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], restore_root: None
) -> None:
    path = configure_logging(log_folder=tmp_path / "logs")
    assert path == tmp_path / "logs" / LOG_FILE
    log = logging.getLogger("hemlos_desktop.test")
    log.info("opened record of %s", "19121212-1212")
    log.warning("cpr %s and %s", "0101701234", "010170-1234")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "opened record of [id]" in text
    assert "1212" not in text and "1234" not in text
    err = capsys.readouterr().err
    assert "cpr [id] and [id]" in err
    assert "opened record" not in err  # info goes to the file only


def test_unwritable_log_folder_is_not_fatal(tmp_path: Path, restore_root: None) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert configure_logging(log_folder=blocker / "logs") is None
    logging.getLogger("hemlos_desktop.test").warning("still works")


def test_tracebacks_are_redacted_and_sql_errors_carry_no_values(
    tmp_path: Path, restore_root: None
) -> None:
    from sqlalchemy import text as sql

    from hemlos_desktop.services.workspace import open_workspace
    from hemlos_desktop.storage import DataLocation

    path = configure_logging(log_folder=tmp_path / "logs")
    assert path is not None
    log = logging.getLogger("hemlos_desktop.test")
    try:
        raise ValueError("bad number " + "19121212-" + "1212")
    except ValueError:
        log.exception("a bug")
    secret = "Zxqv" + "secret"  # built at run time: the traceback shows this file's lines
    db = open_workspace(DataLocation(tmp_path / "data"))
    try:
        with db.engine.connect() as conn:
            conn.execute(sql("SELECT * FROM no_such_table WHERE x = :v"), {"v": secret})
    except Exception:
        log.exception("a database bug")
    finally:
        db.dispose()
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "bad number [id]" in text
    assert "19121212-1212" not in text
    assert "no_such_table" in text and "Zxqvsecret" not in text


def test_batch_workers_log_redacted(restore_root: None, capsys: pytest.CaptureFixture[str]) -> None:
    from hemlos_desktop.storage.log_redaction import configure_worker_logging

    root = logging.getLogger()
    saved = list(root.handlers)
    for handler in saved:
        root.removeHandler(handler)
    try:
        configure_worker_logging()  # a spawned worker starts without handlers
        added = list(root.handlers)
        try:
            raise RuntimeError("client 850312-1234 failed")
        except RuntimeError:
            logging.getLogger("hemlos_desktop.worker").exception("batch export failed")
        err = capsys.readouterr().err
        assert "client [id] failed" in err and "1234" not in err
    finally:
        for handler in added:
            root.removeHandler(handler)
        for handler in saved:
            root.addHandler(handler)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_log_files_and_folder_are_the_users_only_rotated_ones_too(
    tmp_path: Path, restore_root: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hemlos_desktop import logging_setup

    old_umask = os.umask(0o022)  # a usual umask: files 0644, folders 0755 unless told
    try:
        # What an older version left: a readable folder, log file and rotated file.
        folder = tmp_path / "state" / "log"
        folder.mkdir(parents=True, mode=0o755)
        (folder / LOG_FILE).write_text("old\n", encoding="utf-8")
        (folder / f"{LOG_FILE}.3").write_text("older\n", encoding="utf-8")
        assert stat.S_IMODE((folder / LOG_FILE).stat().st_mode) == 0o644
        monkeypatch.setattr(logging_setup, "LOG_MAX_BYTES", 2_000)
        path = configure_logging(log_folder=folder)
        assert path is not None
        log = logging.getLogger("hemlos_desktop.test")
        for n in range(200):  # about 20 kB: several rotations
            log.info("line %d of the rotation test", n)
        fresh = tmp_path / "fresh" / "log"
        configure_logging(log_folder=fresh)
        log.info("a first line in a new folder")
    finally:
        os.umask(old_umask)
    for handler in logging.getLogger().handlers:
        handler.flush()
    files = sorted(folder.iterdir())
    assert {f.name for f in files} >= {LOG_FILE, *(f"{LOG_FILE}.{n}" for n in range(1, 6))}
    assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((fresh / LOG_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700  # created for the log, too
