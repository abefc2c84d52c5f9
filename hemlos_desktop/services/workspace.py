"""Opening the program's database for a session of work (GUI or command line)."""

from __future__ import annotations

from hemlos_desktop.services import database_info
from hemlos_desktop.storage import Database, DataLocation, open_database


def open_workspace(
    location: DataLocation, *, key: bytes | None = None, defer_check: bool = False
) -> Database:
    """Open, create or upgrade the database in ``location`` and record its creation facts.

    With ``defer_check`` the integrity check runs in the background (the program's start; see
    ``storage.open_database``); the creation facts are written only when missing, so opening
    an existing database writes nothing and does not wait for the check.
    """
    db = open_database(location, key=key, defer_check=defer_check)
    try:
        with db.read() as session:
            done = database_info.is_initialised(session)
        if not done:
            with db.begin() as session:
                database_info.ensure_initialised(session)
    except BaseException:
        db.dispose()
        raise
    return db
