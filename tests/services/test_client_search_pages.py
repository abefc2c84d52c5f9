"""The client list's two reads of a search: its first page, and the whole result as an array.

Both must give exactly the ids (and order) of ``search_ids`` for every filter and order.
"""

from __future__ import annotations

import random

import pytest

from hemlos_desktop.demo.data import fill_demo
from hemlos_desktop.services import clients
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
