"""Declarative base, naming convention and shared column helpers.

Only portable SQLAlchemy types are used, so the same schema can later live on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_uid() -> str:
    """Globally unique id, so records made on different laptops never collide when merged.

    A random (version 4) UUID in its usual text form, written out directly: demo databases make
    millions of them and ``str(uuid.uuid4())`` costs three times as much.
    """
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


_VARIANT = "89ab"


def ordered_uids(count: int) -> list[str]:
    """``count`` globally unique ids in ascending order, for records written in bulk (an
    import of hundreds of thousands of clients): time-ordered (version 7) UUIDs, the
    milliseconds of now followed by a random start counted up by one for each id.

    Random ids would land all over every index keyed by them (the uid's own, the outbox's
    field clocks and client numbers), which grows slower and slower as those indexes outgrow
    the page cache; ids in order are appended in runs. Made on different laptops they still
    never collide: each call starts its counter at 64 random bits."""
    millis = time.time_ns() // 1_000_000 & 0xFFFF_FFFF_FFFF
    # 74 bits after the version and variant: the top ten start at zero, leaving room for
    # 2**73 ids before the counter could carry into the version or variant bits.
    start = int.from_bytes(os.urandom(8)) & ((1 << 64) - 1)
    uids: list[str] = []
    for n in range(count):
        counter = start + n
        high, low = counter >> 62, counter & ((1 << 62) - 1)
        value = (millis << 80) | (7 << 76) | (high << 64) | (2 << 62) | low
        h = f"{value:032x}"
        uids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return uids


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UidMixin:
    """A stable, globally unique id beside the compact integer primary key."""

    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DatabaseInfo(Base):
    """Facts about the database itself (key/value): when and by which version it was made,
    whether it is a demo database, and the id of this copy."""

    __tablename__ = "database_info"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(400))
