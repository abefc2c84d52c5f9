"""What push, pull and join share: finding a synced record by its uid, translating references
between uids and local ids, and turning stored values into JSON and back.

Works on any SQLAlchemy ``Connection``: the laptop's SQLite file and the team server's
PostgreSQL hold the same tables, each with its own integer ids. Statements are Core statements
on a plain connection, so nothing written here is captured into the outbox again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Date, DateTime, Table, and_, select
from sqlalchemy.sql.elements import ColumnElement

import hemlos_desktop.models  # noqa: F401  (registers every table)
from hemlos_desktop.models.base import Base
from hemlos_desktop.services.changes import ChangeKind
from hemlos_desktop.storage.change_capture import SYNCED_TABLES

# Fields that are not sent (see change capture): the local id, the identity, the edit time.
NOT_FIELDS = frozenset({"id", "uid", "updated_at"})
# Integer columns that name a record without a foreign key.
LOGICAL_REFS = {("audit_log", "user_id"): "users", ("audit_log", "client_id"): "clients"}
# Records that belong to a client through a parent: table -> (parent table, column).
CLIENT_VIA = {
    "assessment_areas": ("assessments", "assessment_id"),
    "plan_versions": ("plans", "plan_id"),
}
# Records whose visibility follows their client's (the server's row rules of revisions 0013,
# 0018 and 0019): a laptop copies them when the client enters the person's view and removes
# them when the client leaves it. Agenda items and meeting actions name a client too, but
# follow their team's meetings.
CLIENT_RECORDS = frozenset(
    {
        "client_target_groups",
        "housing_periods",
        "journal_entries",
        "outreach_contacts",
        "assessments",
        "plans",
        "client_responsibilities",
        "client_releases",
        "eviction_cases",
        *CLIENT_VIA,
    }
)
# Fields computed from others (search and sort keys): they follow their sources and are never
# shown as a conflict of their own.
DERIVED_FIELDS: dict[str, frozenset[str]] = {
    "clients": frozenset(
        {
            "name_search",
            "first_name_fold",
            "last_name_fold",
            "sort_name",
            "sort_key_sv",
            "sort_key_da",
            "id_search",
            # From the housing periods: each laptop works them out again after a sync.
            "current_housing_code",
            "current_housing_since",
        }
    ),
}
# Facts about one machine that never travel (when the person last signed in here).
LOCAL_FIELDS: dict[str, frozenset[str]] = {"users": frozenset({"last_login_at"})}
# The marker a conflict's resolution travels as (not a table of records).
RESOLUTION_TABLE = "sync_conflicts"

TABLE_KINDS: dict[str, frozenset[ChangeKind]] = {
    "teams": frozenset({ChangeKind.TEAM}),
    "team_members": frozenset({ChangeKind.TEAM, ChangeKind.USERS}),
    "users": frozenset({ChangeKind.USERS}),
    "clients": frozenset({ChangeKind.HEADER}),
    "client_target_groups": frozenset({ChangeKind.HEADER}),
    "housing_periods": frozenset({ChangeKind.HOUSING, ChangeKind.HEADER}),
    "journal_entries": frozenset({ChangeKind.JOURNAL}),
    "outreach_contacts": frozenset({ChangeKind.CONTACTS}),
    "instrument_versions": frozenset({ChangeKind.INSTRUMENT}),
    "assessments": frozenset({ChangeKind.RATING}),
    "assessment_areas": frozenset({ChangeKind.RATING}),
    "plans": frozenset({ChangeKind.PLAN, ChangeKind.DUE}),
    "plan_versions": frozenset({ChangeKind.PLAN, ChangeKind.DUE}),
}


def client_scope(table: Table) -> str | None:
    """The SQL condition that picks the rows of ``table`` belonging to the clients whose
    (server) ids are the parameter ``ids``; None when the table's records do not follow a
    client."""
    if table.name == "clients":
        return "id = ANY(%(ids)s)"
    via = CLIENT_VIA.get(table.name)
    if via is not None:
        parent, column = via
        return f'"{column}" IN (SELECT id FROM "{parent}" WHERE client_id = ANY(%(ids)s))'
    if table.name in CLIENT_RECORDS:
        return "client_id = ANY(%(ids)s)"
    return None


def kinds_of(table: str) -> frozenset[ChangeKind]:
    return TABLE_KINDS.get(table, frozenset({ChangeKind.TEAM}))


def table_of(name: str) -> Table | None:
    if name not in SYNCED_TABLES:
        return None
    return Base.metadata.tables[name]


def referred_table(table: Table, column: Column[Any]) -> str | None:
    fk = next(iter(column.foreign_keys), None)
    if fk is not None:
        return str(fk.column.table.name)
    return LOGICAL_REFS.get((table.name, column.name))


class MissingReference(Exception):
    """A change names a record this side does not hold (not visible, or not arrived yet)."""


class Ids:
    """uid -> local id lookups for one transaction, cached."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._cache: dict[tuple[str, str], int | None] = {}
        self._uids: dict[tuple[str, int], str | None] = {}

    def id_of(self, table: str, uid: str) -> int | None:
        key = (table, uid)
        if key not in self._cache:
            t = Base.metadata.tables[table]
            self._cache[key] = self.conn.execute(select(t.c.id).where(t.c.uid == uid)).scalar()
        return self._cache[key]

    def uid_of(self, table: str, row_id: int | None) -> str | None:
        if row_id is None:
            return None
        key = (table, row_id)
        if key not in self._uids:
            t = Base.metadata.tables[table]
            found = self.conn.execute(select(t.c.uid).where(t.c.id == row_id)).scalar()
            self._uids[key] = None if found is None else str(found)
        return self._uids[key]

    def clear(self) -> None:
        self._cache.clear()
        self._uids.clear()

    def remember(self, table: str, uid: str, row_id: int | None) -> None:
        self._cache[(table, uid)] = row_id
        if row_id is not None:
            self._uids[(table, row_id)] = uid

    def where(self, table: Table, record_uid: str) -> ColumnElement[bool] | None:
        """The row a record uid names here (link tables by their parents' uids and own key);
        None when a parent is not held here."""
        if "uid" in table.c:
            return table.c.uid == record_uid
        parts = record_uid.split("/")
        columns = list(table.primary_key.columns)
        if len(parts) != len(columns):
            return None
        clauses: list[ColumnElement[bool]] = []
        for column, part in zip(columns, parts, strict=True):
            referred = referred_table(table, column)
            if referred is not None:
                row_id = self.id_of(referred, part)
                if row_id is None:
                    return None
                clauses.append(column == row_id)
            else:
                clauses.append(column == part)
        return and_(*clauses)


