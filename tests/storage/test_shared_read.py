"""Database.reading: the reads of one use case share one session and one snapshot."""

from __future__ import annotations

import pytest
from clientworld import World
from sqlalchemy import func, select

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.models.client import Client
from hemlos_desktop.services.actor import load_visible_client
from hemlos_desktop.storage import Database


def _count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Client)) or 0)


def test_reads_inside_share_one_session_and_outside_do_not(db: Database) -> None:
    with db.reading() as shared:
        with db.read() as first, db.read() as second:
            assert first is shared
            assert second is shared
        with db.reading() as nested:
            assert nested is shared
    with db.read() as first, db.read() as second:
        assert first is not second
        assert first is not shared


def test_the_reads_inside_see_one_snapshot(world: World) -> None:
    world.add("Emma", "Söderström")
    with world.db.reading():
        before = _count(world.db)
        world.add("Olle", "Berg")  # committed by a write transaction meanwhile
        assert _count(world.db) == before
    assert _count(world.db) == before + 1


def test_visibility_is_checked_once_per_shared_read_and_still_refuses(world: World) -> None:
    cid = world.add("Emma", "Söderström", team=world.team_a)
    anna, bo = world.actors["anna"], world.actors["bo"]
    with world.db.reading() as session:
        client = load_visible_client(session, anna, cid)
        assert load_visible_client(session, anna, cid) is client
        # Another actor is checked on its own, and refused without a hint.
        with pytest.raises(NotFoundError):
            load_visible_client(session, bo, cid)
        with pytest.raises(NotFoundError):
            load_visible_client(session, bo, cid)
    # Outside a shared read nothing is kept: a change of team is seen at once.
    with world.db.begin() as session:
        session.get_one(Client, cid).team_id = world.team_b
    with world.db.read() as session, pytest.raises(NotFoundError):
        load_visible_client(session, anna, cid)
    with world.db.read() as session:
        assert load_visible_client(session, bo, cid).id == cid
