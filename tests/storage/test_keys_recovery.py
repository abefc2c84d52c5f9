"""The recovery key: its printed form, typo detection, unlocking and resetting a password."""

from __future__ import annotations

import pytest

from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import (
    TEST_PARAMS,
    KeySlotTamperedError,
    KeyStore,
    RecoveryKeyTypoError,
    WrongPasswordError,
    WrongRecoveryKeyError,
    format_recovery_key,
    parse_recovery_key,
)
from hemlos_desktop.storage.crypto.recovery import ALPHABET, GROUPS, TOTAL_CHARS

FIXED_SECRET = bytes(range(32))


@pytest.fixture
def created(location: DataLocation) -> tuple[bytes, str]:
    return KeyStore.create(location, admin_username="admin", password="pw", params=TEST_PARAMS)


@pytest.fixture
def store(location: DataLocation, created: tuple[bytes, str]) -> KeyStore:
    return KeyStore.load(location, params=TEST_PARAMS, sleep=lambda _s: None)


def test_format_is_groups_of_four() -> None:
    text = format_recovery_key(FIXED_SECRET)
    groups = text.split("-")
    assert len(groups) == GROUPS == 14
    assert all(len(g) == 4 and set(g) <= set(ALPHABET) for g in groups)
    assert not set(text) & set("ILOU")
    assert parse_recovery_key(text) == FIXED_SECRET


def test_lenient_typing_is_accepted() -> None:
    text = format_recovery_key(FIXED_SECRET)
    typed = text.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert parse_recovery_key(typed) == FIXED_SECRET
    assert parse_recovery_key(text.replace("-", "")) == FIXED_SECRET


def test_every_single_character_typo_is_caught() -> None:
    chars = format_recovery_key(FIXED_SECRET).replace("-", "")
    for index, original in enumerate(chars):
        for wrong in ALPHABET:
            if wrong == original:
                continue
            typed = chars[:index] + wrong + chars[index + 1 :]
            with pytest.raises(RecoveryKeyTypoError) as info:
                parse_recovery_key(typed)
            assert info.value.reason == RecoveryKeyTypoError.CHECKSUM


def test_swapped_neighbours_are_caught() -> None:
    chars = format_recovery_key(FIXED_SECRET).replace("-", "")
    for index in range(len(chars) - 1):
        if chars[index] == chars[index + 1]:
            continue
        typed = chars[:index] + chars[index + 1] + chars[index] + chars[index + 2 :]
        with pytest.raises(RecoveryKeyTypoError):
            parse_recovery_key(typed)


def test_length_and_character_errors() -> None:
    text = format_recovery_key(FIXED_SECRET)
    with pytest.raises(RecoveryKeyTypoError) as info:
        parse_recovery_key(text[:-5])
    assert info.value.reason == RecoveryKeyTypoError.LENGTH
    assert info.value.count == TOTAL_CHARS - 4
    assert "56 characters" in info.value.message()
    with pytest.raises(RecoveryKeyTypoError) as info:
        parse_recovery_key(text[:6] + "U" + text[7:])
    assert info.value.reason == RecoveryKeyTypoError.CHARACTER
    assert info.value.group == 2
    assert "Group 2" in info.value.message()


def test_unlock_with_recovery(store: KeyStore, created: tuple[bytes, str]) -> None:
    data_key, recovery = created
    assert store.unlock_with_recovery(recovery) == data_key
    assert store.unlock_with_recovery(recovery.lower()) == data_key


def test_typo_is_not_a_failed_attempt(store: KeyStore, created: tuple[bytes, str]) -> None:
    typed = "X" + created[1][1:] if created[1][0] != "X" else "Y" + created[1][1:]
    with pytest.raises(RecoveryKeyTypoError):
        store.unlock_with_recovery(typed)
    assert store.throttle.failures == 0


def test_another_recovery_key_is_refused(store: KeyStore) -> None:
    with pytest.raises(WrongRecoveryKeyError):
        store.unlock_with_recovery(format_recovery_key(FIXED_SECRET))
    assert store.throttle.failures == 1


def test_reset_password_with_recovery(store: KeyStore, created: tuple[bytes, str]) -> None:
    data_key, recovery = created
    assert store.reset_password_with_recovery(recovery, "admin", "new") == data_key
    assert store.unlock("admin", "new") == data_key
    with pytest.raises(WrongPasswordError):
        store.unlock("admin", "pw")
    # A user without a slot gets one.
    store.reset_password_with_recovery(recovery, "newadmin", "pw2")
    assert store.unlock("newadmin", "pw2") == data_key


def test_replace_recovery_key(store: KeyStore, created: tuple[bytes, str]) -> None:
    data_key, old = created
    new = store.replace_recovery_key(data_key)
    assert new != old
    assert store.unlock_with_recovery(new) == data_key
    with pytest.raises(WrongRecoveryKeyError):
        store.unlock_with_recovery(old)
    assert [info.kind.value for info in store.slots()] == ["password", "recovery"]


def test_damaged_recovery_slot(
    store: KeyStore, location: DataLocation, created: tuple[bytes, str]
) -> None:
    raw = location.keyslots.read_text(encoding="utf-8").replace('"recovery"', '"password"', 1)
    location.keyslots.write_text(raw, encoding="utf-8")
    # A recovery slot turned into a password slot has no user: the whole file is unreadable.
    with pytest.raises(KeySlotTamperedError):
        store.unlock_with_recovery(created[1])
