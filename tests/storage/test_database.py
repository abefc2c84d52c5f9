"""Opening the database: pragmas, refusing foreign files untouched, migrating, backing up."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

import hemlos_desktop.models  # noqa: F401  (registers every table)
from hemlos_desktop.errors import CorruptDatabaseError, MigrationFailedError, NewerSchemaError
from hemlos_desktop.models.base import Base
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation, migrate, open_database
from hemlos_desktop.storage.search_index import include_name

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_open_uses_wal_and_foreign_keys(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert db.path.name == "hemlos.db"


def test_new_database_is_migrated_from_empty_to_head(location: DataLocation) -> None:
    db = open_database(location)
    try:
        status = migrate.schema_status(db)
        assert status.current == migrate.head_revision()
        assert status.up_to_date
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert {table.name for table in Base.metadata.sorted_tables} <= tables
        assert db.integrity_check() == []
    finally:
        db.dispose()
    # No backup for a brand-new database: there was nothing to lose.
    assert not location.backups.exists() or not any(location.backups.iterdir())


def test_orm_metadata_matches_the_migrated_schema(db: Database) -> None:
    """Guards every future migration: the models and the migration chain must agree."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "render_as_batch": True, "include_name": include_name},
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_a_file_that_is_not_a_database_is_refused_untouched(location: DataLocation) -> None:
    location.folder.mkdir(parents=True)
    garbage = b"PK\x03\x04 this is a zip file, not a database " * 200
    location.database.write_bytes(garbage)
    before = _files(location.folder)
    with pytest.raises(CorruptDatabaseError):
        open_database(location)
    assert _files(location.folder) == before


def test_an_empty_file_is_refused_not_silently_replaced(location: DataLocation) -> None:
    # SQLite would treat a zero-byte file as a new database; a file that lost its contents must
    # be reported (and a backup offered), never quietly turned into an empty register.
    location.folder.mkdir(parents=True)
    location.database.touch()
    with pytest.raises(CorruptDatabaseError):
        open_database(location)
    assert location.database.read_bytes() == b""


def test_a_database_from_a_newer_program_is_refused_untouched(location: DataLocation) -> None:
    open_workspace(location).dispose()
    with sqlite3.connect(location.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_newer'")
    conn.close()
    before = _files(location.folder)
    with pytest.raises(NewerSchemaError):
        open_database(location)
    with pytest.raises(NewerSchemaError):
        open_database(location, migrate=False)
    assert _files(location.folder) == before


def test_another_programs_sqlite_database_is_refused_untouched(location: DataLocation) -> None:
    location.folder.mkdir(parents=True)
    with sqlite3.connect(location.database) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.close()
    before = _files(location.folder)
    with pytest.raises(CorruptDatabaseError):
        open_database(location)
    assert _files(location.folder) == before  # not even switched to WAL


def test_a_newer_database_in_rollback_journal_mode_is_refused_untouched(
    location: DataLocation,
) -> None:
    # Backup copies use journal_mode=DELETE; restoring one from a newer program must not
    # convert it to WAL before it is refused.
    open_workspace(location).dispose()
    with sqlite3.connect(location.database) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("UPDATE alembic_version SET version_num = '9999_newer'")
    conn.close()
    before = _files(location.folder)
    with pytest.raises(NewerSchemaError):
        open_database(location)
    assert _files(location.folder) == before


# -- upgrades: a private copy of the migration chain with one more revision -----------------

_EXTRA_REVISION = '''
"""Test revision."""
import sqlalchemy as sa
from alembic import op

revision = "0002_test"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("test_extra", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO test_extra (id) VALUES (1)")
    {fail}


def downgrade():
    op.drop_table("test_extra")
'''


@pytest.fixture
def extra_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Install a migration chain with one more revision; returns a function to write it."""
    chain = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, chain, ignore=shutil.ignore_patterns("__pycache__"))

    def write(*, fail: bool) -> None:
        body = _EXTRA_REVISION.format(
            down=migrate.head_revision(),
            fail='raise RuntimeError("simulated failure")' if fail else "",
        )
        (chain / "versions" / "0002_test.py").write_text(body)
        monkeypatch.setattr(migrate, "MIGRATIONS_DIR", chain)

    return write


def test_upgrade_backs_up_then_migrates(location: DataLocation, extra_revision) -> None:  # type: ignore[no-untyped-def]
    open_workspace(location).dispose()
    head = migrate.head_revision()
    extra_revision(fail=False)
    db = open_database(location)
    try:
        assert migrate.schema_status(db).current == "0002_test"
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM test_extra")).scalar() == 1
    finally:
        db.dispose()
    backups = list(location.backups.glob(f"pre-upgrade-{head}-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    conn.close()


def test_failed_upgrade_leaves_the_original_untouched(
    location: DataLocation,
    extra_revision,  # type: ignore[no-untyped-def]
) -> None:
    open_workspace(location).dispose()
    head = migrate.head_revision()
    before = location.database.read_bytes()
    extra_revision(fail=True)
    with pytest.raises(MigrationFailedError) as raised:
        open_database(location)
    assert "untouched" in raised.value.advice()
    assert location.database.read_bytes() == before
    backups = list(location.backups.glob(f"pre-upgrade-{head}-*.db"))
    assert len(backups) == 1
    # The original still opens with the old program (the real chain) at its old revision.
    with sqlite3.connect(location.database) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "test_extra" not in tables


def test_failing_migration_runner_is_reported(
    location: DataLocation,
    monkeypatch: pytest.MonkeyPatch,
    extra_revision,  # type: ignore[no-untyped-def]
) -> None:
    """A crash in the runner itself (not in a revision) is reported the same way."""
    open_workspace(location).dispose()
    before = location.database.read_bytes()
    extra_revision(fail=False)

    def broken(db: Database, target: str) -> None:
        raise OSError("simulated I/O trouble")

    monkeypatch.setattr(migrate, "_run_upgrade", broken)
    with pytest.raises(MigrationFailedError):
        open_database(location)
    assert location.database.read_bytes() == before
    assert list(location.backups.glob("pre-upgrade-*.db"))


def test_the_migration_files_are_read_once_per_process(
    location: DataLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = migrate.MIGRATIONS_DIR / "versions"
    reads: list[str] = []
    read_text = Path.read_text

    def counted(path: Path, *args: object, **kwargs: object) -> str:
        if path.parent == versions:
            reads.append(path.name)
        return read_text(path, *args, **kwargs)  # type: ignore[arg-type]

    open_workspace(location).dispose()
    migrate._read_chain.cache_clear()
    monkeypatch.setattr(Path, "read_text", counted)
    for _ in range(3):
        open_database(location).dispose()
    db = open_database(location)
    try:
        assert migrate.schema_status(db).up_to_date
    finally:
        db.dispose()
    assert sorted(reads) == sorted(p.name for p in versions.glob("*.py"))
    assert migrate.revision_chain() is not migrate.revision_chain()  # callers get a copy
