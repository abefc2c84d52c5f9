"""Safe upgrades: a database made by each earlier schema (tests/data/upgrade/<revision>/,
encrypted, with its key file; see tools/make_upgrade_fixtures.py) opens with this version,
which first backs it up and then migrates it; a database from a newer version is refused with
a clear message and left as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from hemlos_desktop.errors import NewerSchemaError
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation, migrate
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "upgrade"
REVISIONS = sorted(p.name for p in FIXTURES.iterdir() if (p / "hemlos.db").is_file())
# The current release's schema: its fixture is a demo database made by the program.
RELEASE = "0006"


def copy_fixture(revision: str, tmp_path: Path) -> tuple[DataLocation, bytes]:
    location = DataLocation(tmp_path / f"data-{revision}")
    shutil.copytree(FIXTURES / revision, location.folder)
    key = KeyStore.load(location, params=TEST_PARAMS).unlock("admin", "demo")
    return location, key


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_revision_up_to_the_release_has_a_fixture() -> None:
    chain = migrate.revision_chain()
    released = [rev for rev in chain if rev <= RELEASE]
    assert sorted(released) == REVISIONS


@pytest.mark.parametrize("revision", REVISIONS)
def test_an_earlier_schema_is_backed_up_and_upgraded(revision: str, tmp_path: Path) -> None:
    location, key = copy_fixture(revision, tmp_path)
    before = digest(location.database)
    head = migrate.head_revision()
    db = open_workspace(location, key=key)
    try:
        assert migrate.schema_status(db).current == head
        assert db.integrity_check() == []
        with db.engine.connect() as conn:
            clients = conn.exec_driver_sql("SELECT count(*) FROM clients").scalar()
        assert clients == (4 if revision == RELEASE else 0)
    finally:
        db.dispose()
    backups = list(location.backups.glob(f"pre-upgrade-{revision}-*.db"))
    if revision == head:
        assert backups == []  # nothing to upgrade, nothing copied
        return
    [backup] = backups
    # The copy is the database as it was: the old revision, readable with the same key.
    old = DataLocation(tmp_path / "backup-copy")
    old.folder.mkdir()
    shutil.copy2(backup, old.database)
    shutil.copy2(location.keyslots, old.keyslots)
    copy = Database(old, key=key)
    try:
        assert migrate.schema_status(copy).current == revision
    finally:
        copy.dispose()
    assert digest(location.database) != before


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    location, key = copy_fixture(RELEASE, tmp_path)
    db = Database(location, key=key)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    finally:
        db.dispose()
    before = {p.name: digest(p) for p in location.folder.iterdir() if p.is_file()}
    with pytest.raises(NewerSchemaError) as raised:
        open_workspace(location, key=key)
    assert "newer version" in raised.value.full_text()
    after = {p.name: digest(p) for p in location.folder.iterdir() if p.is_file()}
    assert {k: v for k, v in after.items() if k in before} == before
    assert not location.backups.exists() or not list(location.backups.iterdir())
