"""Health of a database: integrity, schema revision and record counts (``hemlos-desktop check``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from hemlos_desktop import __version__
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.base import Base
from hemlos_desktop.services import database_info
from hemlos_desktop.storage import Database, DataLocation, open_database
from hemlos_desktop.storage.migrate import head_revision, schema_status


@dataclass(frozen=True)
class CheckReport:
    healthy: bool
    program_version: str
    schema_revision: str | None
    schema_head: str
    integrity: str
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    is_demo: bool = False
    error: str | None = None
    # The known error's translated message and advice, for people (not in the JSON).
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


def check_database(location: DataLocation) -> CheckReport:
    """Open without upgrading, run SQLite's integrity check, report revision and counts."""
    head = head_revision()
    if not location.database.exists():
        return CheckReport(False, __version__, None, head, "missing", error="database file missing")
    try:
        db = open_database(location, create=False, migrate=False)
    except HemlosError as exc:
        return CheckReport(
            False,
            __version__,
            None,
            head,
            "unreadable",
            error=type(exc).__name__,
            error_text=exc.full_text(),
        )
    try:
        status = schema_status(db)
        problems = db.integrity_check()
        counts = count_records(db) if status.up_to_date else {}
        with db.read() as session:
            demo = database_info.is_demo(session) if status.current else False
    except HemlosError as exc:
        return CheckReport(
            False,
            __version__,
            None,
            head,
            "unreadable",
            error=type(exc).__name__,
            error_text=exc.full_text(),
        )
    finally:
        db.dispose()
    return CheckReport(
        healthy=not problems,
        program_version=__version__,
        schema_revision=status.current,
        schema_head=head,
        integrity="ok" if not problems else "failed",
        problems=problems,
        counts=counts,
        is_demo=demo,
    )
