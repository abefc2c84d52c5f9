"""Instrument versions stored in the database.

Every version an assessment was rated with is kept as the validated TOML text, never changed, so
history always shows what the rater saw. The shipped files are stored on first use; an
administrator can import an adapted file as a new version (everyone else only reads them).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError, HemlosError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.assessment import InstrumentVersion
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.instrument import (
    INSTRUMENT_SUFFIX,
    SODERMALM_ID,
    Instrument,
    InstrumentError,
    parse_instrument,
)
from hemlos_desktop.models.people import Role
from hemlos_desktop.resources import resource_path
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.storage import Database

SHIPPED = "shipped"
MAX_FILE_BYTES = 1_000_000


class InstrumentVersionExistsError(HemlosError):
    """An import that reuses the id and version of a stored, different instrument."""

    instrument_id: str = ""
    version: int = 0

    def __init__(self, instrument_id: str, version: int) -> None:
        super().__init__("instrument version already stored")
        self.instrument_id = instrument_id
        self.version = version

    def title(self) -> str:
        return _("This instrument version already exists")

    def message(self) -> str:
        return _(
            "Version {version} of the instrument “{id}” is already stored with other content."
        ).format(version=self.version, id=self.instrument_id)

    def advice(self) -> str:
        return _("Give the adapted file a higher “version” number and import it again.")


@dataclass(frozen=True)
class InstrumentVersionInfo:
    id: int
    instrument_id: str
    version: int
    name: str
    source_name: str
    created_at: dt.datetime


@lru_cache(maxsize=64)
def parse_text(text: str, source: str = "") -> Instrument:
    """Validate TOML text as an instrument (:class:`InstrumentError` lists every problem)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(
            source, [_("The file is not valid TOML: {detail}").format(detail=str(exc))]
        ) from exc
    return parse_instrument(data, source=source)


def _shipped_texts() -> list[tuple[str, str]]:
    folder = resource_path("instruments")
    return [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*" + INSTRUMENT_SUFFIX))
    ]


def ensure_shipped(session: Session) -> None:
    """Store each shipped instrument version that is not yet in the database."""
    stored: set[tuple[str, int]] = {
        (iid, version)
        for iid, version in session.execute(
            select(InstrumentVersion.instrument_id, InstrumentVersion.version)
        )
    }
    for name, text in _shipped_texts():
        inst = parse_text(text, name)
        if (inst.id, inst.version) not in stored:
            session.add(
                InstrumentVersion(
                    instrument_id=inst.id,
                    version=inst.version,
                    source_text=text,
                    source_name=SHIPPED,
                )
            )
            stored.add((inst.id, inst.version))
    session.flush()


def instrument_of_row(row: InstrumentVersion) -> Instrument:
    return parse_text(row.source_text, row.source_name)


def version_row(session: Session, instrument_id: str, version: int) -> InstrumentVersion:
    row = session.scalar(
        select(InstrumentVersion).where(
            InstrumentVersion.instrument_id == instrument_id,
            InstrumentVersion.version == version,
        )
    )
    if row is None:
        ensure_shipped(session)
        row = session.scalar(
            select(InstrumentVersion).where(
                InstrumentVersion.instrument_id == instrument_id,
                InstrumentVersion.version == version,
            )
        )
    if row is None:
        raise NotFoundError("instrument version")
    return row


def latest_row(session: Session, instrument_id: str) -> InstrumentVersion:
    ensure_shipped(session)
    newest = session.scalar(
        select(func.max(InstrumentVersion.version)).where(
            InstrumentVersion.instrument_id == instrument_id
        )
    )
    if newest is None:
        raise NotFoundError("instrument")
    return version_row(session, instrument_id, int(newest))


def current_instrument(db: Database, instrument_id: str = SODERMALM_ID) -> Instrument:
    """The newest stored version of the instrument (the shipped one on a new database)."""
    with db.begin() as session:
        return instrument_of_row(latest_row(session, instrument_id))


def instrument_version(db: Database, instrument_id: str, version: int) -> Instrument:
    with db.begin() as session:
        return instrument_of_row(version_row(session, instrument_id, version))


def list_versions(db: Database) -> list[InstrumentVersionInfo]:
    """Every stored instrument version, by id then version."""
    with db.begin() as session:
        ensure_shipped(session)
        rows = session.scalars(
            select(InstrumentVersion).order_by(
                InstrumentVersion.instrument_id, InstrumentVersion.version
            )
        )
        return [
            InstrumentVersionInfo(
                id=row.id,
                instrument_id=row.instrument_id,
                version=row.version,
                name=instrument_of_row(row).label(),
                source_name=row.source_name,
                created_at=row.created_at,
            )
            for row in rows
        ]


def can_import(actor: Actor) -> bool:
    return actor.role is Role.ADMIN


def import_instrument(db: Database, actor: Actor, path: Path) -> Outcome[InstrumentVersionInfo]:
    """Validate an adapted instrument file and store it as a new version (administrators only).

    Importing the same text again changes nothing; another text under a stored id and version
    is refused. Nothing is stored when the file has any problem.
    """
    if not can_import(actor):
        raise AccessDeniedError("only administrators import instruments")
    source = path.name
    try:
        raw = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise InstrumentError(source, [_("The file cannot be read.")]) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise InstrumentError(source, [_("The file is too large to be an instrument.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InstrumentError(source, [_("The file is not UTF-8 text.")]) from exc
    inst = parse_text(text, source)
    with db.begin() as session:
        ensure_shipped(session)
        row = session.scalar(
            select(InstrumentVersion).where(
                InstrumentVersion.instrument_id == inst.id,
                InstrumentVersion.version == inst.version,
            )
        )
        if row is not None and row.source_text != text:
            raise InstrumentVersionExistsError(inst.id, inst.version)
        if row is None:
            row = InstrumentVersion(
                instrument_id=inst.id,
                version=inst.version,
                source_text=text,
                source_name=source[:200],
                imported_by_id=actor.user_id,
            )
            session.add(row)
            session.flush()
            audit.record(session, actor, AuditAction.IMPORT, detail="instrument")
        info = InstrumentVersionInfo(
            id=row.id,
            instrument_id=row.instrument_id,
            version=row.version,
            name=inst.label(),
            source_name=row.source_name,
            created_at=row.created_at,
        )
    return Outcome(info, ChangeSet.of(ChangeKind.INSTRUMENT))


def instrument_version_of(session: Session, instrument_id: str, version: int) -> Instrument:
    """The stored version, parsed (cached by its text)."""
    return instrument_of_row(version_row(session, instrument_id, version))
