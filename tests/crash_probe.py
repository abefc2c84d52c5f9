"""The crash-test harness (test code, not part of the program): a writer saves records in a
loop until it is killed with SIGKILL, and the parent checks what survived.

    python tests/crash_probe.py DATA_DIR START

Each record is one transaction through the normal ``Database.begin()`` path. After the commit
returns, its number is printed on stdout (flushed), so the parent knows exactly which records
were reported as saved when it kills this process with SIGKILL.

The records are journal notes of one fictitious, not-yet-identified person, saved through the
journal service exactly as the journal editor saves a draft.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import select

from hemlos_desktop.models.client import Client, JournalCategory, JournalEntry
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.journal import save_draft
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import Database, DataLocation

PROBE_ALIAS = "Crash probe"
PROBE_MARK = "Crash test record "
# A little text per record, so that records span pages and checkpoints happen.
PROBE_TEXT = "Crash test record. " * 8


def probe_client(db: Database) -> tuple[Actor, int]:
    """The acting user and the probe person (registered on first use)."""
    actor = ensure_local_actor(db)
    with db.read() as session:
        found = session.scalar(
            select(Client.id).where(Client.alias == PROBE_ALIAS, Client.id_kind == "none")
        )
    if found is not None:
        return actor, found
    return actor, register_client(db, actor, ClientInput(IdKind.NONE, alias=PROBE_ALIAS)).value


def write_probe_record(db: Database, number: int, probe: tuple[Actor, int] | None = None) -> None:
    """Save record ``number`` as one user action (one transaction): a new journal draft."""
    actor, client_id = probe or probe_client(db)
    save_draft(
        db,
        actor,
        client_id,
        draft_id=None,
        entry_date=dt.date.today(),
        category=JournalCategory.OTHER,
        text=f"{PROBE_MARK}{number}\n{PROBE_TEXT}",
    )


def probe_record_ids(db: Database) -> set[int]:
    """The numbers of the records that are in the database."""
    with db.read() as session:
        texts = session.scalars(
            select(JournalEntry.text).where(JournalEntry.text.like(f"{PROBE_MARK}%"))
        ).all()
    return {int(text[len(PROBE_MARK) :].split("\n", 1)[0]) for text in texts}


def run(folder: Path, start: int, count: int | None = None) -> None:
    # The parent made and migrated the database; opening it directly keeps each of the many
    # starts short (no Alembic import), the writes go through the normal Database path.
    db = Database(DataLocation(folder))
    probe = probe_client(db)
    number = start
    out = sys.stdout
    while count is None or number < start + count:
        write_probe_record(db, number, probe)
        out.write(f"{number}\n")
        out.flush()
        number += 1
    db.dispose()


@dataclass
class CrashResult:
    kills: int = 0
    reported: int = 0
    lost_commits: int = 0
    integrity_errors: int = 0
    problems: list[str] = field(default_factory=list)


def _reader(stream: IO[str], sink: list[int]) -> None:
    for line in stream:
        text = line.strip()
        # A line cut short by the kill has no newline and is not counted as reported.
        if line.endswith("\n") and text.isdigit():
            sink.append(int(text))


def kill_round(folder: Path, start: int, rng: random.Random, *, max_delay: float) -> list[int]:
    """Start a writer, let it commit for a random moment, SIGKILL it; return reported ids."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), str(folder), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    reported: list[int] = []
    thread = threading.Thread(target=_reader, args=(proc.stdout, reported), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not reported and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rng.uniform(0, max_delay))
    if sys.platform == "win32":  # pragma: no cover
        proc.kill()
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    thread.join(timeout=5)
    return list(reported)


def check_after_kill(folder: Path, expected: set[int]) -> tuple[int, list[str]]:
    """Open the database like a fresh start; return (lost commits, integrity findings)."""
    from hemlos_desktop.storage import open_database

    db = open_database(DataLocation(folder), create=False, migrate=False)
    try:
        problems = db.integrity_check()
        lost = len(expected - probe_record_ids(db))
    finally:
        db.dispose()
    return lost, problems


def crash_test(folder: Path, kills: int, *, seed: int = 1, max_delay: float = 0.25) -> CrashResult:
    """Kill a writer ``kills`` times; count commits reported but missing, and integrity errors."""
    from hemlos_desktop.services.workspace import open_workspace

    open_workspace(DataLocation(folder)).dispose()
    rng = random.Random(seed)
    result = CrashResult()
    expected: set[int] = set()
    start = 1
    for _round in range(kills):
        reported = kill_round(folder, start, rng, max_delay=max_delay)
        result.kills += 1
        result.reported += len(reported)
        expected.update(reported)
        start = (max(reported) + 1) if reported else start
        # Numbers past the last reported one may have committed unreported: start well above.
        start += 1000
        lost, problems = check_after_kill(folder, expected)
        result.lost_commits = max(result.lost_commits, lost)
        if problems:
            result.integrity_errors += 1
            result.problems.extend(problems[:3])
    return result


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    count = int(args[2]) if len(args) > 2 else None
    run(Path(args[0]), int(args[1]), count)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
