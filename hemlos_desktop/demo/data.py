"""A realistic, clearly fictitious demo database (``hemlos-desktop demo-data``).

Every person in it is invented; names are drawn from common Swedish and Danish names. Swedish
numbers use the serial range 980-989 (as in published test numbers) so they are unlikely to
belong to real people. Rows are made as tuples (``demo.clients``, in a second process for a
large register) and written with bulk inserts: 200,000 clients take well under a minute.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import random
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from hemlos_desktop.demo import assessments
from hemlos_desktop.demo.assessments import RatingBatch
from hemlos_desktop.demo.clients import (
    CLIENT_COLUMNS,
    CONTACT_COLUMNS,
    GROUP_COLUMNS,
    JOURNAL_COLUMNS,
    PERIOD_COLUMNS,
    ClientBatch,
    Staff,
)
from hemlos_desktop.demo.source import DONE, STATE, Message, RowSource, use_worker
from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client import (
    Client,
    ClientTargetGroup,
    HousingPeriod,
    JournalEntry,
    OutreachContact,
)
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import audit, database_info
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.session import DEMO_MARKER_FILE
from hemlos_desktop.services.users import create_team, create_user
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation, search_index
from hemlos_desktop.storage import connection as connection_module
from hemlos_desktop.storage.bulk import deferred_indexes, insert_tuples
from hemlos_desktop.storage.crypto import PRODUCTION_PARAMS, Argon2Params, KeyStore, new_data_key
from hemlos_desktop.storage.files import write_text_atomic

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
MAX_CLIENTS = 200_000
# The private folder a demo database is made in, inside the folder it is for.
BUILD_PREFIX = ".demo-building-"
FILL_CACHE_KIB = 262144
# The tables the clients' generation fills; their indexes are built once it is done.
CLIENT_TABLES = (
    "clients",
    "client_target_groups",
    "housing_periods",
    "journal_entries",
    "outreach_contacts",
)
# The day the tests' demo data is made for; ``demo-data`` and ``--demo`` use the real date, so
# what is due is spread around the day the demo is first opened.
DEMO_TODAY = dt.date(2026, 11, 2)

# Demo accounts (documented in the README).
# The demo accounts that can sign in (only demo databases have them), all with this password.
DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS: tuple[str, ...] = ("admin", "lead", "worker")

# Ordinary names (the role is the account's, not part of the name): Swedish staff in the
# Swedish teams, a Danish name for the Copenhagen team's member.
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("admin", "Alva Lindgren", Role.ADMIN),
    ("lead", "Lars Bergström", Role.TEAM_LEAD),
    ("worker", "Wilma Sandberg", Role.CASEWORKER),
)
DEMO_CASEWORKERS: tuple[tuple[str, str], ...] = (
    ("karin", "Karin Holmgren"),
    ("mads", "Mads Kjærgaard"),
    ("sara", "Sara Nyström"),
)
TEAMS = (
    "Boendelots Södermalm",
    "Uppsökarteamet",
    "Vräkningsförebyggande teamet",
    "Bostøtteteam København",
)


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    seed: int


def _staff(session: Session) -> Staff:
    """The demo teams and users (the demo accounts and three more caseworkers)."""
    teams = [create_team(session, name) for name in TEAMS]
    team_ids = [t.id for t in teams]
    users = []
    for username, name, role in DEMO_USERS:
        memberships = team_ids if role is not Role.ADMIN else []
        users.append(
            create_user(
                session, username=username, display_name=name, role=role, team_ids=memberships
            )
        )
    for username, name in DEMO_CASEWORKERS:
        users.append(
            create_user(
                session,
                username=username,
                display_name=name,
                role=Role.CASEWORKER,
                team_ids=team_ids[:1] if username != "mads" else team_ids[3:],
            )
        )
    user_ids = tuple(u.id for u in users[1:])
    return Staff(tuple(team_ids), user_ids, user_ids[0])


def _write_clients(
    session: Session,
    messages: Iterator[Message],
    clients: int,
    progress: ProgressCallback | None,
) -> Any:
    """Write the clients' batches as they come; return the random state after them."""
    raw = session.connection().connection.driver_connection
    for kind, payload in messages:
        if kind == STATE:
            return payload
        batch: ClientBatch = payload
        insert_tuples(raw, Client, CLIENT_COLUMNS, batch.clients)
        insert_tuples(raw, ClientTargetGroup, GROUP_COLUMNS, batch.groups)
        insert_tuples(raw, HousingPeriod, PERIOD_COLUMNS, batch.periods)
        insert_tuples(raw, JournalEntry, JOURNAL_COLUMNS, batch.journals)
        insert_tuples(raw, OutreachContact, CONTACT_COLUMNS, batch.contacts)
        if progress is not None:
            progress(batch.last, clients)
    raise RuntimeError("the demo rows ended before the clients did")


