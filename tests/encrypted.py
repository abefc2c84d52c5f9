"""Encrypting a test's plain database so the command line will open it (commands never open a
plain database). The administrator is ``admin`` with the password ``demo``, the credentials
``tests/cli/conftest.py`` puts into the environment; the argon2 costs are the cheap test ones."""

from __future__ import annotations

from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore

USER = "admin"
PASSWORD = "demo"


def ensure_encrypted(location: DataLocation) -> bytes:
    """Encrypt the database in ``location`` in place (once); return its data key.

    Any ``Database`` object of the plain file must not be used afterwards.
    """
    if location.keyslots.exists():
        return data_key(location)
    result = create_administrator(
        location, username=USER, display_name="Admin", password=PASSWORD, params=TEST_PARAMS
    )
    result.signed_in.db.dispose()
    key = result.signed_in.data_key
    assert key is not None
    return key


def data_key(location: DataLocation) -> bytes:
    return KeyStore.load(location, params=TEST_PARAMS).unlock(USER, PASSWORD)
