"""The sync engine's own records: on the team server and on each laptop.

On the **team server** (PostgreSQL):

* ``sync_log``: every change the server accepted, keyed by the machine that made it and its
  outbox number ``(machine_uid, seq)`` (a change sent twice is stored once), numbered by the
  server in the order it was accepted (``server_seq``). ``status`` says whether it was applied
  or refused (the person's rights), ``held`` names the fields whose value was held back because
  another machine had changed the same field since this change's base (a conflict).
* ``sync_field_state``: which accepted change last set each field of each record (and on which
  machine), to tell "changed since your base" from "not changed".

On a **laptop** (SQLite):

* ``sync_field_base``: the server number of the value each field here is based on (missing:
  the number the laptop joined at).
* ``sync_conflicts``: both values of a field that two machines changed while apart, who, when
  and on which machine, until someone decides.

The tables exist in both kinds of database (one schema for both); each side uses its own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.models.base import Base, utcnow

# A 64-bit number on PostgreSQL; SQLite's integer primary key is 64-bit already.
ServerSeq = BigInteger().with_variant(Integer(), "sqlite")


class SyncLogEntry(Base):
    """One change the team server accepted (server side)."""

    __tablename__ = "sync_log"
    __table_args__ = (UniqueConstraint("machine_uid", "seq"),)

    server_seq: Mapped[int] = mapped_column(ServerSeq, primary_key=True, autoincrement=True)
    machine_uid: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(64))
    record_uid: Mapped[str] = mapped_column(String(80))
    op: Mapped[str] = mapped_column(String(8))
    fields: Mapped[str] = mapped_column(Text)  # JSON: field -> value (references as uids)
    base: Mapped[str] = mapped_column(Text)  # JSON: field -> server_seq the value was based on
    held: Mapped[str] = mapped_column(Text)  # JSON: field -> the value kept instead, and whose
    immutable: Mapped[bool] = mapped_column(Boolean, default=False)
    client_uid: Mapped[str | None] = mapped_column(String(36))
    user_uid: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    pushed_by: Mapped[str] = mapped_column(String(64))  # the role that sent it
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10))  # applied, refused


class SyncFieldState(Base):
    """The accepted change that last set a field of a record (server side)."""

    __tablename__ = "sync_field_state"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_uid: Mapped[str] = mapped_column(String(80), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    server_seq: Mapped[int] = mapped_column(ServerSeq)
    machine_uid: Mapped[str] = mapped_column(String(36))


class SyncFieldBase(Base):
    """The server change a field's value on this laptop is based on (laptop side)."""

    __tablename__ = "sync_field_base"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_uid: Mapped[str] = mapped_column(String(80), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    server_seq: Mapped[int] = mapped_column(Integer)


class SyncConflict(Base):
    """A field two machines changed while apart: both values, until someone decides."""

    __tablename__ = "sync_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    table_name: Mapped[str] = mapped_column(String(64))
    record_uid: Mapped[str] = mapped_column(String(80), index=True)
    field: Mapped[str] = mapped_column(String(64))
    client_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    current_value: Mapped[str] = mapped_column(Text)  # JSON
    current_username: Mapped[str] = mapped_column(String(64))
    current_machine: Mapped[str] = mapped_column(String(36))
    current_at: Mapped[dt.datetime] = mapped_column(DateTime)
    held_value: Mapped[str] = mapped_column(Text)  # JSON
    held_username: Mapped[str] = mapped_column(String(64))
    held_machine: Mapped[str] = mapped_column(String(36))
    held_at: Mapped[dt.datetime] = mapped_column(DateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolution: Mapped[str] = mapped_column(String(12), default="")
