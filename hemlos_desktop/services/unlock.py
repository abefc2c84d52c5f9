"""Unlocking a data folder's key: all the sign-in dialog needs before it is shown.

Kept apart from ``services.session`` (which opens the database and so loads SQLAlchemy and the
models) so that the dialog is painted as quickly as a bare window; the database layer loads
while the person types the password.
"""

from __future__ import annotations

from hemlos_desktop.storage.crypto.kdf import PRODUCTION_PARAMS, Argon2Params
from hemlos_desktop.storage.paths import DataLocation

# The key store (cryptography, argon2) is imported when a password is tried, after the dialog
# has been painted.

# A plain marker file beside a demo database, readable before unlocking (nothing secret in it):
# the login dialog shows the demo accounts when it is there.
DEMO_MARKER_FILE = "hemlos.demo"


def is_encrypted_folder(location: DataLocation) -> bool:
    """Whether the data folder needs a password (it has a key file; as ``KeyStore.exists``)."""
    return location.keyslots.exists()


def is_demo_folder(location: DataLocation) -> bool:
    """Whether the data folder holds a demo database (readable before unlocking)."""
    return (location.folder / DEMO_MARKER_FILE).is_file()


def unlock_key(
    location: DataLocation,
    username: str,
    password: str,
    *,
    params: Argon2Params = PRODUCTION_PARAMS,
    wait: bool = True,
) -> bytes:
    """The data key for ``username``/``password`` (WrongPasswordError, KeySlotTamperedError,
    UnlockThrottledError with ``wait=False``, KeyFileMissingError)."""
    from hemlos_desktop.storage.crypto.keystore import KeyStore
    from hemlos_desktop.storage.crypto.revocation import finish_interrupted_rekey

    key = KeyStore.load(location, params=params).unlock(username, password, wait=wait)
    return finish_interrupted_rekey(location, key, username, password, params)


def throttle_remaining(location: DataLocation) -> float:
    """Seconds to wait before the next sign-in attempt (0 when none), after wrong passwords."""
    from hemlos_desktop.storage.crypto.keystore import KeyStore

    return KeyStore(location).throttle.remaining()
