"""A big import cut off by a real kill: the import runs in a child process on an encrypted
demo database and is killed with SIGKILL at random moments (while the file is checked, between
and inside the batches, around the commit). Afterwards the database is whole and exactly as
before the import (no client, outbox row, field clock, access-log entry or search row of it),
or, if the kill came after the commit, holds the whole import: never a part of it."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from clientworld import pnr
from sqlalchemy import text

from hemlos_desktop.demo.data import create_demo_database, open_demo
from hemlos_desktop.services import audit, client_io
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

PROBE = Path(__file__).resolve().parent.parent / "import_probe.py"
ROWS = 6 * client_io.BATCH_ROWS + 300
# What an import writes; a sign-in writes to the access log and the outbox too, so those are
# counted by the import's entries and the rows of the import's tables.
IMPORTED = "('clients', 'client_target_groups')"
COUNTED = {
    "clients": "SELECT count(*) FROM clients",
    "target groups": "SELECT count(*) FROM client_target_groups",
    "search rows": "SELECT count(*) FROM client_search",
    "imports logged": "SELECT count(*) FROM audit_log WHERE action = 'import'",
    "outbox": f"SELECT count(*) FROM sync_changes WHERE table_name IN {IMPORTED}",
    "field clocks": f"SELECT count(*) FROM sync_field_clocks WHERE table_name IN {IMPORTED}",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> DataLocation:
    location = DataLocation(tmp_path_factory.mktemp("import-kill") / "template")
    create_demo_database(location, clients=200, params=TEST_PARAMS)
    return location


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("import-file") / "register.csv"
    lines = ["personnummer;förnamn;efternamn;kön;målgrupper"]
    for n in range(ROWS):
        born = dt.date(1931, 1, 1) + dt.timedelta(days=n // 900)
        lines.append(
            f"{pnr(born, f'{n % 900 + 100:03d}')};Förnamn{n};Efternamn{n};"
            f"{'kvinna' if n % 2 else 'man'};{'missbruk' if n % 3 == 0 else ''}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(location: DataLocation) -> tuple[dict[str, int], list[str], bool]:
    """(rows of the tables an import writes to, integrity findings, access log intact)."""
    db, _actor = open_demo(location, params=TEST_PARAMS)
    try:
        with db.read() as session:
            counts = {name: int(session.scalar(text(sql)) or 0) for name, sql in COUNTED.items()}
        return counts, db.integrity_check(), audit.verify_chain(db).ok
    finally:
        db.dispose()


def _reader(stream: IO[str], sink: list[str]) -> None:
    for line in stream:
        if line.endswith("\n"):
            sink.append(line.strip())


def _kill_during_import(location: DataLocation, path: Path, delay: float, *, wait: bool) -> bool:
    """Run the import and SIGKILL it ``delay`` seconds after its first progress step (or,
    without ``wait``, after its start); True if it had reported the import complete."""
    proc = subprocess.Popen(
        [sys.executable, str(PROBE), str(location.folder), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    lines: list[str] = []
    thread = threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while wait and not lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    thread.join(timeout=5)
    return any(line.startswith("imported") for line in lines)


def test_a_killed_import_leaves_the_database_as_before(
    template: DataLocation, register: Path, tmp_path: Path
) -> None:
    before, problems, intact = _counts(template)
    assert problems == [] and intact
    rng = random.Random(15)
    # Killed while the file is checked, then at random moments in the write transaction.
    moments = [(rng.uniform(0.5, 2.0), False)] + [(rng.uniform(0, 1.5), True) for _n in range(4)]
    interrupted = 0
    for number, (delay, wait) in enumerate(moments):
        location = DataLocation(tmp_path / f"round-{number}")
        shutil.copytree(template.folder, location.folder)
        finished = _kill_during_import(location, register, delay, wait=wait)
        after, problems, intact = _counts(location)
        assert problems == [], problems
        assert intact
        if finished or after["clients"] != before["clients"]:
            # Killed after the commit: the whole import is there, nothing less.
            assert after["clients"] == before["clients"] + ROWS
            assert after["imports logged"] == before["imports logged"] + ROWS
            assert after["search rows"] == after["clients"]
        else:
            assert after == before
            interrupted += 1
    assert interrupted >= 3  # the kills came while the import was under way
