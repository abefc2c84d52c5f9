"""The client search index: an FTS5 table with the trigram tokenizer, kept in step by triggers.

The table ``client_search`` has one row per client (its rowid is the client's id) with two
columns: ``names`` (the accent-free name and alias, ``clients.name_search``) and ``numbers`` (the
digit forms of the identity number, ``clients.id_search``). Every word is written with two
spaces before it, so the same index answers two kinds of question:

* a search term of three or more characters matches anywhere in a word (a trigram phrase is a
  substring match, exactly what ``LIKE '%term%'`` matched before the index existed);
* a term of one or two characters matches the start of a word: ``"  s"`` (two spaces and the
  letter) is a trigram that only occurs where a word begins, so even a single letter is answered
  from the index instead of a scan of the register.

Triggers on ``clients`` keep the index in step in the same transaction as every insert, change
and delete, whoever writes (services, imports, demo data, retention). FTS5's ``secure-delete``
option removes a deleted client's terms from the index itself, not only from its row.

Batch migrations (``render_as_batch``) copy the ``clients`` table and lose its triggers, so
:func:`ensure` runs after every schema upgrade and puts back whatever is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

TABLE = "client_search"
# The tables FTS5 keeps behind the virtual table (they are not part of the ORM's metadata).
SHADOW_SUFFIXES = ("", "_data", "_idx", "_content", "_docsize", "_config")

# Names as ``models.text.search_fold`` reads a search ('aa' as 'a', 'oe' as 'o').
_NAMES = "'  ' || replace(replace(replace({row}.name_search, 'aa', 'a'), 'oe', 'o'), ' ', '  ')"
_NUMBERS = "'  ' || replace({row}.id_search, ' ', '  ')"

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(names, numbers, tokenize='trigram')"
)
TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO {TABLE}(rowid, names, numbers)
    VALUES (new.id, {_NAMES.format(row="new")}, {_NUMBERS.format(row="new")});
END""",
    f"""CREATE TRIGGER IF NOT EXISTS clients_search_delete AFTER DELETE ON clients BEGIN
    DELETE FROM {TABLE} WHERE rowid = old.id;
END""",
    f"""CREATE TRIGGER IF NOT EXISTS clients_search_update
AFTER UPDATE OF name_search, id_search ON clients BEGIN
    UPDATE {TABLE} SET names = {_NAMES.format(row="new")}, numbers = {_NUMBERS.format(row="new")}
    WHERE rowid = new.id;
END""",
)
FILL = (
    f"INSERT INTO {TABLE}(rowid, names, numbers) "
    f"SELECT id, {_NAMES.format(row='clients')}, {_NUMBERS.format(row='clients')} FROM clients"
)


def is_search_table(name: str | None) -> bool:
    """True for the index's own tables (left out when the ORM's schema is compared)."""
    return name is not None and any(name == TABLE + suffix for suffix in SHADOW_SUFFIXES)


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: the index's tables are not the ORM's to compare."""
    return not (type_ == "table" and is_search_table(name))


def create(execute: Any) -> None:
    """Create the index, fill it from ``clients`` and add the triggers.

    ``execute`` runs one SQL statement (a DB-API connection's or Alembic's ``execute``).
    """
    execute(CREATE_TABLE)
    execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('secure-delete', 1)")
    execute(f"DELETE FROM {TABLE}")
    execute(FILL)
    for trigger in TRIGGERS:
        execute(trigger)


def drop(execute: Any) -> None:
    for name in ("clients_search_insert", "clients_search_delete", "clients_search_update"):
        execute(f"DROP TRIGGER IF EXISTS {name}")
    execute(f"DROP TABLE IF EXISTS {TABLE}")


def ensure(connection: Any) -> None:
    """After an upgrade: if the index exists, put back any trigger a table copy dropped and,
    if it was dropped, fill the index again (a write may have happened without it)."""
    names = {
        str(row[0])
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
        )
    }
    if TABLE not in names:
        return
    wanted = {"clients_search_insert", "clients_search_delete", "clients_search_update"}
    if wanted <= names:
        return
    create(connection.exec_driver_sql)


@contextmanager
def bulk_load(connection: Any) -> Iterator[None]:
    """Inside one write transaction: insert many clients without updating the index row by
    row, then build it for the whole table at once (a tenth of the cost for a demo register)."""
    for name in ("clients_search_insert", "clients_search_delete", "clients_search_update"):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    yield
    create(connection.exec_driver_sql)


def phrase(term: str, *, word_start: bool) -> str:
    """An FTS5 string for ``term`` (quotes doubled); a word start gets its two spaces."""
    quoted = term.replace('"', '""')
    return f'"  {quoted}"' if word_start else f'"{quoted}"'
