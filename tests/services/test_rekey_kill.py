"""A rekey cut off by a real kill: an administrator deactivates a user in a child process (the
database gets a new data key through ``PRAGMA rekey``), which is killed with SIGKILL at each
step and in the middle of the re-encryption itself. Afterwards the remaining users open the
database with their passwords and find every record, and the deactivated user is locked out
as soon as the deactivation has been done (again, when the kill came before the database had
its new key: a command killed that early changed nothing).

The database is a demo database of 1,000 clients (about 8 MB: the re-encryption takes a
moment), made once per module with the cheap test argon2 costs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import select, text

from hemlos_desktop.demo.data import create_demo_database
from hemlos_desktop.errors import CorruptDatabaseError
from hemlos_desktop.models.people import User
from hemlos_desktop.services import accounts, audit
from hemlos_desktop.services.actor import Actor, actor_for_user
from hemlos_desktop.services.session import open_with_key, unlock_key
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS, WrongPasswordError, check_key
from hemlos_desktop.storage.crypto.keystore import pending_path

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

PROBE = Path(__file__).resolve().parent.parent / "rekey_probe.py"
PASSWORD = "demo"  # the demo database's accounts
REMAINING = ("admin", "lead")
LEAVER = "worker"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> DataLocation:
    location = DataLocation(tmp_path_factory.mktemp("rekey") / "template")
    create_demo_database(location, clients=1_000, params=TEST_PARAMS)
    return location


@pytest.fixture
def location(template: DataLocation, tmp_path: Path) -> DataLocation:
    """A fresh copy of the template's data folder (database and key file)."""
    copy = DataLocation(tmp_path / "data")
    shutil.copytree(template.folder, copy.folder)
    return copy


def _counts(db: Database) -> dict[str, int]:
    """Rows per table; left out are the access log, the change-capture tables and the team
    server's login records (the deactivation writes one to end the server role), which every
    sign-in and the deactivation itself write to."""
    with db.read() as session:
        names = session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ).all()
        return {
            name: int(session.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0)
            for name in names
            if name not in ("audit_log", "server_logins") and not name.startswith("sync_")
        }


def _open(location: DataLocation, username: str) -> Database:
    """Sign in as the program does (an interrupted rekey is finished or discarded here)."""
    key = unlock_key(location, username, PASSWORD, params=TEST_PARAMS)
    return open_with_key(location, username, key).db


def _opens(location: DataLocation, key: bytes) -> bool:
    try:
        check_key(location.database, key)
    except CorruptDatabaseError:
        return False
    return True


def _locked_out(location: DataLocation) -> bool:
    try:
        unlock_key(location, LEAVER, PASSWORD, params=TEST_PARAMS)
    except WrongPasswordError:
        return True
    return False


class _Probe:
    """The child process and the lines it printed (read on a thread)."""

    def __init__(self, location: DataLocation, hold_at: int | None) -> None:
        args = [sys.executable, str(PROBE), str(location.folder), "admin", PASSWORD, LEAVER]
        if hold_at is not None:
            args.append(str(hold_at))
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            if line.endswith("\n"):
                self.lines.append(line.strip())

    def wait_for(self, line: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while line not in self.lines:
            assert self.proc.poll() is None or line in self.lines, f"ended before {line!r}"
            assert time.monotonic() < deadline, f"no {line!r}"
            time.sleep(0.002)

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        assert self.proc.returncode == -signal.SIGKILL


@pytest.fixture
def probes() -> Iterator[list[_Probe]]:
    started: list[_Probe] = []
    yield started
    for probe in started:
        if probe.proc.poll() is None:
            probe.proc.kill()
            probe.proc.wait()


def _check_after_kill(location: DataLocation, before: dict[str, int]) -> bool:
    """The remaining users sign in (finishing or discarding the cut-off rekey) and find every
    record; returns whether the deactivated user is locked out already (the database got its
    new key before the kill)."""
    keys = {}
    for username in REMAINING:
        db = _open(location, username)
        try:
            assert _counts(db) == before
            assert db.quick_check()
            assert audit.verify_chain(db).ok
            keys[username] = db.data_key
        finally:
            db.dispose()
    assert len(set(keys.values())) == 1  # one key for everybody
    assert not pending_path(location).exists()  # finished or discarded, not left lying
    return _locked_out(location)


def _deactivate_again(location: DataLocation) -> None:
    """The administrator runs the deactivation again, as after any command that was killed."""
    key = unlock_key(location, "admin", PASSWORD, params=TEST_PARAMS)
    signed = open_with_key(location, "admin", key)
    try:
        leaver = next(u for u in accounts.list_accounts(signed.db, signed.actor)
                      if u.username == LEAVER)  # fmt: skip
        accounts.deactivate(signed.db, signed.actor, leaver.id)
        assert not _opens(location, key)
    finally:
        signed.db.dispose()


@pytest.mark.parametrize(
    ("hold_at", "new_key"),
    [
        (1, False),  # the new key file written beside the old one; the database untouched
        (2, True),  # the database re-encrypted; the new key file not yet in place
        (3, True),  # the new key file in place; the user row not yet marked inactive
    ],
)
def test_a_rekey_killed_at_each_step(
    location: DataLocation, probes: list[_Probe], hold_at: int, new_key: bool
) -> None:
    db = _open(location, "admin")
    before = _counts(db)
    db.dispose()
    probe = _Probe(location, hold_at)
    probes.append(probe)
    probe.wait_for(f"step {hold_at}")
    probe.kill()
    assert _check_after_kill(location, before) is new_key
    _deactivate_again(location)
    assert _locked_out(location)
    db = _open(location, "lead")
    try:
        assert _counts(db) == before
        assert not next(u for u in accounts.list_accounts(db, _admin(db))
                        if u.username == LEAVER).active  # fmt: skip
    finally:
        db.dispose()


def _admin(db: Database) -> Actor:
    with db.read() as session:
        return actor_for_user(
            session, session.scalars(select(User).filter_by(username="admin")).one()
        )


def test_a_rekey_killed_in_the_middle_of_the_re_encryption(
    location: DataLocation, template: DataLocation, probes: list[_Probe], tmp_path: Path
) -> None:
    """Killed while SQLCipher writes the re-encrypted pages (the write-ahead log growing):
    the database has the old key or the new one, never a mix, and nothing is lost."""
    db = _open(location, "admin")
    before = _counts(db)
    db.dispose()
    size = location.database.stat().st_size
    wal = Path(str(location.database) + "-wal")
    for attempt in range(5):
        if attempt:  # the kill came too late: try again on a fresh copy
            shutil.rmtree(location.folder)
            shutil.copytree(template.folder, location.folder)
        probe = _Probe(location, None)
        probes.append(probe)
        probe.wait_for("step 1")
        deadline = time.monotonic() + 60
        while probe.proc.poll() is None and time.monotonic() < deadline:
            try:
                written = wal.stat().st_size
            except FileNotFoundError:
                written = 0
            if written > size // 4:  # a quarter of the pages re-encrypted into the log
                break
        probe.kill()
        if "step 2" not in probe.lines:  # PRAGMA rekey had not returned: killed mid-way
            break
    else:
        pytest.fail("the re-encryption was never caught in the middle")
    got_new_key = _check_after_kill(location, before)
    if not got_new_key:
        assert not _locked_out(location)  # nothing changed: the deactivation is done again
    _deactivate_again(location)
    assert _locked_out(location)
    db = _open(location, "lead")
    try:
        assert _counts(db) == before
    finally:
        db.dispose()
