"""Facts stored about the database itself (creation, program version, demo flag)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hemlos_desktop import __version__
from hemlos_desktop.models.base import DatabaseInfo, new_uid

CREATED_AT = "created_at"
CREATED_BY_VERSION = "created_by_version"
DATABASE_UID = "database_uid"
IS_DEMO = "is_demo"


def is_initialised(session: Session) -> bool:
    """True when the creation facts are recorded (nothing for ensure_initialised to do)."""
    existing = set(session.scalars(select(DatabaseInfo.key)))
    return {CREATED_AT, CREATED_BY_VERSION, DATABASE_UID} <= existing


def ensure_initialised(session: Session) -> None:
    """Record creation facts on a new database (idempotent)."""
    existing = set(session.scalars(select(DatabaseInfo.key)))
    values = {
        CREATED_AT: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        CREATED_BY_VERSION: __version__,
        DATABASE_UID: new_uid(),
    }
    for key, value in values.items():
        if key not in existing:
            session.add(DatabaseInfo(key=key, value=value))


def get_info(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(DatabaseInfo))}


def set_value(session: Session, key: str, value: str) -> None:
    row = session.get(DatabaseInfo, key)
    if row is None:
        session.add(DatabaseInfo(key=key, value=value))
    else:
        row.value = value


def is_demo(session: Session) -> bool:
    row = session.get(DatabaseInfo, IS_DEMO)
    return row is not None and row.value == "1"