def _ratings(messages: Iterator[Message]) -> Iterator[RatingBatch]:
    for kind, payload in messages:
        if kind == DONE:
            return
        yield payload


def create_demo_database(
    location: DataLocation,
    *,
    clients: int,
    seed: int = 1,
    progress: ProgressCallback | None = None,
    params: Argon2Params = PRODUCTION_PARAMS,
    encrypted: bool = True,
    today: dt.date = DEMO_TODAY,
    worker: bool | None = None,
) -> DemoSummary:
    """Create the demo database in ``location`` (which must not hold a database yet).

    The database is encrypted; its key file has the demo accounts ``admin``, ``lead`` and
    ``worker``, each with the password :data:`DEMO_PASSWORD` (only demo databases get them). A
    plain marker file tells the login dialog to show the demo accounts. Tests may pass cheap
    argon2 ``params`` (or ``encrypted=False`` for a plain copy, as the encryption benchmark does).
    Everything is dated up to ``today`` (the program passes the real date). ``worker`` is
    passed on to :func:`fill_demo`.
    """
    if clients < 0 or clients > MAX_CLIENTS:
        raise InvalidInputError(
            _("The number of clients must be between 0 and {maximum}.").format(maximum=MAX_CLIENTS),
            field="clients",
        )
    if location.database.exists() or location.keyslots.exists():
        raise InvalidInputError(
            _("The folder already holds a database. Choose an empty folder for demo data."),
            field="data_dir",
        )
    location.ensure()
    # Made in a private folder inside the target and moved into place when complete: a
    # failed or interrupted build leaves no half-made database (and the one-off build
    # settings below are safe only because such a file is thrown away).
    work = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=location.folder))
    try:
        building = DataLocation(work)
        _build(
            building,
            random.Random(seed),
            clients,
            progress,
            params=params,
            encrypted=encrypted,
            today=today,
            worker=worker,
        )
        for name in (location.database.name, DEMO_MARKER_FILE, location.keyslots.name):
            if (work / name).exists():
                os.replace(work / name, location.folder / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("demo database created with %d clients", clients)
    return DemoSummary(clients=clients, seed=seed)


def _build(
    location: DataLocation,
    rng: random.Random,
    clients: int,
    progress: ProgressCallback | None,
    *,
    params: Argon2Params,
    encrypted: bool,
    today: dt.date,
    worker: bool | None,
) -> None:
    key: bytes | None = None
    slots: _KeyFileWriter | None = None
    if encrypted:
        # The key file's argon2 derivations (one per slot, about a second each) run beside
        # the data's generation: argon2 does not hold the interpreter's lock.
        key = new_data_key()
        slots = _KeyFileWriter(location, key, params)
        slots.start()
    try:
        db = open_workspace(location, key=key)
        try:
            # From here on the new file is written without a journal and without waiting
            # for the disk: nothing reads it before it is complete.
            db.engine.dispose()
            event.listen(db.engine, "connect", _one_off_build)
            fill_demo(db, rng, clients, progress, today=today, worker=worker)
            with db.begin() as session:
                # The log starts with the demo data, so it is never empty beside clients.
                audit.record(session, None, AuditAction.CREATE, detail="demo data")
        finally:
            db.dispose()
        # The program's own settings again (write-ahead log, full synchronous commits): the
        # switch back writes the file's header and waits until the file is on the disk.
        handed_over = connection_module.connect(location.database, key)
        try:
            mode = handed_over.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            handed_over.close()
        if str(mode).lower() != "wal":
            raise RuntimeError("the demo database did not return to its journal")
    finally:
        if slots is not None:
            slots.finish()
    write_text_atomic(
        location.folder / DEMO_MARKER_FILE,
        "Hemlös Desktop demo database: fictitious people only.\n",
    )


def _one_off_build(dbapi_connection: Any, _record: Any) -> None:
    """A new file's build: no rollback journal, no waiting for the disk, and no foreign key
    lookups for every generated row (the generator makes only rows whose keys exist; the
    tests check the finished file with ``PRAGMA foreign_key_check``)."""
    dbapi_connection.execute("PRAGMA journal_mode = OFF")
    dbapi_connection.execute("PRAGMA synchronous = OFF")
    dbapi_connection.execute("PRAGMA foreign_keys = OFF")
    dbapi_connection.execute("PRAGMA threads = 2")


class _KeyFileWriter(threading.Thread):
    """Writes the demo key file (the demo accounts' slots and a recovery slot) for ``key``."""

    def __init__(self, location: DataLocation, key: bytes, params: Argon2Params) -> None:
        super().__init__(name="demo-key-file", daemon=True)
        self._location = location
        self._key = key
        self._params = params
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            KeyStore.create(
                self._location,
                admin_username=DEMO_ACCOUNTS[0],
                password=DEMO_PASSWORD,
                params=self._params,
                data_key=self._key,
            )
            store = KeyStore.load(self._location, params=self._params)
            for username in DEMO_ACCOUNTS[1:]:
                store.add_slot(self._key, username, DEMO_PASSWORD)
        except BaseException as exc:  # raised again by finish(), on the caller's thread
            self._error = exc

    def finish(self) -> None:
        self.join()
        if self._error is not None:
            raise self._error


def open_demo(
    location: DataLocation,
    *,
    username: str = "admin",
    params: Argon2Params = PRODUCTION_PARAMS,
) -> tuple[Database, Actor]:
    """Open a demo database as one of the demo accounts (for tools, benchmarks and tests)."""
    from hemlos_desktop.services.session import unlock

    signed_in = unlock(location, username, DEMO_PASSWORD, params=params)
    return signed_in.db, signed_in.actor


# Features add their demo records with a module that has
# ``generate(session: Session, rng: random.Random, today: date) -> None``; it runs after the
# clients, users and teams exist, in the same transaction.
DEMO_EXTENSIONS: tuple[str, ...] = ("assessments", "plans", "team")


def fill_demo(
    db: Database,
    rng: random.Random,
    clients: int,
    progress: ProgressCallback | None = None,
    *,
    today: dt.date = DEMO_TODAY,
    worker: bool | None = None,
) -> None:
    """Write ``clients`` demo clients and every feature's demo records, dated up to ``today``.

    The rows are made in a second process when ``worker`` says so (by default for a large
    register, see ``demo.source``); the database is the same either way."""
    if worker is None:
        worker = use_worker(clients)
    with db.begin() as session:
        connection = session.connection()
        # A large page cache for this one transaction: the random uids of half a million rows
        # would otherwise push index pages out to the write-ahead log again and again.
        connection.exec_driver_sql(f"PRAGMA cache_size = -{FILL_CACHE_KIB}")
        database_info.set_value(session, database_info.IS_DEMO, "1")
        staff = _staff(session)
        spec = assessments.rating_spec(session, today)
        with RowSource(rng, clients, staff, spec, today, worker=worker) as messages:
            with search_index.bulk_load(connection), deferred_indexes(connection, CLIENT_TABLES):
                rng.setstate(_write_clients(session, messages, clients, progress))
            connection.exec_driver_sql(f"PRAGMA cache_size = -{connection_module.CACHE_KIB}")
            connection.exec_driver_sql("ANALYZE")
            for name in DEMO_EXTENSIONS:
                seeded = random.Random(rng.random())
                if name == "assessments":  # made with the clients, from the same seed
                    assessments.write(session, _ratings(messages))
                    continue
                module = importlib.import_module(f"hemlos_desktop.demo.{name}")
                module.generate(session, seeded, today)


def demo_team_names() -> tuple[str, ...]:
    return TEAMS
