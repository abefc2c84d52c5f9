"""Key slots: unlocking, refusing wrong passwords and damaged slots, managing users' slots."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import (
    TEST_PARAMS,
    Argon2Params,
    DuplicateSlotError,
    KeyFileExistsError,
    KeyFileMissingError,
    KeySlotTamperedError,
    KeyStore,
    LastPasswordSlotError,
    NewerKeyFileError,
    NoSuchUserSlot,
    SlotKind,
    UnlockThrottledError,
    WrongPasswordError,
    delay_after,
    key_id_of,
    normalize_username,
)

# Cheap argon2 costs, passed explicitly: tests never go through a setting.
STRONGER = Argon2Params(time_cost=2, memory_cost=16, parallelism=1)


class FakeTime:
    """A clock and a sleep that only move when told (sleeping moves the clock)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def created(location: DataLocation) -> tuple[bytes, str]:
    return KeyStore.create(location, admin_username="Admin", password="secret", params=TEST_PARAMS)


@pytest.fixture
def store(location: DataLocation, created: tuple[bytes, str], fake_time: FakeTime) -> KeyStore:
    return KeyStore.load(location, params=TEST_PARAMS, clock=fake_time.clock, sleep=fake_time.sleep)


def _document(location: DataLocation) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(location.keyslots.read_text(encoding="utf-8"))
    return data


def _write(location: DataLocation, data: dict[str, Any]) -> None:
    location.keyslots.write_text(json.dumps(data), encoding="utf-8")


def _flip_b64(text: str, index: int = 0) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode("ascii")


def test_create_and_unlock(store: KeyStore, created: tuple[bytes, str]) -> None:
    data_key, _recovery = created
    assert len(data_key) == 32
    assert store.unlock("admin", "secret") == data_key
    # User names are compared case-insensitively and without surrounding spaces.
    assert store.unlock("  ADMIN ", "secret") == data_key
    assert store.belongs_to(data_key)
    assert store.key_id == key_id_of(data_key)
    kinds = [(info.kind, info.username, info.intact) for info in store.slots()]
    assert kinds == [(SlotKind.PASSWORD, "admin", True), (SlotKind.RECOVERY, None, True)]


def test_key_file_holds_no_secret_in_plain(
    location: DataLocation, created: tuple[bytes, str]
) -> None:
    data_key, recovery = created
    raw = location.keyslots.read_bytes()
    assert data_key not in raw
    assert data_key.hex().encode() not in raw
    assert base64.b64encode(data_key) not in raw
    assert b"secret" not in raw
    assert recovery.encode() not in raw
    assert _document(location)["version"] == 2
    if os.name == "posix":
        # Written through a private temporary file: only the owner may read it.
        assert stat.S_IMODE(location.keyslots.stat().st_mode) == 0o600


def test_wrong_password(store: KeyStore) -> None:
    with pytest.raises(WrongPasswordError) as info:
        store.unlock("admin", "Secret")
    assert not isinstance(info.value, NoSuchUserSlot)
    assert info.value.message() == "The user name or password is wrong."


def test_unknown_user_looks_like_wrong_password(store: KeyStore) -> None:
    with pytest.raises(WrongPasswordError) as info:
        store.unlock("nobody", "secret")
    assert isinstance(info.value, NoSuchUserSlot)
    assert info.value.message() == "The user name or password is wrong."
    assert store.throttle.failures == 1


def test_password_unicode_forms_match(location: DataLocation) -> None:
    composed, decomposed = "l\u00f6sen", "lo\u0308sen"
    key, _ = KeyStore.create(
        location, admin_username="\u00c5sa", password=composed, params=TEST_PARAMS
    )
    store = KeyStore.load(location, params=TEST_PARAMS)
    assert store.unlock("A\u030asa", decomposed) == key


@pytest.mark.parametrize("field", ["wrapped_key", "salt", "nonce"])
def test_flipped_byte_in_slot_is_detected(
    store: KeyStore, location: DataLocation, field: str
) -> None:
    data = _document(location)
    data["slots"][0][field] = _flip_b64(data["slots"][0][field])
    _write(location, data)
    with pytest.raises(KeySlotTamperedError):
        store.unlock("admin", "secret")
    assert store.throttle.failures == 0


