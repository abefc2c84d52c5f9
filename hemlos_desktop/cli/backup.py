"""Backup sub-commands: ``backup``, ``restore`` and ``backups``.

``backup`` and ``backups`` only read the database and work while the program is open;
``restore`` writes, so it refuses while the program (or another restore) holds the data folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemlos_desktop.cli.common import (
    actor_without_sign_in_entry,
    add_data_dir,
    add_user,
    location_from,
    unlock_for_command,
)
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage import DataLocation

if TYPE_CHECKING:
    from hemlos_desktop.services.actor import Actor


class ConfirmationNeededError(HemlosError):
    """Restore without --yes when nobody can be asked."""

    def title(self) -> str:
        return _("Confirmation needed")

    def message(self) -> str:
        return _("Restoring replaces the database, and there is no terminal to ask for consent.")

    def advice(self) -> str:
        return _("Run the command again with --yes to restore without asking.")


def register(sub: Any) -> None:
    backup = sub.add_parser("backup", help="write a verified backup of the database")
    backup.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the backup to FILE (default: a dated file in the backup folder)",
    )
    add_data_dir(backup)
    add_user(backup)
    backup.set_defaults(handler=_cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("file", metavar="FILE", help="the backup file to restore")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")
    add_data_dir(restore)
    add_user(restore)
    restore.set_defaults(handler=_cmd_restore)

    listing = sub.add_parser("backups", help="list the backups with their dates")
    add_data_dir(listing)
    listing.set_defaults(handler=_cmd_backups)


def _configured_backup_dir() -> str:
    from hemlos_desktop.settings import SettingsStore

    return SettingsStore().load().backup_dir


def _cmd_backup(args: argparse.Namespace) -> int:
    from hemlos_desktop.services import backups
    from hemlos_desktop.storage import open_database

    location = location_from(args)
    username, key = unlock_for_command(args, location)
    db = open_database(location, create=False, migrate=False, key=key)
    try:
        actor = actor_without_sign_in_entry(db, username)
        if args.output:
            summary = backups.back_up_to(db, Path(args.output).expanduser(), actor=actor).value
        else:
            summary = backups.back_up_now(db, _configured_backup_dir(), actor=actor).value
    finally:
        db.dispose()
    print(_("Backup written and verified: {path}").format(path=summary.path))
    return 0


def _ask(question: str) -> bool:
    answer = input(question + " ").strip().lower()
    return answer in {_("y"), _("yes"), "y", "yes"}


def _cmd_restore(args: argparse.Namespace) -> int:
    from hemlos_desktop.services import backups

    location = location_from(args)
    source = Path(args.file).expanduser()
    username, key = _restore_key(args, location, source)
    actor = _restoring_actor(location, source, username, key)
    backups.require_restore_role(actor)
    revision = backups.check_backup(location, source, key=key)
    if not args.yes:
        if not sys.stdin.isatty():
            raise ConfirmationNeededError("stdin is not a terminal")
        print(
            _("The backup {path} passed its check (schema {revision}).").format(
                path=source, revision=revision
            )
        )
        if not _ask(
            _("Replace the database in {folder} with it? [y/N]").format(folder=location.folder)
        ):
            print(_("Nothing was changed."))
            return 1
    summary = backups.restore_backup(location, source, actor=actor, key=key).value
    print(_("The database was restored from {path}.").format(path=source))
    if summary.kept_aside is not None:
        print(_("The previous database was kept as {path}.").format(path=summary.kept_aside))
    return 0


def _restoring_actor(
    location: DataLocation, source: Path, username: str, key: bytes | None
) -> Actor:
    """Who restores: the user in the current database, or, when there is none (a lost or
    damaged file), the same user in the backup itself."""
    from hemlos_desktop.storage import Database, open_database

    if location.database.exists():
        try:
            db = open_database(location, create=False, migrate=False, key=key)
        except HemlosError:
            pass
        else:
            try:
                return actor_without_sign_in_entry(db, username)
            finally:
                db.dispose()
    import shutil
    import tempfile

    from hemlos_desktop.storage.files import TEMP_PREFIX

    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        probe = DataLocation(Path(tmp))
        probe.folder.chmod(0o700)
        shutil.copyfile(source, probe.database)
        db = Database(probe, key=key)
        try:
            return actor_without_sign_in_entry(db, username)
        finally:
            db.dispose()


def _restore_key(
    args: argparse.Namespace, location: DataLocation, source: Path
) -> tuple[str, bytes | None]:
    """(user, key) for a restore: from the data folder's key file, or else the backup's copy."""
    from hemlos_desktop.storage.backup import keys_companion

    if location.keyslots.exists():
        return unlock_for_command(args, location)
    companion = keys_companion(source)
    if not companion.exists():
        # A plain backup (from before encryption) never becomes the database again.
        from hemlos_desktop.storage.crypto import NotEncryptedError

        raise NotEncryptedError("plain backup")
    import shutil
    import tempfile

    from hemlos_desktop.storage.files import TEMP_PREFIX

    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        probe = DataLocation(Path(tmp))
        shutil.copyfile(companion, probe.keyslots)
        return unlock_for_command(args, probe)


def _cmd_backups(args: argparse.Namespace) -> int:
    from hemlos_desktop import i18n
    from hemlos_desktop.services import backups

    location = location_from(args)
    items = backups.list_backups(location, _configured_backup_dir())
    if not items:
        print(
            _("No backups found in {folder}.").format(
                folder=backups.backup_folder(location, _configured_backup_dir())
            )
        )
        return 0
    translator = i18n.active()
    for item in items:
        note = "  " + _("(before an upgrade)") if item.pre_upgrade else ""
        if item.revoked_slots:
            note += "  " + _("(holds revoked passwords)")
        when = translator.format_datetime(item.created, "short")
        print(f"{when}\t{backups.describe_size(item.size)}\t{item.path}{note}")
    return 0
