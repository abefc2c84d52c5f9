"""The program-level canary: a client with a distinctive name and number in an ENCRYPTED
database, used through the services (save, journal draft, export, backup, a killed writer and a
restart), leaves no readable trace in the data folder, the logs, this test run's temporary
folders or the program's own folders in the system's temporary folder, except in the export file
the user asked for.

Only what this run can have written is scanned (pytest's base folder for this session, which
holds the data and log folders, and the ``hemlos-*`` folders the program makes in the system's
temporary folder: PDFs on their way to the printer, probes of a restore), so that other test
runs on the same machine, writing the same fixed number into their own folders, do not trip it."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from clientworld import pnr

from hemlos_desktop.logging_setup import configure_logging
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import backups, client_io, clients, journal, session
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.storage import DataLocation, paths
from hemlos_desktop.storage.crypto import TEST_PARAMS
from hemlos_desktop.storage.files import TEMP_PREFIX, new_print_folder

KILLED_WRITER = """
import datetime as dt, sys
from pathlib import Path
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.services import journal, session
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS
location = DataLocation(Path(sys.argv[1]))
signed = session.unlock(location, "admin", "pw", params=TEST_PARAMS)
client_id, text = int(sys.argv[2]), sys.argv[3]
draft = None
for n in range(100000):
    draft = journal.save_draft(signed.db, signed.actor, client_id, draft_id=draft,
        entry_date=dt.date.today(), category=JournalCategory.HOME_VISIT, text=f"{text} {n}").value
    print(n, flush=True)
"""


def _needles(*canaries: str) -> list[bytes]:
    return [c.encode(enc) for c in canaries for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def _files(folder: Path, since: float) -> Iterator[Path]:
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            try:
                stat = path.stat()
            except OSError:
                continue
            if stat.st_mtime >= since and stat.st_size < 64 * 1024 * 1024:
                yield path


def _hits(folders: list[Path], needles: list[bytes], since: float) -> list[str]:
    found = []
    for folder in folders:
        for path in _files(folder, since):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(needle in data for needle in needles):
                found.append(str(path))
    return found


@pytest.fixture
def file_logging() -> Iterator[Path]:
    """The program's own log file, at debug level, in the test's log folder."""
    root = logging.getLogger()
    level = root.level
    log_file = configure_logging(verbose=True, log_folder=paths.log_dir())
    assert log_file is not None
    yield log_file.parent
    for handler in list(root.handlers):
        if getattr(handler, "_hemlos", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _scanned_folders(basetemp: Path, *own: Path) -> list[Path]:
    """This run's folders: pytest's base folder, the given ones outside it, and the program's
    own folders in the system's temporary folder."""
    program_temp = sorted(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"))
    outside = [f for f in own if not f.resolve().is_relative_to(basetemp.resolve())]
    return [basetemp, *outside, *(f for f in program_temp if f.is_dir())]


def test_scanned_folders_are_this_runs_and_the_programs_own(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    basetemp = tmp_path_factory.getbasetemp()
    printing = new_print_folder()  # where a PDF waits for the printer
    try:
        folders = _scanned_folders(basetemp, tmp_path, paths.log_dir())
        assert folders[0] == basetemp
        assert printing in folders
        assert tmp_path not in folders  # inside the base folder: scanned once, through it
        assert Path(tempfile.gettempdir()) not in folders  # not other runs' files
    finally:
        printing.rmdir()


@pytest.mark.slow
def test_canary_leaves_no_plain_trace(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, file_logging: Path
) -> None:
    started = time.time() - 1
    token = uuid.uuid4().hex[:10]
    surname = f"Kanarieqvist{token}"
    number = pnr(dt.date(1957, 3, 17), "986")
    digits = number.replace("-", "")
    location = DataLocation(tmp_path / "data")
    result = create_administrator(
        location, username="admin", display_name="Admin", password="pw", params=TEST_PARAMS
    )
    db, actor = result.signed_in.db, result.signed_in.actor
    try:
        client_id = clients.register_client(
            db,
            actor,
            ClientInput(IdKind.PERSONNUMMER, number, "Sigrid", surname),
        ).value
        clients.get_client(db, actor, client_id)
        journal.save_draft(
            db,
            actor,
            client_id,
            draft_id=None,
            entry_date=dt.date.today(),
            category=JournalCategory.HOME_VISIT,
            text=f"Hembesök hos {surname}, nummer {number}.",
        )
        export = tmp_path / "asked-for" / "clients.csv"
        export.parent.mkdir()
        client_io.export_clients(db, actor, export)
        backups.back_up_now(db)
    finally:
        db.dispose()

    # A writer killed in the middle of saving drafts, then a normal restart.
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(location.folder), str(client_id), surname],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for _line in range(5):
        proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    again = session.unlock(location, "admin", "pw", params=TEST_PARAMS)
    try:
        assert clients.client_ids_by_number(again.db, again.actor, number) == [client_id]
    finally:
        again.db.dispose()

    needles = _needles(surname, number, digits)
    folders = _scanned_folders(tmp_path_factory.getbasetemp(), location.folder, file_logging)
    hits = _hits(folders, needles, started)
    export_hits = _hits([export.parent], needles, started)
    assert export_hits == [str(export)]  # the file the user asked for holds the client
    assert [h for h in hits if not h.startswith(str(tmp_path / "asked-for"))] == []
    assert any(p.stat().st_size for p in file_logging.iterdir())  # the program did log
