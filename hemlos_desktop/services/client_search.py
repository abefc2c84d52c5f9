"""Running a client search: the FTS5 query for the typed text, and cancelling a stale search.

``services.clients`` builds the statements (filters, visibility, order); this module turns the
typed words into a query of the search index (``storage.search_index``) and runs the id
statements on the DB-API connection, where a newer keystroke can stop them.
"""

from __future__ import annotations

import sys
import threading
from array import array
from typing import Any

from sqlalchemy import Select, literal_column, select, table, text
from sqlalchemy.orm import Session

from hemlos_desktop.models.identity import search_keys
from hemlos_desktop.models.text import search_fold
from hemlos_desktop.storage import search_index
from hemlos_desktop.storage.connection import dbapi

MAX_SEARCH_TOKENS = 6
MAX_SEARCH_LENGTH = 200

# A search term that matches more clients than this ("198", "son") is answered by reading the
# list's own index in order and keeping what the search index found, which stops after the first
# page; fetching every match by id and sorting them costs time in proportion to the matches
# (70 ms for 35,000 of 200,000 clients, against 9 ms read in order).
MANY_MATCHES = 10_000

# Characters around a word that the list shows but the index does not hold ("Söderström, Emma").
_PUNCTUATION = ",;()"


class SearchCancelled(Exception):
    """A search was stopped because a newer one replaced it (not an error to show)."""


class SearchCancel:
    """Set from another thread to stop a search that is still running (a newer keystroke)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def _tokens(text: str) -> list[str]:
    """The words of a search; commas and semicolons separate words too ("söderström,emma")."""
    cleaned = text[:MAX_SEARCH_LENGTH].replace(",", " ").replace(";", " ")
    return cleaned.split()[:MAX_SEARCH_TOKENS]


def search_match(text: str) -> str | None:
    """The FTS5 query for the search text, or None when the text searches for nothing.

    Every word of the text must match (AND). A word of digits is a number: its digits match
    the number forms; a word of letters and digits matches a reserve number or a name that
    holds digits; any other word matches the name and alias, accents and case ignored, 'oe'
    read as 'ø' and 'aa' as 'å' (``search_fold``). A term of three or more characters matches
    anywhere in a word; one of one or two characters matches the start of a word ("so" finds
    Söderström, not Jonsson).
    """
    phrases: list[str] = []
    for token in _tokens(text):
        alternatives = [
            f"{column} : {search_index.phrase(term, word_start=len(term) < 3)}"
            for column, term in _terms(token)
        ]
        if len(alternatives) > 1:
            phrases.append("(" + " OR ".join(alternatives) + ")")
        elif alternatives:
            phrases.append(alternatives[0])
    return " AND ".join(phrases) or None


def _terms(token: str) -> list[tuple[str, str]]:
    """What one word of a search looks for, as (index column, term) pairs, any of which may
    match. A number written with digits alone ("850312-1234") matches the number forms only,
    never a name; a word of letters and digits is a reserve number ("KOM-0042") or a name that
    holds digits ("Efternamn39"), so it matches either; a word without digits is a name."""
    keys = search_keys(token)
    name = search_fold(token.strip(_PUNCTUATION))
    if keys and not any(c.isalpha() for c in token):
        return [("numbers", keys[0])]
    if keys:
        return [("names", name), ("numbers", keys[0])] if name else [("numbers", keys[0])]
    return [("names", name)] if name else []


def is_broad(text: str) -> bool:
    """True when no word of the search has three characters (only start-of-word terms)."""
    lengths = [max((len(t) for _c, t in _terms(token)), default=0) for token in _tokens(text)]
    return all(length < 3 for length in lengths)


def matches_many(session: Session, match: str) -> bool:
    """Whether the index finds more than :data:`MANY_MATCHES` clients for the FTS5 query
    ``match`` (it counts no further, so the answer costs little however common the term)."""
    sql = (
        f"SELECT count(*) FROM (SELECT rowid FROM {search_index.TABLE} "
        f"WHERE {search_index.TABLE} MATCH :match LIMIT :limit)"
    )
    found = session.execute(text(sql), {"match": match, "limit": MANY_MATCHES + 1}).scalar()
    return int(found or 0) > MANY_MATCHES


def matching_ids(match: str) -> Select[Any]:
    """The ids of the clients the search index finds for the FTS5 query ``match``."""
    return (
        select(literal_column("rowid"))
        .select_from(table(search_index.TABLE))
        .where(literal_column(search_index.TABLE).op("MATCH")(match))
    )


def _compiled(session: Session, stmt: Select[Any]) -> tuple[Any, str, tuple[Any, ...]]:
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    values = tuple(params[name] for name in compiled.positiontup or [])
    return connection.connection.driver_connection, str(compiled), values


def _run(raw: Any, sql: str, values: tuple[Any, ...], cancel: SearchCancel | None) -> list[Any]:
    if cancel is not None:
        raw.set_progress_handler(lambda: int(cancel.cancelled), _CANCEL_CHECK_STEPS)
    try:
        return list(raw.execute(sql, values))
    except dbapi.OperationalError:
        if cancel is not None and cancel.cancelled:
            raise SearchCancelled from None
        raise
    finally:
        if cancel is not None:
            raw.set_progress_handler(None, 0)


def run_ids(session: Session, stmt: Select[Any], cancel: SearchCancel | None) -> list[int]:
    """Run the id query on the session's DB-API connection: a list of 200,000 ids is read as
    plain tuples, without building a result row object for each."""
    raw, sql, values = _compiled(session, stmt)
    return [row[0] for row in _run(raw, sql, values, cancel)]


def run_id_array(session: Session, stmt: Select[Any], cancel: SearchCancel | None) -> array[int]:
    """All ids of the id query, in its order, as a compact array: SQLite writes them as one
    string of fixed-width hexadecimal numbers (the subquery's order is the order it reads its
    rows in), so 200,000 ids cost one value and 1.6 MB instead of 200,000 Python objects."""
    raw, sql, values = _compiled(session, stmt)
    wrapped = f"SELECT group_concat(printf('%016x', id), '') FROM ({sql})"
    rows = _run(raw, wrapped, values, cancel)
    ids: array[int] = array("q")
    text = rows[0][0] if rows else None
    if text:
        ids.frombytes(bytes.fromhex(text))
        if sys.byteorder == "little":
            ids.byteswap()
    return ids


# SQLite virtual-machine steps between two looks at the cancel flag (well under a millisecond).
_CANCEL_CHECK_STEPS = 1000
