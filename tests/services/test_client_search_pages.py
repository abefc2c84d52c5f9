"""The client list's two reads of a search: its first page, and the whole result as an array.

Both must give exactly the ids (and order) of ``search_ids`` for every filter and order.
"""

from __future__ import annotations

import random

import pytest

from hemlos_desktop.demo.data import fill_demo
from hemlos_desktop.services import client_search, clients
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import ClientQuery, SortKey
from hemlos_desktop.services.users import actor_by_username
from hemlos_desktop.storage import Database

TEXTS = ("", "s", "sö", "Söderström", "söderström, emma", "19", "1985", "oe", "aa", "zzz")


@pytest.fixture
def register(db: Database) -> tuple[Database, Actor]:
    fill_demo(db, random.Random(11), 300)
    return db, actor_by_username(db, "lead")


@pytest.mark.parametrize("sort", list(SortKey))
def test_first_page_and_whole_array_equal_the_search(
    register: tuple[Database, Actor], sort: SortKey
) -> None:
    db, actor = register
    for text in TEXTS:
        for descending in (False, True):
            query = ClientQuery(text=text, sort=sort, descending=descending)
            expected = clients.search_ids(db, actor, query)
            assert list(clients.search_id_array(db, actor, query)) == expected, (text, sort)
            for limit in (1, 7, 200):
                first = clients.search_first(db, actor, query, limit=limit)
                assert first == expected[:limit], (text, sort, limit)


def test_the_array_is_empty_when_nothing_matches(register: tuple[Database, Actor]) -> None:
    db, actor = register
    assert len(clients.search_id_array(db, actor, ClientQuery(text="qqqqqq"))) == 0
    assert clients.search_first(db, actor, ClientQuery(text="qqqqqq"), limit=5) == []


@pytest.mark.parametrize("sort", [SortKey.NAME, SortKey.BIRTH_DATE, SortKey.RESPONSIBLE])
def test_a_common_term_read_in_list_order_finds_the_same(
    register: tuple[Database, Actor], sort: SortKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A term the index finds for many clients is read another way (the list's index walked in
    order); the ids and their order are the same as fetched by id and sorted."""
    db, actor = register
    texts = ("söd", "son", "198", "1985", "emma", "zzz")
    queries = [ClientQuery(text=t, sort=sort, descending=d) for t in texts for d in (False, True)]
    by_id = [clients.search_ids(db, actor, q) for q in queries]
    assert any(len(ids) > 20 for ids in by_id)  # some terms are common in this register
    monkeypatch.setattr(client_search, "MANY_MATCHES", 20)
    with db.read() as session:
        common = [
            (text, client_search.matches_many(session, client_search.search_match(text) or ""))
            for text in texts
        ]
        assert any(many for _text, many in common) and not all(many for _text, many in common)
    for query, expected in zip(queries, by_id, strict=True):
        assert clients.search_ids(db, actor, query) == expected, query
        assert clients.search_first(db, actor, query, limit=7) == expected[:7], query
