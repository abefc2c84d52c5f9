"""Change capture of records that bulk work inserts with Core statements (``executemany``),
which the per-object capture after a flush (``storage/change_capture.py``) does not see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from hemlos_desktop.storage.change_capture import (
    _DRAFT_PARTS,
    _NOT_FIELDS,
    DRAFT_TABLES,
    PENDING_INFO_KEY,
    SYNCED_TABLES,
    _Capture,
    _is_draft,
    _references,
    is_immutable,
)


def capture_inserts(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Capture records that bulk work inserted with Core statements (``executemany``), which
    the per-object capture after a flush does not see.

    Each row holds every column of ``table`` as it was written (the id included, Python
    values as the ORM holds them). The outbox rows and field clocks are the same as the
    per-object path writes for the same records (a test compares the two); only the look-ups
    of referred records' uids are made a few hundred at a time. They are written with the
    transaction's other captured changes, in order, when it commits."""
    if table.name not in SYNCED_TABLES or not rows:
        return
    capture = _Capture(session)
    capture.prefetch(table, rows)
    name = table.name
    if name in DRAFT_TABLES or name in _DRAFT_PARTS:
        names = [column.name for column in table.columns]
        for values in rows:
            if not _is_draft(name, values) and not capture.part_of_draft(name, values):
                capture.add(table, "insert", values, names)
    else:
        # What ``add`` does for a whole record, with the table's columns sorted out once:
        # hundreds of thousands of imported records go through here.
        layout = _insert_layout(table)
        hashed = name == "audit_log"
        dates = (dt.datetime, dt.date)
        uid_of, record_uid, client_uid_of = (
            capture.uid_of,
            capture.record_uid,
            capture.client_uid_of,
        )
        append = capture.rows.append
        for values in rows:
            uid = record_uid(table, values)
            if uid is None:
                continue
            fields: dict[str, Any] = {}
            for column, referred in layout:
                value = values.get(column)
                if referred is None:
                    fields[column] = value.isoformat() if isinstance(value, dates) else value
                else:
                    fields[column] = uid_of(referred, value)
                    if hashed:
                        fields[f"hash_{column}"] = value
            append(
                {
                    "table_name": name,
                    "record_uid": uid,
                    "op": "insert",
                    "fields": fields,
                    "immutable": is_immutable(name, values),
                    "client_uid": client_uid_of(name, values),
                }
            )
    session.info.setdefault(PENDING_INFO_KEY, []).extend(capture.rows)


def _insert_layout(table: Table) -> tuple[tuple[str, str | None], ...]:
    """The fields a new record of ``table`` sends, in column order: (column, the table it
    refers to, or None), as ``_Capture.field_values`` decides them."""
    references = _references(table)
    return tuple(
        (column.name, references.get(column.name))
        for column in table.columns
        if column.name not in _NOT_FIELDS or (table.name == "audit_log" and column.name == "id")
    )
