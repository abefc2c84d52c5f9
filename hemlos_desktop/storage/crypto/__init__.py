"""Encryption at rest: key slots (``hemlos.keys``), the recovery key and encrypted files.

Start-up, as the login flow should do it::

    # first start: make the key file, show the recovery key once, create the database
    data_key, recovery_text = KeyStore.create(location, admin_username="anna", password=pw)
    db = open_database(location, key=data_key)

    # every later start (run unlock off the GUI thread: argon2id takes about half a second)
    store = KeyStore.load(location)
    data_key = store.unlock(username, password)   # WrongPasswordError, KeySlotTamperedError,
                                                  # UnlockThrottledError (with wait=False)
    db = open_database(location, key=data_key)    # CorruptDatabaseError: file damaged;
                                                  # PlainDatabaseError: see below

    # a data folder from before encryption: create the key file, then encrypt in place
    data_key, recovery_text = KeyStore.create(location, admin_username=..., password=...)
    encrypt_database_in_place(location, data_key)
    # If the program stopped between these two lines, the next start gets PlainDatabaseError
    # after a good unlock; running encrypt_database_in_place then finishes the job (it is safe
    # to repeat). A plain file beside a key file can also be a swapped-in copy, so a program
    # may prefer to ask the administrator first.

Tests pass ``params=TEST_PARAMS`` to ``KeyStore.create``/``load``; nothing else selects them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemlos_desktop.storage.crypto.database_file import (
        FileKind,
        check_key,
        detect_file_kind,
        encrypt_database_in_place,
        encrypt_file_in_place,
        is_encrypted,
        recover_interrupted_encryption,
    )
    from hemlos_desktop.storage.crypto.errors import (
        DuplicateSlotError,
        EncryptionFailedError,
        KeyFileExistsError,
        KeyFileMissingError,
        KeyRequiredError,
        KeySlotTamperedError,
        LastPasswordSlotError,
        NewerKeyFileError,
        NoDatabaseError,
        NoSuchUserSlot,
        NotEncryptedError,
        PlainDatabaseError,
        RecoveryKeyTypoError,
        UnlockError,
        UnlockThrottledError,
        WrongPasswordError,
        WrongRecoveryKeyError,
    )
    from hemlos_desktop.storage.crypto.kdf import PRODUCTION_PARAMS, TEST_PARAMS, Argon2Params
    from hemlos_desktop.storage.crypto.keystore import (
        KeyStore,
        SlotInfo,
        SlotKind,
        key_id_of,
        new_data_key,
        normalize_username,
    )
    from hemlos_desktop.storage.crypto.recovery import format_recovery_key, parse_recovery_key
    from hemlos_desktop.storage.crypto.throttle import UnlockThrottle, delay_after

# Every name is loaded from its module on first use: the key store needs cryptography and
# argon2, and the database file's functions need SQLite and the storage layer, while the
# sign-in dialog (painted first at start-up) needs only the error types and the parameters.
_PACKAGE = "hemlos_desktop.storage.crypto."
_WHERE: dict[str, str] = {
    **dict.fromkeys(
        (
            "FileKind",
            "check_key",
            "detect_file_kind",
            "encrypt_database_in_place",
            "encrypt_file_in_place",
            "is_encrypted",
            "recover_interrupted_encryption",
        ),
        "database_file",
    ),
    **dict.fromkeys(
        (
            "DuplicateSlotError",
            "EncryptionFailedError",
            "KeyFileExistsError",
            "KeyFileMissingError",
            "KeyRequiredError",
            "KeySlotTamperedError",
            "LastPasswordSlotError",
            "NewerKeyFileError",
            "NoDatabaseError",
            "NoSuchUserSlot",
            "NotEncryptedError",
            "PlainDatabaseError",
            "RecoveryKeyTypoError",
            "UnlockError",
            "UnlockThrottledError",
            "WrongPasswordError",
            "WrongRecoveryKeyError",
        ),
        "errors",
    ),
    **dict.fromkeys(("PRODUCTION_PARAMS", "TEST_PARAMS", "Argon2Params"), "kdf"),
    **dict.fromkeys(
        (
            "KeyStore",
            "SlotInfo",
            "SlotKind",
            "key_id_of",
            "new_data_key",
            "normalize_username",
        ),
        "keystore",
    ),
    **dict.fromkeys(("format_recovery_key", "parse_recovery_key"), "recovery"),
    **dict.fromkeys(("UnlockThrottle", "delay_after"), "throttle"),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(name)
    return getattr(importlib.import_module(_PACKAGE + where), name)


__all__ = [
    "PRODUCTION_PARAMS",
    "TEST_PARAMS",
    "Argon2Params",
    "DuplicateSlotError",
    "EncryptionFailedError",
    "FileKind",
    "KeyFileExistsError",
    "KeyFileMissingError",
    "KeyRequiredError",
    "KeySlotTamperedError",
    "KeyStore",
    "LastPasswordSlotError",
    "NewerKeyFileError",
    "NoSuchUserSlot",
    "NoDatabaseError",
    "NotEncryptedError",
    "PlainDatabaseError",
    "RecoveryKeyTypoError",
    "SlotInfo",
    "SlotKind",
    "UnlockError",
    "UnlockThrottle",
    "UnlockThrottledError",
    "WrongPasswordError",
    "WrongRecoveryKeyError",
    "check_key",
    "delay_after",
    "detect_file_kind",
    "encrypt_database_in_place",
    "encrypt_file_in_place",
    "format_recovery_key",
    "is_encrypted",
    "key_id_of",
    "new_data_key",
    "normalize_username",
    "parse_recovery_key",
    "recover_interrupted_encryption",
]
