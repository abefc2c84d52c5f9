"""Benchmark `rekey`: revoking a user on a 20,000-client database.

Deactivating a user gives the database a new data key (SQLCipher's ``PRAGMA rekey`` rewrites
every page) and seals it to the remaining key slots. Figure: ``deactivate_seconds``, the whole
``accounts.deactivate`` call through the service as the program runs it (the progress steps it
reports are printed); target at most 10 seconds.

The database is a copy of the shared 20,000-client encrypted demo database (``_clientdb``,
with its key file); the demo administrator deactivates the demo caseworker ``worker``.

Run: ``.venv/bin/python benchmarks/rekey.py`` (``--quick``: 2,000 clients).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _clientdb import demo_location  # noqa: E402

from hemlos_desktop.services import accounts  # noqa: E402
from hemlos_desktop.services.session import open_with_key, unlock_key  # noqa: E402
from hemlos_desktop.storage import DataLocation  # noqa: E402

TARGETS = {"deactivate_seconds": 10}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2,000 clients instead of 20,000")
    args = parser.parse_args()
    source = demo_location(2_000 if args.quick else 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        location = DataLocation(Path(tmp) / "data")
        location.ensure()
        shutil.copyfile(source.database, location.database)
        shutil.copyfile(source.keyslots, location.keyslots)
        signed = open_with_key(location, "admin", unlock_key(location, "admin", "demo"))
        db, actor = signed.db, signed.actor
        try:
            leaver = next(u for u in accounts.list_accounts(db, actor) if u.username == "worker")
            size_mb = location.database.stat().st_size / 1024 / 1024
            steps: list[str] = []
            started = time.perf_counter()

            def progress(done: int, total: int) -> None:
                steps.append(f"{done}/{total} at {time.perf_counter() - started:.2f} s")

            accounts.deactivate(db, actor, leaver.id, progress=progress)
            seconds = time.perf_counter() - started
        finally:
            db.dispose()
    print(f"database {size_mb:.1f} MB; progress: " + ", ".join(steps), file=sys.stderr)
    figures = {"deactivate_seconds": round(seconds, 3), "database_mb": round(size_mb, 1)}
    passed = figures["deactivate_seconds"] <= TARGETS["deactivate_seconds"]
    print(
        json.dumps({"benchmark": "rekey", "figures": figures, "targets": TARGETS, "pass": passed})
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
