"""Revocation: deactivating a user and an administrator's password reset give the database a
new data key, so the old password and any copy of the key file from before stop opening it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from clientworld import World

from hemlos_desktop.errors import CorruptDatabaseError
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.services import (
    accounts,
    audit,
    backups,
    clients,
    journal,
    journal_rescue,
    setup,
)
from hemlos_desktop.services.session import SignedIn, unlock_key
from hemlos_desktop.storage import Database, DataLocation, kept_notes
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore, WrongPasswordError, check_key
from hemlos_desktop.storage.crypto.keystore import pending_path
from hemlos_desktop.storage.instance import InstanceLock

pytestmark = pytest.mark.usefixtures("fast_kdf")


@pytest.fixture
def signed(world: World) -> Iterator[SignedIn]:
    """The world's database, encrypted; admin's password "admin password", Anna's and the
    lead's given by the administrator."""
    location = world.db.location
    world.db.dispose()
    result = setup.create_administrator(
        location, username="admin", display_name="Admin", password="admin password",
        params=TEST_PARAMS,
    )  # fmt: skip
    signed_in = result.signed_in
    store = KeyStore.load(location, params=TEST_PARAMS)
    assert signed_in.data_key is not None
    store.add_slot(signed_in.data_key, "anna", "anna password")
    store.add_slot(signed_in.data_key, "lead", "lead password")
    world.db = signed_in.db  # the world's helpers work on the encrypted database from now on
    yield signed_in
    signed_in.db.dispose()


def _opens(location: DataLocation, key: bytes) -> bool:
    try:
        check_key(location.database, key)
    except CorruptDatabaseError:
        return False
    return True


def test_deactivation_revokes_the_password_and_every_earlier_key_file(
    signed: SignedIn, world: World, tmp_path: Path
) -> None:
    location = signed.db.location
    copied = tmp_path / "stolen.keys"
    shutil.copyfile(location.keyslots, copied)  # what Anna might have taken along
    old_key = unlock_key(location, "anna", "anna password", params=TEST_PARAMS)
    steps: list[tuple[int, int]] = []

    lost = accounts.deactivate(
        signed.db, signed.actor, world.actors["anna"].user_id,
        progress=lambda done, total: steps.append((done, total)),
    ).value  # fmt: skip

    assert lost == ()
    assert steps[-1] == (3, 3)
    assert not _opens(location, old_key)  # the old key file (or a memory of the key) is useless
    with pytest.raises(WrongPasswordError):
        unlock_key(location, "anna", "anna password", params=TEST_PARAMS)
    thief = DataLocation(tmp_path / "thief")
    thief.ensure()
    shutil.copyfile(copied, thief.keyslots)
    assert not _opens(location, unlock_key(thief, "anna", "anna password", params=TEST_PARAMS))
    # Everyone else still signs in, and the open program keeps working.
    new_key = unlock_key(location, "lead", "lead password", params=TEST_PARAMS)
    assert new_key == signed.db.data_key and _opens(location, new_key)
    assert unlock_key(location, "admin", "admin password", params=TEST_PARAMS) == new_key
    world.add("After", "Revocation")
    assert audit.verify_chain(signed.db).ok


def test_an_administrators_reset_revokes_the_old_password(
    signed: SignedIn, world: World, tmp_path: Path
) -> None:
    location = signed.db.location
    old = KeyStore.load(location, params=TEST_PARAMS).unlock("lead", "lead password")
    accounts.reset_password(
        signed.db, signed.actor, signed.data_key, world.actors["lead"].user_id, "lead new one"
    )
    assert not _opens(location, old)
    with pytest.raises(WrongPasswordError):
        unlock_key(location, "lead", "lead password", params=TEST_PARAMS)
    assert _opens(location, unlock_key(location, "lead", "lead new one", params=TEST_PARAMS))


