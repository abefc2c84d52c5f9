"""Giving the database a new data key, so that a removed slot, an old password or a copied key
file no longer opens it (revocation).

The order makes an interruption harmless: the new key file is written beside the old one
(``hemlos.keys.next``), the database is re-encrypted in one transaction, and only then is the
new key file renamed into place. If the program stops in between, the next unlock finds the
pending file and finishes or discards it (:func:`finish_interrupted_rekey`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.storage.crypto.database_file import check_key
from hemlos_desktop.storage.crypto.kdf import Argon2Params
from hemlos_desktop.storage.crypto.keystore import KeyStore, RekeyPlan, pending_path
from hemlos_desktop.storage.database import Database
from hemlos_desktop.storage.files import fsync_dir
from hemlos_desktop.storage.paths import DataLocation

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
STEPS = 3


def _no_progress(_done: int, _total: int) -> None:
    return None


def rekey_database(
    db: Database,
    store: KeyStore,
    *,
    remove_user: str | None = None,
    new_password: tuple[str, str] | None = None,
    progress: Progress | None = None,
) -> RekeyPlan:
    """Give ``db`` a new data key; ``store``'s remaining slots follow it (see
    ``KeyStore.plan_rekey``). Reports progress in :data:`STEPS` steps."""
    report = progress or _no_progress
    old_key = db.data_key
    if old_key is None:
        raise ValueError("a plain database has no key to replace")
    report(0, STEPS)
    plan = store.plan_rekey(old_key, remove_user=remove_user, new_password=new_password)
    report(1, STEPS)
    try:
        db.rekey(plan.new_key)
    except BaseException:
        store.abandon_rekey()
        raise
    report(2, STEPS)
    store.commit_rekey()
    report(3, STEPS)
    log.info("the database has a new data key")
    return plan


def finish_interrupted_rekey(
    location: DataLocation, key: bytes, username: str, password: str, params: Argon2Params
) -> bytes:
    """After an unlock with ``key`` from ``hemlos.keys``: if a rekey was cut off, finish it
    (the database already has the new key) or discard it (it has the old one); return the key
    that opens the database."""
    pending = pending_path(location)
    if not pending.exists() or not location.database.exists():
        return key
    try:
        check_key(location.database, key)
    except HemlosError:
        pass
    else:
        pending.unlink(missing_ok=True)
        log.warning("an interrupted key change was discarded; the database kept its key")
        return key
    store = KeyStore(location, params=params, path=pending)
    store.reload()
    new_key = store.unlock(username, password)
    check_key(location.database, new_key)
    os.replace(pending, location.keyslots)
    fsync_dir(location.folder)
    log.warning("an interrupted key change was finished")
    return new_key
