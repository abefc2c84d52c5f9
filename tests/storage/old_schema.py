"""Upgrading a database from an older schema that had no uids on some tables
(tests/storage/test_sync_migration.py, test_team_sync_migration.py): take the file back to the
old revision, then open it (which backs it up and upgrades it) and check that every record kept
its place and got a uid of its own."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from alembic import command
from sqlalchemy import text

from hemlos_desktop.services.audit import verify_chain
from hemlos_desktop.storage import Database, DataLocation, migrate, open_database


def counts(db: Database, tables: Sequence[str]) -> dict[str, int]:
    with db.engine.connect() as conn:
        found = {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables
        }
    assert all(found.values()), found  # something to give a uid to
    return found


def downgrade(location: DataLocation, revision: str) -> None:
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            driver: Any = conn.connection.dbapi_connection
            driver.execute("PRAGMA foreign_keys = OFF")  # as storage.migrate does
            with conn.begin():
                command.downgrade(migrate.alembic_config(conn), revision)
    finally:
        db.dispose()


@contextmanager
def upgraded(location: DataLocation, revision: str, before: dict[str, int]) -> Iterator[Database]:
    """Open the file at ``revision`` (upgrading it, backed up first) and check the uids of
    the tables in ``before`` (their row counts); the database is open inside the block."""
    db = open_database(location)
    try:
        assert list(location.backups.glob(f"pre-upgrade-{revision}-*.db"))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                migrate.head_revision()
            )
            for table, count in before.items():
                uids = conn.execute(text(f"SELECT uid FROM {table}")).scalars().all()
                assert len(uids) == count
                assert len(set(uids)) == len(uids)
                assert all(len(u) == 36 and u[14] == "4" and u[8] == "-" for u in uids)
        assert verify_chain(db).ok
        assert db.integrity_check() == []
        yield db
    finally:
        db.dispose()