def test_flipped_byte_in_username_is_detected(store: KeyStore, location: DataLocation) -> None:
    data = _document(location)
    data["slots"][0]["user"] = "admim"
    _write(location, data)
    with pytest.raises(KeySlotTamperedError):
        store.unlock("admin", "secret")
    with pytest.raises(KeySlotTamperedError):
        store.unlock("admim", "secret")


def test_lowered_parameters_are_detected(store: KeyStore, location: DataLocation) -> None:
    data = _document(location)
    data["slots"][0]["kdf"]["time_cost"] = 2
    _write(location, data)
    with pytest.raises(KeySlotTamperedError):
        store.unlock("admin", "secret")


def test_forged_check_still_refused_by_aead(store: KeyStore, location: DataLocation) -> None:
    """Someone who edits a slot and recomputes its check value still cannot unlock."""
    from hemlos_desktop.storage.crypto.keystore import _Slot

    data = _document(location)
    data["slots"][0]["wrapped_key"] = _flip_b64(data["slots"][0]["wrapped_key"], 5)
    slot = _Slot.from_json(data["slots"][0])
    data["slots"][0]["check"] = slot.compute_check(store.key_id)
    _write(location, data)
    with pytest.raises(WrongPasswordError):
        store.unlock("admin", "secret")


def test_slot_moved_to_another_user_does_not_open(
    store: KeyStore, location: DataLocation, created: tuple[bytes, str]
) -> None:
    """The user name is bound to the slot as associated data."""
    from hemlos_desktop.storage.crypto.keystore import _Slot

    store.add_slot(created[0], "bo", "bo-password")
    data = _document(location)
    bo = next(s for s in data["slots"] if s["user"] == "bo")
    admin = next(s for s in data["slots"] if s["user"] == "admin")
    admin.update({k: bo[k] for k in ("salt", "nonce", "wrapped_key")})
    admin["check"] = _Slot.from_json(admin).compute_check(store.key_id)
    _write(location, data)
    with pytest.raises(WrongPasswordError):
        store.unlock("admin", "bo-password")


def test_one_damaged_slot_does_not_lock_out_others(
    store: KeyStore, location: DataLocation, created: tuple[bytes, str]
) -> None:
    store.add_slot(created[0], "bo", "pw-bo")
    data = _document(location)
    data["slots"][0]["salt"] = _flip_b64(data["slots"][0]["salt"])
    _write(location, data)
    assert store.unlock("bo", "pw-bo") == created[0]
    assert [info.intact for info in store.slots()] == [False, True, True]


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b'{"format": "other"}', b'{"format": "hemlos-desktop-keys", "version": 1}'],
)
def test_unreadable_key_file(
    location: DataLocation, created: tuple[bytes, str], content: bytes
) -> None:
    location.keyslots.write_bytes(content)
    with pytest.raises(KeySlotTamperedError):
        KeyStore.load(location, params=TEST_PARAMS)


def test_absurd_parameters_are_refused_before_deriving(
    location: DataLocation, created: tuple[bytes, str]
) -> None:
    data = _document(location)
    data["slots"][0]["kdf"]["memory_cost"] = 2**40
    _write(location, data)
    with pytest.raises(KeySlotTamperedError):
        KeyStore.load(location, params=TEST_PARAMS)


def test_changed_key_id_is_detected(store: KeyStore, location: DataLocation) -> None:
    data = _document(location)
    data["key_id"] = "00" * 16
    _write(location, data)
    with pytest.raises(KeySlotTamperedError):
        store.unlock("admin", "secret")


def test_missing_existing_and_newer_key_file(location: DataLocation) -> None:
    with pytest.raises(KeyFileMissingError):
        KeyStore.load(location, params=TEST_PARAMS)
    assert not KeyStore.exists(location)
    KeyStore.create(location, admin_username="a", password="p", params=TEST_PARAMS)
    assert KeyStore.exists(location)
    with pytest.raises(KeyFileExistsError):
        KeyStore.create(location, admin_username="a", password="p", params=TEST_PARAMS)
    data = _document(location)
    data["version"] = 99
    _write(location, data)
    with pytest.raises(NewerKeyFileError):
        KeyStore.load(location, params=TEST_PARAMS)


