"""Backup and restore belong to administrators (backup also to team leads); a restore never
loses access-log entries, re-applies purges and never rolls the key slots back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr
from sqlalchemy import select

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.models.client import ClientStatus
from hemlos_desktop.services import accounts, audit, backups, clients, retention, setup
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore, WrongPasswordError
from hemlos_desktop.storage.instance import InstanceLock

NOW = dt.datetime(2026, 11, 24, 10, 15, 0)


def _restore(world: World, path: object, who: str = "admin") -> None:
    with InstanceLock(world.db.location):
        backups.restore_backup(
            world.db.location,
            path,  # type: ignore[arg-type]
            actor=world.actors[who],
            caller_holds_lock=True,
            db=world.db,
        )


@pytest.mark.parametrize("who", ["lead", "anna", "audit"])
def test_only_administrators_restore(world: World, who: str) -> None:
    summary = backups.back_up_now(world.db, now=NOW).value
    kept = world.add("Kept", "Afterwards")
    with pytest.raises(AccessDeniedError):
        _restore(world, summary.path, who)
    assert kept in clients.search_ids(world.db, world.actors["admin"], clients.ClientQuery())


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("lead", True), ("anna", False), ("audit", False)]
)
def test_backing_up_is_for_administrators_and_leads_and_logged(
    world: World, who: str, allowed: bool
) -> None:
    actor = world.actors[who]
    if not allowed:
        with pytest.raises(AccessDeniedError):
            backups.back_up_now(world.db, actor=actor, now=NOW)
        assert not list(world.db.location.backups.glob("*.db"))
        return
    backups.back_up_now(world.db, actor=actor, now=NOW)
    rows = audit.list_entries(world.db, world.actors["admin"], audit.AuditQuery())
    assert rows[0].action is AuditAction.BACKUP and rows[0].username == who


def test_restore_carries_the_log_entries_written_after_the_backup(world: World) -> None:
    admin = world.actors["admin"]
    first = world.add("Before", "Backup")
    summary = backups.back_up_now(world.db, actor=admin, now=NOW).value
    later = world.add("After", "Backup")
    clients.get_client(world.db, admin, later)  # a read, logged
    before = audit.verify_chain(world.db)
    assert before.ok

    _restore(world, summary.path)

    after = audit.verify_chain(world.db)
    assert after.ok
    assert after.verified == before.verified + 1
    rows = audit.list_entries(world.db, admin, audit.AuditQuery())
    assert rows[0].action is AuditAction.RESTORE and rows[0].username == "admin"
    assert any(r.client_id == later for r in rows)  # the log still says who read it
    visible = clients.search_ids(world.db, admin, clients.ClientQuery())
    assert first in visible and later not in visible


def test_entries_that_do_not_continue_the_log_are_appended_anew(
    world: World, tmp_path: Path
) -> None:
    """A backup from another log (another database's): every entry is kept, re-chained."""
    admin = world.actors["admin"]
    world.add("Some", "One")
    clients.get_client(world.db, admin, world.add("Other", "One"))
    source = audit.verify_chain(world.db)
    with world.db.read() as session:
        entries = [
            audit.LogEntry(e.id, e.at, e.user_id, e.username, e.client_id, e.action, e.detail,
                           e.prev_hash, e.hash)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]  # fmt: skip
    other = open_workspace(DataLocation(tmp_path / "other"))
    try:
        actor = ensure_local_actor(other)
        with other.begin() as session:
            audit.record(session, actor, AuditAction.LOGIN)
            assert audit.carry_entries(session, entries) == len(entries)
        report = audit.verify_chain(other)
        assert report.ok and report.verified == source.verified + 1
    finally:
        other.dispose()


def test_restore_does_the_purges_made_since_the_backup_again(world: World) -> None:
    admin = world.actors["admin"]
    old = world.add("Zxqvgone", "Purgeson", number=pnr(dt.date(1970, 1, 2), "982"))
    clients.set_status(world.db, admin, old, ClientStatus.CLOSED, on=dt.date(2019, 1, 1))
    stays = world.add("Stays", "Here")
    summary = backups.back_up_now(world.db, now=NOW).value
    assert retention.purge(world.db, admin, today=dt.date(2026, 11, 24)).value.purged == 1

    _restore(world, summary.path)

    visible = clients.search_ids(world.db, admin, clients.ClientQuery())
    assert old not in visible and stays in visible
    world.db.dispose()
    assert b"Zxqvgone" not in world.db.path.read_bytes()
    # A second restore of the same backup purges it again.
    _restore(world, summary.path)
    assert old not in clients.search_ids(world.db, admin, clients.ClientQuery())


def test_restore_never_rolls_key_slots_back(world: World, fast_kdf: None) -> None:
    location = world.db.location
    admin = world.actors["admin"]
    world.db.dispose()
    result = setup.create_administrator(
        location,
        username="admin",
        display_name="Admin",
        password="first password",
        params=TEST_PARAMS,
    )
    db, data_key = result.signed_in.db, result.signed_in.data_key
    try:
        accounts.reset_password(
            db, admin, data_key, world.actors["lead"].user_id, "old pass phrase x"
        )
        summary = backups.back_up_now(db, now=NOW).value
        assert summary.has_keys
        accounts.reset_password(
            db, admin, data_key, world.actors["lead"].user_id, "new pass phrase y"
        )
        keys_now = location.keyslots.read_bytes()
        with InstanceLock(location):
            backups.restore_backup(
                location, summary.path, actor=admin, caller_holds_lock=True, db=db
            )
        assert location.keyslots.read_bytes() == keys_now
        store = KeyStore.load(location, params=TEST_PARAMS)
        with pytest.raises(WrongPasswordError):
            store.unlock("lead", "old pass phrase x")
        assert store.unlock("lead", "new pass phrase y") == db.data_key
    finally:
        db.dispose()


def test_a_deactivated_account_stays_deactivated_after_a_restore(world: World) -> None:
    admin = world.actors["admin"]
    summary = backups.back_up_now(world.db, now=NOW).value
    accounts.deactivate(world.db, admin, world.actors["anna"].user_id)
    _restore(world, summary.path)
    rows = audit.list_entries(world.db, admin, audit.AuditQuery())
    assert [r.detail for r in rows[:2]] == ["restored from backup", "user deactivated"]
