"""The sync-kill harness (test code): one laptop's sync in a child process, killed with SIGKILL
at a random moment by the parent.

    python tests/server/sync_probe.py DATA_DIR USER URL

The password comes from $HEMLOS_PASSWORD. Batches are made small so that a kill lands between
and inside batches, and every finished batch prints a line (flushed) so the parent can wait
for some progress before it kills.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hemlos_desktop.services import sync as sync_service
from hemlos_desktop.services.session import unlock
from hemlos_desktop.services.sync import SyncCredentials, SyncProgress
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS


def main() -> int:
    folder, user, url = sys.argv[1:4]
    password = os.environ["HEMLOS_PASSWORD"]
    sync_service.PUSH_BATCH = 3
    sync_service.PULL_BATCH = 3
    signed = unlock(DataLocation(Path(folder)), user, password, params=TEST_PARAMS)

    def progress(step: SyncProgress) -> None:
        print(f"{step.phase.value} {step.done}", flush=True)

    sync_service.sync(
        signed.db, SyncCredentials(url=url, username=user, password=password), progress=progress
    )
    print("done", flush=True)
    signed.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