def test_empty_user_name_or_password_refused(location: DataLocation) -> None:
    with pytest.raises(InvalidInputError) as info:
        KeyStore.create(location, admin_username="  ", password="p", params=TEST_PARAMS)
    assert info.value.field == "username"
    with pytest.raises(InvalidInputError) as info:
        KeyStore.create(location, admin_username="a", password="", params=TEST_PARAMS)
    assert info.value.field == "password"
    assert not location.keyslots.exists()


def test_change_password_without_reencrypting(
    location: DataLocation, store: KeyStore, created: tuple[bytes, str]
) -> None:
    from hemlos_desktop.services.workspace import open_workspace

    data_key = created[0]
    db = open_workspace(location, key=data_key)
    db.dispose()
    before = location.database.read_bytes()
    store.change_password("admin", "secret", "new secret")
    assert location.database.read_bytes() == before
    with pytest.raises(WrongPasswordError):
        store.unlock("admin", "secret")
    assert store.unlock("admin", "new secret") == data_key
    # A fresh load sees the change (the file was rewritten).
    assert KeyStore.load(location, params=TEST_PARAMS).unlock("admin", "new secret") == data_key


def test_change_password_checks_old_one(store: KeyStore) -> None:
    with pytest.raises(WrongPasswordError):
        store.change_password("admin", "wrong", "new")
    assert store.unlock("admin", "secret")


def test_add_and_remove_user_slot(store: KeyStore, created: tuple[bytes, str]) -> None:
    data_key = created[0]
    store.add_slot(data_key, "Bo", "bo pw")
    assert store.usernames() == ["admin", "bo"]
    assert store.has_user("BO")
    assert store.unlock("bo", "bo pw") == data_key
    with pytest.raises(DuplicateSlotError):
        store.add_slot(data_key, "bo", "other")
    store.remove_slot("bo")
    assert store.usernames() == ["admin"]
    with pytest.raises(NoSuchUserSlot):
        store.unlock("bo", "bo pw")
    with pytest.raises(NoSuchUserSlot):
        store.remove_slot("bo")
    with pytest.raises(LastPasswordSlotError):
        store.remove_slot("admin")


def test_add_slot_needs_the_right_data_key(store: KeyStore) -> None:
    with pytest.raises(ValueError):
        store.add_slot(b"\0" * 32, "bo", "pw")
    assert store.usernames() == ["admin"]


def test_set_password_resets_a_users_password(store: KeyStore, created: tuple[bytes, str]) -> None:
    data_key = created[0]
    store.add_slot(data_key, "bo", "forgotten")
    store.set_password(data_key, "bo", "fresh")
    assert store.unlock("bo", "fresh") == data_key
    with pytest.raises(WrongPasswordError):
        store.unlock("bo", "forgotten")


def test_changes_by_another_program_are_kept(
    location: DataLocation, store: KeyStore, created: tuple[bytes, str]
) -> None:
    other = KeyStore.load(location, params=TEST_PARAMS)
    other.add_slot(created[0], "bo", "pw")
    store.add_slot(created[0], "cy", "pw")
    assert KeyStore.load(location, params=TEST_PARAMS).usernames() == ["admin", "bo", "cy"]


def test_weaker_slot_is_rewrapped_at_unlock(
    location: DataLocation, created: tuple[bytes, str]
) -> None:
    stronger = KeyStore.load(location, params=STRONGER)
    assert stronger.unlock("admin", "secret") == created[0]
    params = {info.username: info.params for info in stronger.slots()}
    assert params["admin"] == STRONGER
    assert params[None] == TEST_PARAMS  # the recovery slot changes only when it is replaced
    assert stronger.unlock("admin", "secret") == created[0]


def test_normalize_username() -> None:
    assert normalize_username("  Åsa ") == "åsa"
    assert normalize_username("A\u030aSA") == "åsa"


# ---- throttling -------------------------------------------------------------------------


def test_delay_schedule() -> None:
    assert [delay_after(n) for n in range(10)] == [0, 0, 0, 1, 2, 4, 8, 16, 30, 30]
    assert delay_after(10_000) == 30


