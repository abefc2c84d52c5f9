"""The rekey kill harness (test code, not part of the program): an administrator deactivates a
user, which gives the database a new data key, until the parent kills this process with
SIGKILL somewhere along the way.

    python tests/rekey_probe.py DATA_DIR ADMIN PASSWORD USER [HOLD_AT]

The deactivation runs through ``accounts.deactivate`` exactly as the program runs it. Each
progress step is printed on stdout (flushed) as ``step N`` before the work after it starts:
``step 1`` comes after the new key file was written beside the old one and just before the
database is re-encrypted (``PRAGMA rekey``), ``step 2`` once the database has the new key and
before the new key file is put in place, ``step 3`` after that. With ``HOLD_AT`` the process
waits at that step to be killed. ``done`` follows a deactivation that was not cut off.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import select

from hemlos_desktop.models.people import User
from hemlos_desktop.services import accounts
from hemlos_desktop.services.actor import actor_for_user
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore


def main(argv: list[str]) -> int:
    folder, admin, password, leaver = argv[:4]
    hold_at = int(argv[4]) if len(argv) > 4 else None
    location = DataLocation(Path(folder))
    key = KeyStore.load(location, params=TEST_PARAMS).unlock(admin, password)
    db = open_workspace(location, key=key)
    with db.read() as session:
        actor = actor_for_user(
            session, session.scalars(select(User).filter_by(username=admin)).one()
        )
        user_id = session.scalars(select(User.id).filter_by(username=leaver)).one()

    def progress(done: int, _total: int) -> None:
        print(f"step {done}", flush=True)
        if done == hold_at:
            time.sleep(120)  # killed here

    accounts.deactivate(db, actor, user_id, progress=progress)
    db.dispose()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
