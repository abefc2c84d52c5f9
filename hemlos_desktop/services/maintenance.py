"""Health of a database: integrity, schema revision and record counts (``hemlos-desktop check``)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import func, select

from hemlos_desktop import __version__
from hemlos_desktop.errors import DataFolderError, HemlosError, NewerSchemaError
from hemlos_desktop.i18n import N_
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.base import Base
from hemlos_desktop.services import database_info
from hemlos_desktop.storage import Database, DataLocation, open_database
from hemlos_desktop.storage.migrate import head_revision, schema_status

# Integrity results: stable English words in JSON, translated when shown to people.
INTEGRITY_OK = "ok"
INTEGRITY_FAILED = "failed"
INTEGRITY_MISSING = "missing"
INTEGRITY_UNREADABLE = "unreadable"
INTEGRITY_NOT_CHECKED = "not checked"
_INTEGRITY_TEXTS = {
    INTEGRITY_OK: N_("ok"),
    INTEGRITY_FAILED: N_("problems found"),
    INTEGRITY_MISSING: N_("database file missing"),
    INTEGRITY_UNREADABLE: N_("unreadable"),
    INTEGRITY_NOT_CHECKED: N_("not checked"),
}


def integrity_text(integrity: str) -> str:
    """The translated word for an integrity result."""
    return _(_INTEGRITY_TEXTS.get(integrity, integrity))


@dataclass(frozen=True)
class CheckReport:
    """The result of ``check_database``. No personal data: names, counts and codes only.

    ``error`` is the name of the known error that stopped the check (for JSON);
    ``error_text`` is its translated message and advice (for people).
    """

    healthy: bool
    program_version: str
    schema_revision: str | None
    schema_head: str
    integrity: str
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    is_demo: bool = False
    error: str | None = None
    error_text: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "healthy": self.healthy,
            "program_version": self.program_version,
            "schema_revision": self.schema_revision,
            "schema_head": self.schema_head,
            "schema_up_to_date": self.schema_revision == self.schema_head,
            "integrity": self.integrity,
            "problems": self.problems,
            "counts": self.counts,
            "is_demo": self.is_demo,
            "error": self.error,
        }


def count_records(db: Database) -> dict[str, int]:
    counts: dict[str, int] = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(session.scalar(select(func.count()).select_from(table)) or 0)
    return counts


def _failed(head: str, integrity: str, error: HemlosError) -> CheckReport:
    if isinstance(error, NewerSchemaError):
        integrity = INTEGRITY_NOT_CHECKED
    return CheckReport(
        healthy=False,
        program_version=__version__,
        schema_revision=None,
        schema_head=head,
        integrity=integrity,
        error=type(error).__name__,
        error_text=error.full_text(),
    )


def _folder_problem(location: DataLocation) -> DataFolderError | None:
    folder = location.folder
    if not folder.exists():
        return None
    if not folder.is_dir() or not os.access(folder, os.R_OK | os.X_OK):
        return DataFolderError("data folder is not a readable folder")
    return None


def check_database(location: DataLocation, *, key: bytes | None = None) -> CheckReport:
    """Open without upgrading or creating anything, run SQLite's integrity check, report the
    schema revision and the number of records per table."""
    head = head_revision()
    folder_error = _folder_problem(location)
    if folder_error is not None:
        return _failed(head, INTEGRITY_UNREADABLE, folder_error)
    if not location.database.exists():
        return CheckReport(
            healthy=False,
            program_version=__version__,
            schema_revision=None,
            schema_head=head,
            integrity=INTEGRITY_MISSING,
            error="DatabaseFileMissing",
            error_text=_(
                "There is no database file in the data folder. Check the folder given with "
                "--data-dir or HEMLOS_DATA_DIR."
            ),
        )
    try:
        db = open_database(location, create=False, migrate=False, key=key)
    except HemlosError as exc:
        return _failed(head, INTEGRITY_UNREADABLE, exc)
    try:
        status = schema_status(db)
        problems = db.integrity_check()
        counts = count_records(db) if status.up_to_date else {}
        with db.read() as session:
            demo = database_info.is_demo(session) if status.current else False
    except HemlosError as exc:
        return _failed(head, INTEGRITY_UNREADABLE, exc)
    finally:
        db.dispose()
    return CheckReport(
        healthy=not problems,
        program_version=__version__,
        schema_revision=status.current,
        schema_head=head,
        integrity=INTEGRITY_OK if not problems else INTEGRITY_FAILED,
        problems=problems,
        counts=counts,
        is_demo=demo,
    )