def record_uid(table: Table, row: Mapping[str, Any], ids: Ids) -> str | None:
    """A stored row's record uid, as change capture names it (link tables: the uids of the
    records they join, and their own key)."""
    if "uid" in table.c:
        return str(row["uid"])
    parts: list[str] = []
    for column in table.primary_key.columns:
        referred = referred_table(table, column)
        if referred is None:
            parts.append(str(row[column.name]))
            continue
        uid = ids.uid_of(referred, row[column.name])
        if uid is None:
            return None
        parts.append(uid)
    return "/".join(parts)


def to_stored(table: Table, name: str, value: Any, ids: Ids) -> Any:
    """A JSON field value as the column stores it here (a uid becomes the local id)."""
    column = table.c[name]
    referred = referred_table(table, column)
    if referred is not None:
        if value is None:
            return None
        row_id = ids.id_of(referred, str(value))
        if row_id is None:
            if column.nullable:
                return None
            raise MissingReference(referred)
        return row_id
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(str(value)) if isinstance(value, str) else value
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(str(value)) if isinstance(value, str) else value
    if isinstance(column.type, Boolean):
        return bool(value)
    return value


def to_plain(table: Table, name: str, value: Any, ids: Ids) -> Any:
    """A stored value as a JSON field value (a local id becomes the uid)."""
    column = table.c[name]
    referred = referred_table(table, column)
    if referred is not None:
        return ids.uid_of(referred, value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def stored_values(table: Table, fields: Mapping[str, Any], ids: Ids) -> dict[str, Any]:
    return {
        name: to_stored(table, name, value, ids)
        for name, value in fields.items()
        if name in table.c and name not in NOT_FIELDS
    }


def current_plain(
    conn: Connection, table: Table, where: ColumnElement[bool], names: list[str], ids: Ids
) -> dict[str, Any] | None:
    """The record's present values of ``names`` as JSON values; None when it is not here."""
    columns = [table.c[name] for name in names if name in table.c]
    if not columns:
        found = conn.execute(select(table).where(where)).first()
        return None if found is None else {}
    row = conn.execute(select(*columns).where(where)).mappings().first()
    if row is None:
        return None
    return {name: to_plain(table, name, row[name], ids) for name in row.keys()}


def same_value(a: Any, b: Any) -> bool:
    """Equal as JSON values (a date and its ISO text are the same value)."""
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def insert_values(
    table: Table, record_uid: str, fields: Mapping[str, Any], ids: Ids
) -> dict[str, Any]:
    """All the columns of a new record: its fields, and its uid (link tables: their key)."""
    values = stored_values(table, fields, ids)
    if "uid" in table.c:
        values["uid"] = record_uid
    return values


def is_derived(table: str, name: str) -> bool:
    return name in DERIVED_FIELDS.get(table, frozenset())


def travelling(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields of a change that travel (local facts left out)."""
    local = LOCAL_FIELDS.get(table)
    if not local:
        return fields
    return {name: value for name, value in fields.items() if name not in local}