def test_failed_unlocks_slow_down_and_success_resets(
    store: KeyStore, fake_time: FakeTime, location: DataLocation
) -> None:
    for _ in range(5):
        with pytest.raises(WrongPasswordError):
            store.unlock("admin", "wrong")
    # Failures 1 and 2 were free, then 1 and 2 seconds before attempts 4 and 5.
    assert fake_time.slept == [1.0, 2.0]
    assert store.throttle.remaining() == 4.0
    with pytest.raises(UnlockThrottledError) as info:
        store.unlock("admin", "secret", wait=False)
    assert info.value.seconds == 4.0
    assert "4 seconds" in info.value.message()
    fake_time.now += 3
    assert store.throttle.remaining() == 1.0
    assert store.unlock("admin", "secret")
    assert fake_time.slept == [1.0, 2.0, 1.0]
    assert store.throttle.failures == 0
    assert not location.unlock_attempts.exists()


def test_failure_count_persists_between_loads(
    location: DataLocation, store: KeyStore, fake_time: FakeTime
) -> None:
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            store.unlock("admin", "wrong")
    later = KeyStore.load(
        location, params=TEST_PARAMS, clock=fake_time.clock, sleep=fake_time.sleep
    )
    assert later.throttle.failures == 3
    assert later.throttle.remaining() == 1.0
    content = location.unlock_attempts.read_text(encoding="utf-8")
    assert "admin" not in content


def test_waiting_time_never_exceeds_cap(
    location: DataLocation, store: KeyStore, fake_time: FakeTime
) -> None:
    location.unlock_attempts.write_text(
        json.dumps({"version": 1, "failures": 500, "last_failure": fake_time.now + 10**9}),
        encoding="utf-8",
    )
    # A clock set back (last failure "in the future") still waits at most the cap.
    assert store.throttle.remaining() == 30.0


@pytest.mark.parametrize("content", ["", "{", '{"failures": "x"}', "[]"])
def test_damaged_counter_never_blocks(
    location: DataLocation, store: KeyStore, fake_time: FakeTime, content: str
) -> None:
    location.unlock_attempts.write_text(content, encoding="utf-8")
    assert store.unlock("admin", "secret")
    assert fake_time.slept == []


def test_leftovers_of_a_killed_write_do_not_block(location: DataLocation, store: KeyStore) -> None:
    # atomic writes leave at most a temporary file, never a half key file
    (location.folder / ".hemlos.keys.abcd.partial").write_bytes(b"{")
    assert store.unlock("admin", "secret")


# ---- messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "da"])
def test_messages_are_translated(language: str) -> None:
    from hemlos_desktop.storage.crypto import errors

    i18n.set_language(language)
    classes: list[HemlosError] = [
        errors.WrongPasswordError(),
        errors.NoSuchUserSlot(),
        errors.KeySlotTamperedError(),
        errors.WrongRecoveryKeyError(),
        errors.RecoveryKeyTypoError(errors.RecoveryKeyTypoError.LENGTH, count=3, expected=56),
        errors.RecoveryKeyTypoError(errors.RecoveryKeyTypoError.CHARACTER, group=2),
        errors.RecoveryKeyTypoError(errors.RecoveryKeyTypoError.CHECKSUM),
        errors.UnlockThrottledError(3),
        errors.KeyFileMissingError(),
        errors.KeyFileExistsError(),
        errors.NewerKeyFileError(),
        errors.DuplicateSlotError(),
        errors.LastPasswordSlotError(),
        errors.KeyRequiredError(),
        errors.PlainDatabaseError(),
        errors.EncryptionFailedError(),
    ]
    for error in classes:
        i18n.set_language("en")
        english = (error.title(), error.message(), error.advice())
        i18n.set_language(language)
        translated = (error.title(), error.message(), error.advice())
        for source, text in zip(english, translated, strict=True):
            if source:
                assert text and text != source, (type(error).__name__, source)
    i18n.set_language("en")


def test_location_names_key_files(tmp_path: Path) -> None:
    """DataLocation names the key files beside the database."""
    location = DataLocation(tmp_path)
    assert location.keyslots.name == "hemlos.keys"
    assert location.keyslots.parent == location.database.parent
    assert location.unlock_attempts.parent == location.folder
