"""Opening the program's database for a session of work (GUI or command line)."""

from __future__ import annotations

from hemlos_desktop.services import database_info
from hemlos_desktop.storage import Database, DataLocation, open_database


def open_workspace(location: DataLocation, *, key: bytes | None = None) -> Database:
    """Open, create or upgrade the database in ``location`` and record its creation facts."""
    db = open_database(location, key=key)
    try:
        with db.begin() as session:
            database_info.ensure_initialised(session)
    except BaseException:
        db.dispose()
        raise
    return db
