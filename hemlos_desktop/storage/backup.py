"""Consistent copies of the database through SQLite's online backup API.

A copy is written under a temporary name, checked, flushed and then renamed, so a crash never
leaves a half copy under the final name. Copies of an encrypted database are encrypted with
the same key.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.storage.database import Database
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import fsync_dir

log = logging.getLogger(__name__)


class BackupVerificationError(HemlosError):
    def title(self) -> str:
        from hemlos_desktop.i18n import gettext as _

        return _("The backup could not be verified")

    def message(self) -> str:
        from hemlos_desktop.i18n import gettext as _

        return _("The backup copy failed its check and was not kept.")


def timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def copy_database(db: Database, target: Path) -> Path:
    """Write a verified, consistent copy of ``db`` to ``target`` (atomically)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        src = db.raw_connection()
        try:
            dst = db.connect_file(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                result = dst.execute("PRAGMA quick_check").fetchone()
            finally:
                dst.close()
        finally:
            src.close()
        if result is None or result[0] != "ok":
            raise BackupVerificationError("quick_check failed on copy")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except HemlosError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        known = classify(exc)
        if known is None:
            raise
        raise known from exc
    log.info("database copied to backup folder (%s)", target.name)
    return target
