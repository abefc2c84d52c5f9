"""What the team-server sync stands on: the outbox of captured changes and per-field clocks.

Every change to a synced record is written, in the same transaction, as one ``sync_changes`` row
(the outbox): which record (table and global uid), what happened, the new values of the fields
that changed (references to other records given by their uid, never by a local integer id), who
made it (user uid and name), on which machine (``database_info.database_uid``) and when.
``sync_field_clocks`` counts, per record and field, how often the field was changed here: a
sync that later meets two different values compares these clocks to tell "changed on one side
only" (merge by itself) from "changed on both sides" (a conflict to keep).

The rule for the clocks: a clock counts the changes made to a field *after* the record was
created (registered here, or signed: the first time the team sees it). A record with no clock
row for a field has not been changed since its insert — its version is 0 — and the first
update of a field writes version 1, with the number of that update's outbox row. No insert
writes clock rows, by whatever path (the ORM's flush or a bulk import's ``executemany``), nor
does a deletion; records that never change once final (see below) never get any.

Records that never change once final (signed journal entries, signed ratings, agreed plan
versions, access-log entries) are flagged ``immutable``: they cannot conflict.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.models.base import Base, utcnow


class SyncChange(Base):
    """One captured change, waiting in the outbox until the server has taken it."""

    __tablename__ = "sync_changes"
    __table_args__ = (
        Index("ix_sync_changes_unsent", "sent_at", "seq"),
        Index("ix_sync_changes_client_uid", "client_uid"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64))
    record_uid: Mapped[str] = mapped_column(String(80))
    op: Mapped[str] = mapped_column(String(8))  # insert, update, delete
    fields: Mapped[str] = mapped_column(Text)  # JSON object: field -> new value
    immutable: Mapped[bool] = mapped_column(Boolean, default=False)
    # The client the record belongs to (None for teams and users): purging a client removes
    # its captured changes, and the server will decide by it who may receive a change.
    client_uid: Mapped[str | None] = mapped_column(String(36))
    user_uid: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str] = mapped_column(String(64))
    machine_uid: Mapped[str] = mapped_column(String(36))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)


class SyncFieldClock(Base):
    """How many times a field of a record was changed on this machine since the record was
    created (no row: never), and the last change."""

    __tablename__ = "sync_field_clocks"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_uid: Mapped[str] = mapped_column(String(80), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    last_seq: Mapped[int] = mapped_column(Integer)
