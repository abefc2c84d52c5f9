"""Signing in: encrypted and plain databases, wrong passwords, tampering, throttling, demo."""

from __future__ import annotations

import json

import pytest

from hemlos_desktop.demo.data import DEMO_PASSWORD, create_demo_database, open_demo
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import accounts, session
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import (
    TEST_PARAMS,
    KeySlotTamperedError,
    KeyStore,
    UnlockThrottledError,
    WrongPasswordError,
    is_encrypted,
)


@pytest.fixture
def admin_folder(location: DataLocation) -> DataLocation:
    result = create_administrator(
        location, username="Anna", display_name="Anna A", password="s3cret", params=TEST_PARAMS
    )
    result.signed_in.db.dispose()
    assert result.recovery_key
    return location


def test_first_start_creates_an_encrypted_database_and_the_admin(
    admin_folder: DataLocation,
) -> None:
    assert is_encrypted(admin_folder.database)
    signed = session.unlock(admin_folder, "anna", "s3cret", params=TEST_PARAMS)
    try:
        assert signed.actor.role is Role.ADMIN
        assert signed.actor.username == "anna"  # normalised
        assert signed.data_key is not None and signed.db.encrypted
    finally:
        signed.db.dispose()


def test_wrong_password_is_refused(admin_folder: DataLocation) -> None:
    with pytest.raises(WrongPasswordError):
        session.unlock(admin_folder, "anna", "wrong", params=TEST_PARAMS)
    with pytest.raises(WrongPasswordError):
        session.unlock(admin_folder, "nobody", "s3cret", params=TEST_PARAMS)


def test_tampered_key_slot_is_refused(admin_folder: DataLocation) -> None:
    document = json.loads(admin_folder.keyslots.read_text())
    document["slots"][0]["user"] = "mallory"
    admin_folder.keyslots.write_text(json.dumps(document))
    with pytest.raises(KeySlotTamperedError):
        session.unlock(admin_folder, "mallory", "s3cret", params=TEST_PARAMS)


def test_repeated_failures_slow_down(admin_folder: DataLocation) -> None:
    for _attempt in range(3):
        with pytest.raises(WrongPasswordError):
            session.unlock(admin_folder, "anna", "wrong", params=TEST_PARAMS, wait=False)
    with pytest.raises(UnlockThrottledError) as caught:
        session.unlock(admin_folder, "anna", "s3cret", params=TEST_PARAMS, wait=False)
    assert caught.value.seconds > 0


def test_plain_database_opens_without_a_password(location: DataLocation) -> None:
    open_workspace(location).dispose()
    signed = session.unlock(location, "", "")
    try:
        assert signed.data_key is None and signed.actor.role is Role.ADMIN
        assert not session.is_encrypted_folder(location)
    finally:
        signed.db.dispose()


def test_existing_plain_database_is_encrypted_by_the_first_start(location: DataLocation) -> None:
    open_workspace(location).dispose()
    result = create_administrator(
        location, username="admin", display_name="Admin", password="pw", params=TEST_PARAMS
    )
    result.signed_in.db.dispose()
    assert is_encrypted(location.database)


def test_deactivated_account_cannot_sign_in(admin_folder: DataLocation, fast_kdf: None) -> None:
    signed = session.unlock(admin_folder, "anna", "s3cret", params=TEST_PARAMS)
    try:
        bo = accounts.add_account(
            signed.db, signed.actor, signed.data_key, username="Bo", display_name="Bo",
            role=Role.CASEWORKER, team_ids=[], password="bo-pw long enough",
        ).value  # fmt: skip
    finally:
        signed.db.dispose()
    bo_session = session.unlock(admin_folder, "bo", "bo-pw long enough", params=TEST_PARAMS)
    assert bo_session.actor.role is Role.CASEWORKER
    bo_session.db.dispose()
    signed = session.unlock(admin_folder, "anna", "s3cret", params=TEST_PARAMS)
    try:
        accounts.deactivate(signed.db, signed.actor, bo.id)
    finally:
        signed.db.dispose()
    with pytest.raises(WrongPasswordError):  # the slot is gone
        session.unlock(admin_folder, "bo", "bo-pw long enough", params=TEST_PARAMS)


def test_demo_database_is_encrypted_with_the_demo_accounts(location: DataLocation) -> None:
    create_demo_database(location, clients=3, params=TEST_PARAMS)
    assert is_encrypted(location.database)
    assert session.is_demo_folder(location)
    assert sorted(KeyStore.load(location).usernames()) == ["admin", "lead", "worker"]
    roles = {}
    for name in ("admin", "lead", "worker"):
        db, actor = open_demo(location, username=name, params=TEST_PARAMS)
        roles[name] = actor.role
        db.dispose()
    assert roles == {"admin": Role.ADMIN, "lead": Role.TEAM_LEAD, "worker": Role.CASEWORKER}
    assert DEMO_PASSWORD == "demo"


def test_real_databases_have_no_demo_accounts(admin_folder: DataLocation) -> None:
    assert not session.is_demo_folder(admin_folder)
    with pytest.raises(WrongPasswordError):
        session.unlock(admin_folder, "admin", DEMO_PASSWORD, params=TEST_PARAMS)
