"""Write the upgrade fixtures under ``tests/data/upgrade/<revision>/``: an encrypted database
(``hemlos.db``) with its key file (``hemlos.keys``; user ``admin``, password ``demo``, the
cheap test argon2 costs) for each schema revision up to ``--up-to``.

    .venv/bin/python tools/make_upgrade_fixtures.py --up-to 0006

The newest (``--up-to``, the current release's schema) is a small demo database made by the
program itself. The real earlier releases are not available, so each earlier schema is made
by running the migrations up to that revision on a new encrypted database; the revisions that
a release shipped with are these same migration files. Run it once when a release is made,
for that release's revision, and commit the result; tests/storage/test_upgrade_fixtures.py
upgrades every fixture found.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from hemlos_desktop.demo.data import DEMO_PASSWORD, create_demo_database
from hemlos_desktop.storage import Database, DataLocation, migrate
from hemlos_desktop.storage.crypto import TEST_PARAMS, KeyStore

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "upgrade"
USERNAME = "admin"
DEMO_CLIENTS = 4


def chain_order() -> list[str]:
    chain = migrate.revision_chain()
    order: list[str] = []
    current = next(rev for rev, down in chain.items() if down is None)
    while True:
        order.append(current)
        following = [rev for rev, down in chain.items() if down == current]
        if not following:
            return order
        current = following[0]


def make_schema_only(location: DataLocation, revision: str) -> None:
    key, _recovery = KeyStore.create(
        location, admin_username=USERNAME, password=DEMO_PASSWORD, params=TEST_PARAMS
    )
    db = Database(location, key=key)
    try:
        migrate.upgrade_to_head(db, target=revision)
        assert migrate.schema_status(db).current == revision
    finally:
        db.dispose()


def make_release(location: DataLocation, revision: str) -> None:
    create_demo_database(location, clients=DEMO_CLIENTS, seed=7, params=TEST_PARAMS)
    key = KeyStore.load(location, params=TEST_PARAMS).unlock(USERNAME, DEMO_PASSWORD)
    db = Database(location, key=key)
    try:
        current = migrate.schema_status(db).current
        if current != revision:
            raise SystemExit(f"the program's schema is {current}, not {revision}")
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--up-to", required=True, help="the current release's schema revision")
    args = parser.parse_args()
    order = chain_order()
    if args.up_to not in order:
        raise SystemExit(f"unknown revision {args.up_to}")
    for revision in order[: order.index(args.up_to) + 1]:
        folder = OUT / revision
        if folder.exists():
            shutil.rmtree(folder)
        location = DataLocation(folder)
        location.ensure()
        if revision == args.up_to:
            make_release(location, revision)
        else:
            make_schema_only(location, revision)
        for extra in ("hemlos.db-wal", "hemlos.db-shm", "hemlos.lock", "hemlos.attempts"):
            (folder / extra).unlink(missing_ok=True)
        shutil.rmtree(location.backups, ignore_errors=True)
        sizes = ", ".join(
            f"{p.name} {p.stat().st_size // 1024} KiB" for p in sorted(folder.iterdir())
        )
        print(f"{revision}: {sizes}")


if __name__ == "__main__":
    main()