def test_a_cut_off_rekey_is_finished_or_discarded_at_the_next_unlock(signed: SignedIn) -> None:
    location = signed.db.location
    store = KeyStore.load(location, params=TEST_PARAMS)
    old_key = signed.db.data_key
    assert old_key is not None
    # Cut off before the database was re-encrypted: the pending key file is discarded.
    store.plan_rekey(old_key, remove_user="anna")
    assert unlock_key(location, "lead", "lead password", params=TEST_PARAMS) == old_key
    assert not pending_path(location).exists()
    # Cut off after it: the pending key file is put in place.
    plan = store.plan_rekey(old_key, remove_user="anna")
    signed.db.rekey(plan.new_key)
    assert unlock_key(location, "lead", "lead password", params=TEST_PARAMS) == plan.new_key
    assert not pending_path(location).exists()
    with pytest.raises(WrongPasswordError):
        unlock_key(location, "anna", "anna password", params=TEST_PARAMS)


def test_backups_from_before_are_flagged_and_still_restore(signed: SignedIn, world: World) -> None:
    db: Database = signed.db
    first = world.add("Before", "Deactivation")
    old = backups.back_up_now(db).value
    assert not old.revoked_slots
    accounts.deactivate(db, signed.actor, world.actors["anna"].user_id)
    listed = {b.path: b for b in backups.list_backups(db.location)}
    assert listed[old.path].revoked_slots
    later = world.add("After", "Deactivation")
    with InstanceLock(db.location):
        backups.restore_backup(
            db.location, old.path, actor=signed.actor, caller_holds_lock=True, db=db
        )
    visible = clients.search_ids(db, signed.actor, clients.ClientQuery())
    assert first in visible and later not in visible
    # The restored file has the current key; the key file was not rolled back.
    assert _opens(db.location, unlock_key(db.location, "lead", "lead password", params=TEST_PARAMS))
    with pytest.raises(WrongPasswordError):
        unlock_key(db.location, "anna", "anna password", params=TEST_PARAMS)


def test_changing_ones_own_password_is_logged(signed: SignedIn, world: World) -> None:
    from hemlos_desktop.models.audit import AuditAction
    from hemlos_desktop.services.session import actor_for_login

    anna = actor_for_login(signed.db, "anna")
    accounts.change_own_password(signed.db, anna, "anna password", "annas new long password")
    newest = audit.list_entries(signed.db, signed.actor, audit.AuditQuery())[0]
    assert (newest.action, newest.username) == (AuditAction.PASSWORD, "anna")


def test_a_note_kept_before_a_deactivation_is_offered_back_after_it(
    signed: SignedIn, world: World
) -> None:
    """A note kept outside the database (saves failed at close) was sealed with the database's
    key; a deactivation then gave the database a new key. The note is offered back, sealed
    again under the new key, and taken back into the database as a draft."""
    lead = world.actors["lead"]
    cid = world.add("Åsa", "Öberg", by="lead")
    name = journal_rescue.keep_outside(
        signed.db, lead, cid, draft_id=None, entry_date=dt.date(2026, 3, 2),
        category=JournalCategory.CONTACT, text="Ringde om nyckeln",
    )  # fmt: skip
    path = kept_notes.folder(signed.db.location) / name
    sealed_before = path.read_bytes()
    old_key = signed.db.data_key

    accounts.deactivate(signed.db, signed.actor, world.actors["anna"].user_id)
    assert signed.db.data_key != old_key
    assert kept_notes.read_all(signed.db.location, signed.db.data_key) == []  # the new key alone

    [note] = journal_rescue.kept_notes_of(signed.db, lead, cid)
    assert note.text == "Ringde om nyckeln" and note.name == name
    assert path.read_bytes() != sealed_before  # sealed again, under the new key
    assert len(kept_notes.read_all(signed.db.location, signed.db.data_key)) == 1
    draft_id = journal_rescue.take_back(signed.db, lead, note).value
    assert not path.exists()
    [draft] = journal.open_drafts(signed.db, lead, cid)
    assert draft.id == draft_id and draft.text == "Ringde om nyckeln"
