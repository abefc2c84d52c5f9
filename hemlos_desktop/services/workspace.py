"""Opening the program's database for a session of work (GUI or command line)."""

from __future__ import annotations

import logging
from pathlib import Path

from hemlos_desktop.errors import DatabaseFileMissingError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import database_info
from hemlos_desktop.storage import Database, DataLocation, open_database
from hemlos_desktop.storage.crypto.errors import KeyFileMissingError

log = logging.getLogger(__name__)

KEY_BACKUPS_NAMED = 3


class KeyFileDeletedError(KeyFileMissingError):
    """The database is encrypted and ``hemlos.keys`` is gone; names the backups that hold a
    copy of the key file (file names carry only a date and time)."""

    folder: Path = Path()
    key_backups: list[Path] = []  # noqa: RUF012 - replaced per instance, never changed

    def __init__(
        self, detail: str = "", *, folder: Path = Path(), key_backups: list[Path] | None = None
    ) -> None:
        super().__init__(detail)
        self.folder = folder
        self.key_backups = list(key_backups or [])

    def advice(self) -> str:
        if not self.key_backups:
            return _(
                "No backup holds a copy of the key file. Put hemlos.keys back beside the "
                "database (your IT department may have a copy). Without it the database cannot "
                "be opened, not even with the recovery key."
            )
        names = "\n".join(f"  {p}" for p in self.key_backups)
        return _(
            "These backups hold a copy of the key file, newest first:\n{names}\n"
            "Copy the newest of them into {folder} under the name hemlos.keys, then start "
            "the program again and sign in as usual."
        ).format(names=names, folder=self.folder)


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


def open_existing_workspace(
    location: DataLocation,
    *,
    key: bytes | None = None,
    backup_dir: str = "",
    defer_check: bool = False,
) -> Database:
    """Open the database of a data folder that has been set up (sign-in, start-up).

    A database file missing beside its key file raises DatabaseFileMissingError (a kind of
    damaged database: the newest good backup is offered) instead of a new, empty database
    being made; an encrypted file without its key file raises KeyFileDeletedError naming the
    backups that hold the key file.
    """
    if location.keyslots.exists() and not location.database.exists():
        log.warning("the database file is missing beside its key file")
        raise DatabaseFileMissingError("database file missing beside the key file")
    try:
        return open_workspace(location, key=key, defer_check=defer_check)
    except KeyFileDeletedError:
        raise
    except KeyFileMissingError as exc:
        from hemlos_desktop.services.backups import list_backups
        from hemlos_desktop.storage.backup import keys_companion

        held = [keys_companion(b.path) for b in list_backups(location, backup_dir) if b.has_keys]
        raise KeyFileDeletedError(
            exc.detail, folder=location.folder, key_backups=held[:KEY_BACKUPS_NAMED]
        ) from exc
