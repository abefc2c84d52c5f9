"""Schema upgrades with Alembic, guarded by a backup and a single transaction.

An older database is first copied (SQLite online backup) into the backups folder, then
upgraded in one transaction: if any step fails, SQLite rolls everything back and the original
file is untouched.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from hemlos_desktop.errors import (
    CorruptDatabaseError,
    HemlosError,
    MigrationFailedError,
    NewerSchemaError,
)
from hemlos_desktop.storage import search_index
from hemlos_desktop.storage.database import Database

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Alembic is imported only when a database must be upgraded: a normal start reads the chain
# from the revision files themselves (importing Alembic costs a noticeable part of start-up).
_REVISION = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:\s*[^=]+)?\s*=\s*(?:[\"']([^\"']+)[\"']|None)", re.M)


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def revision_chain() -> dict[str, str | None]:
    """Revision -> the revision it follows, read from the files in ``versions/``.

    The files are read once per process (a database open asks for the chain more than once,
    and the chain does not change while the program runs); a copy is returned each time.
    """
    return dict(_read_chain(MIGRATIONS_DIR / "versions"))


@functools.cache
def _read_chain(versions: Path) -> dict[str, str | None]:
    chain: dict[str, str | None] = {}
    for path in sorted(versions.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found is None:
            continue
        down = _DOWN.search(source)
        chain[found.group(1)] = down.group(1) if down is not None else None
    return chain


def head_revision() -> str:
    chain = revision_chain()
    heads = set(chain) - {down for down in chain.values() if down is not None}
    if len(heads) != 1:
        raise MigrationFailedError(f"migration chain has {len(heads)} heads")
    return heads.pop()


def known_revisions() -> set[str]:
    """Every revision this program's migration chain knows."""
    return set(revision_chain())


def schema_status(db: Database) -> SchemaStatus:
    """Read the schema revision; raise for a foreign or newer database."""
    head = head_revision()
    with db.engine.connect() as conn:
        tables = {
            str(name)
            for name in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            ).scalars()
        }
        current = None
        if "alembic_version" in tables:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current is None and tables - {"alembic_version"}:
        raise CorruptDatabaseError("tables present but no schema revision")
    if current is not None:
        if current not in known_revisions():
            raise NewerSchemaError(f"unknown revision {current}")
    return SchemaStatus(current=current, head=head)


def require_current(db: Database) -> SchemaStatus:
    return schema_status(db)


def upgrade_to_head(db: Database, *, target: str = "head") -> SchemaStatus:
    """Bring ``db`` to the newest schema (or ``target``), backing it up first if it has data."""
    from hemlos_desktop.storage import backup

    status = schema_status(db)
    if status.up_to_date and target == "head":
        return status
    if status.current is not None:
        name = f"pre-upgrade-{status.current}-{backup.timestamp()}.db"
        backup.copy_database(db, db.location.backups / name)
        log.info("backed up schema %s before upgrading", status.current)
    try:
        _run_upgrade(db, target)
    except HemlosError:
        raise
    except Exception as exc:
        log.exception("schema upgrade from %s failed", status.current)
        raise MigrationFailedError(f"upgrade from {status.current} failed") from exc
    new_status = schema_status(db)
    log.info("schema upgraded from %s to %s", status.current, new_status.current)
    return new_status


def _run_upgrade(db: Database, target: str) -> None:
    with db.engine.connect() as conn:
        driver: Any = conn.connection.dbapi_connection
        # Batch operations recreate tables; foreign keys are checked once at the end instead.
        # (The pragma has no effect inside a transaction, so it goes to the driver directly.)
        driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                from alembic import command

                command.upgrade(alembic_config(conn), target)
                # A table copy in a later migration drops the search index's triggers.
                search_index.ensure(conn)
                conn.exec_driver_sql("PRAGMA optimize")
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise MigrationFailedError("foreign key violations after upgrade")
        finally:
            driver.execute("PRAGMA foreign_keys = ON")
