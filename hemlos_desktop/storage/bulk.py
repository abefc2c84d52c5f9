"""Bulk inserts for generated data (demo databases, benchmarks).

The ORM's bulk insert turns rows without a primary key into one statement each, and even a
Core insert spends most of its time converting each value in Python. Generated rows are plain
values, so they go to SQLite as one prepared statement (``executemany``) with dates written the
way SQLAlchemy writes them; that is what lets a 200,000-client demo database be written in well
under a minute.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Date, DateTime
from sqlalchemy.orm import Session


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _datetime(value: dt.datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format.
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _converter(column: Any) -> Callable[[Any], Any] | None:
    if isinstance(column.type, DateTime):
        return _datetime
    if isinstance(column.type, Date):
        return _date
    return None


def _constant(value: Any) -> Any:
    return value


def _filled_defaults(table: Any, keys: list[str]) -> dict[str, Callable[[], Any]] | None:
    """For each column left out that has a Python-side default, how to make its value; None
    when a default is something only SQLAlchemy can compute (a SQL expression)."""
    made: dict[str, Callable[[], Any]] = {}
    for column in table.columns:
        default = column.default
        if default is None or column.name in keys:
            continue
        if getattr(default, "is_scalar", False):
            made[column.name] = functools.partial(_constant, default.arg)
        elif getattr(default, "is_callable", False):
            made[column.name] = functools.partial(default.arg, None)
        else:
            return None
    return made


def insert_rows(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table in the session's
    transaction. A column left out that has a Python-side default gets it as SQLAlchemy
    would give it (a constant, or the default function called for each row)."""
    if not rows:
        return
    table = model.__table__
    keys = list(rows[0])
    defaults = _filled_defaults(table, keys)
    connection = session.connection()
    if defaults is None:
        connection.execute(table.insert(), list(rows))
        return
    columns = ", ".join(f'"{key}"' for key in [*keys, *defaults])
    marks = ", ".join("?" for _key in [*keys, *defaults])
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    # Only the date and time columns are converted, each distinct value once.
    converting: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = [
        (position, function, {})
        for position, key in enumerate(keys)
        if (function := _converter(table.columns[key])) is not None
    ]
    made = list(defaults.values())
    values: list[tuple[Any, ...]] = []
    append = values.append
    for row in rows:
        cells = [row[key] for key in keys]
        for position, function, cache in converting:
            raw = cells[position]
            if raw is not None:
                done = cache.get(raw)
                if done is None:
                    done = cache[raw] = function(raw)
                cells[position] = done
        for make in made:
            cells.append(make())
        append(tuple(cells))
    connection.exec_driver_sql(sql, values)


@contextmanager
def deferred_indexes(connection: Any, tables: Sequence[str]) -> Iterator[None]:
    """Inside one write transaction: drop the named tables' secondary indexes, and create them
    again from their own stored SQL when the block ends. Building an index once over sorted
    rows is many times cheaper than keeping it in step row by row with random keys (names,
    uids); as both happen in the caller's transaction, a failure or a kill leaves the indexes
    as they were. Indexes that belong to a constraint (UNIQUE, the primary key) stay."""
    marks = ", ".join("?" for _table in tables)
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        tuple(tables),
    ).all()
    for name, _sql in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in found:
        connection.exec_driver_sql(sql)


BULK_CACHE_KIB = 262144


@contextmanager
def large_cache(connection: Any, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A larger page cache for one big write transaction: the indexes it adds to with random
    keys (uids, names) would otherwise be spilled to the write-ahead
    log and read back again and again once they outgrow the usual cache."""

    connection.exec_driver_sql(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        usual_cache(connection)


def usual_cache(connection: Any) -> None:
    """The connection's usual page cache again, inside ``large_cache`` too: before building
    indexes at the end of a big transaction, whose sorts take memory of their own beside the
    cache (the pages written so far go to the write-ahead log instead of staying in memory)."""
    from hemlos_desktop.storage.connection import CACHE_KIB

    connection.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")


@functools.lru_cache(maxsize=64)
def tuple_insert_sql(table: Any, columns: tuple[str, ...]) -> str:
    """The INSERT for rows given as tuples in the order of ``columns``, for generators that
    make the stored values themselves (dates as ISO text, times as SQLAlchemy writes them).
    Every column left out must have no Python-side default: such a value would be lost."""
    unknown = [name for name in columns if name not in table.columns]
    if unknown:
        raise ValueError(f"{table.name} has no columns {unknown}")
    missing = [
        column.name
        for column in table.columns
        if column.name not in columns and column.default is not None
    ]
    if missing:
        raise ValueError(f"{table.name}: columns with defaults left out: {missing}")
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _name in columns)
    return f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'


def insert_tuples(
    dbapi_connection: Any, model: Any, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples of stored values in the order of ``columns``) into ``model``'s
    table through the DB-API connection of the caller's transaction: no conversion at all."""
    if rows:
        dbapi_connection.executemany(tuple_insert_sql(model.__table__, columns), rows)


def datetime_text(value: dt.datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (the DATETIME storage format)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")
