"""Change capture: every change to a synced record is in the outbox, attributed, in the same
transaction; drafts stay local; references travel as uids; purges leave nothing behind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from clientworld import World
from sqlalchemy import func, select

from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.base import Base
from hemlos_desktop.models.client import Client, Gender, JournalCategory, TargetGroup
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.sync import SyncChange, SyncFieldClock
from hemlos_desktop.services import assessments, instruments, journal
from hemlos_desktop.services.clients import update_client
from hemlos_desktop.services.database_info import DATABASE_UID, get_info
from hemlos_desktop.services.sync import OutboxStatus, outbox_status
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.change_capture import (
    LOCAL_TABLES,
    SYNCED_TABLES,
)


def _changes(db: Database, table: str | None = None) -> list[Any]:
    """The captured changes, oldest first (plain copies of the rows)."""
    query = select(*SyncChange.__table__.columns).order_by(SyncChange.seq)
    if table is not None:
        query = query.where(SyncChange.table_name == table)
    with db.read() as s:
        return [SimpleNamespace(**row) for row in s.execute(query).mappings()]


def _client_input(world: World, client_id: int, **changes: Any) -> ClientInput:
    with world.db.read() as s:
        first, last, team, responsible, gender = s.execute(
            select(
                Client.first_name,
                Client.last_name,
                Client.team_id,
                Client.responsible_user_id,
                Client.gender,
            ).where(Client.id == client_id)
        ).one()
    # The form sends the record's current team and responsible person back unchanged (a new
    # client is its author's; only leads and administrators may change either).
    base = ClientInput(
        id_kind=IdKind.NONE,
        first_name=first,
        last_name=last,
        team_id=team,
        responsible_user_id=responsible,
        gender=Gender(gender),
    )
    return dataclasses.replace(base, **changes)


def test_new_client_is_captured_whole_and_attributed(world: World) -> None:
    client_id = world.add("Astrid", "Berg", by="anna")
    with world.db.read() as s:
        client_uid = s.scalar(select(Client.uid).where(Client.id == client_id))
        anna_uid = s.scalar(select(User.uid).where(User.username == "anna"))
        team_uid = s.scalar(select(Team.uid).where(Team.id == world.team_a))
        machine = get_info(s)[DATABASE_UID]
    [change] = _changes(world.db, "clients")
    assert change.op == "insert"
    assert change.record_uid == client_uid
    assert change.client_uid == client_uid
    assert (change.username, change.user_uid, change.machine_uid) == ("anna", anna_uid, machine)
    assert change.sent_at is None and not change.immutable
    fields = json.loads(change.fields)
    assert fields["first_name"] == "Astrid"
    # References to other records travel as their uid, never as a local integer id.
    assert fields["team_id"] == team_uid
    assert fields["created_by_id"] == anna_uid
    assert "id" not in fields and "uid" not in fields
    # Each access-log entry is captured too, and flagged as never changing.
    audit = _changes(world.db, "audit_log")
    assert audit and all(c.immutable for c in audit)
    # A record just created has no field clocks: none of its fields was changed after it.
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(SyncFieldClock)) == 0


def test_update_records_only_changed_fields_and_bumps_their_clocks(world: World) -> None:
    client_id = world.add("Astrid", "Berg", by="anna")
    update_client(world.db, world.actors["anna"], client_id, _client_input(world, client_id))
    update_client(
        world.db,
        world.actors["lead"],
        client_id,
        _client_input(world, client_id, phone="070 123 45 67"),
    )
    updates = [c for c in _changes(world.db, "clients") if c.op == "update"]
    assert len(updates) == 1  # saving unchanged data changes nothing
    assert json.loads(updates[0].fields) == {"phone": "070 123 45 67"}
    assert updates[0].username == "lead"
    with world.db.read() as s:
        clocks = {
            c.field: c.version
            for c in s.scalars(
                select(SyncFieldClock).where(SyncFieldClock.record_uid == updates[0].record_uid)
            )
        }
    # A clock counts the changes after the insert: one so far, on the phone alone.
    assert clocks == {"phone": 1}
    update_client(
        world.db,
        world.actors["anna"],
        client_id,
        _client_input(world, client_id, phone="070 765 43 21", first_name="Astri"),
    )
    with world.db.read() as s:
        last_seq = s.scalar(
            select(func.max(SyncChange.seq)).where(
                SyncChange.table_name == "clients", SyncChange.op == "update"
            )
        )
        versions = {
            c.field: (c.version, c.last_seq)
            for c in s.scalars(
                select(SyncFieldClock).where(SyncFieldClock.record_uid == updates[0].record_uid)
            )
        }
    # The name's derived search keys changed with it; nothing else has a clock.
    assert versions == {
        "phone": (2, last_seq),
        "first_name": (1, last_seq),
        "first_name_fold": (1, last_seq),
        "name_search": (1, last_seq),
    }


def test_target_groups_are_identified_by_client_uid_and_removals_captured(world: World) -> None:
    client_id = world.add(
        "Astrid", "Berg", by="anna", target_groups=frozenset({TargetGroup.OVER_65})
    )
    update_client(
        world.db,
        world.actors["anna"],
        client_id,
        _client_input(world, client_id, target_groups=frozenset({TargetGroup.YOUNG_ADULT})),
    )
    with world.db.read() as s:
        uid = s.scalar(select(Client.uid).where(Client.id == client_id))
    ops = {(c.op, c.record_uid) for c in _changes(world.db, "client_target_groups")}
    assert ("insert", f"{uid}/over_65") in ops
    assert ("delete", f"{uid}/over_65") in ops
    assert ("insert", f"{uid}/young_adult") in ops


def test_drafts_stay_local_until_signed_then_travel_whole(world: World) -> None:
    client_id = world.add("Astrid", "Berg", by="anna")
    anna = world.actors["anna"]
    draft = journal.save_draft(
        world.db,
        anna,
        client_id,
        draft_id=None,
        entry_date=dt.date(2026, 12, 1),
        category=JournalCategory.CONTACT,
        text="Första",
    ).value
    journal.save_draft(
        world.db,
        anna,
        client_id,
        draft_id=draft,
        entry_date=dt.date(2026, 12, 1),
        category=JournalCategory.CONTACT,
        text="Första utkastet, längre",
    )
    assert _changes(world.db, "journal_entries") == []
    journal.sign_entry(world.db, anna, draft, today=dt.date(2026, 12, 2))
    [signed] = _changes(world.db, "journal_entries")
    assert signed.op == "insert" and signed.immutable
    fields = json.loads(signed.fields)
    assert fields["text"] == "Första utkastet, längre" and fields["status"] == "signed"


def test_a_failed_transaction_leaves_no_captured_change(world: World) -> None:
    before = len(_changes(world.db))
    with pytest.raises(RuntimeError), world.db.begin() as s:
        s.add(Team(name="Team C"))
        s.flush()
        raise RuntimeError("abort")
    assert len(_changes(world.db)) == before
    with world.db.begin() as s:
        s.add(Team(name="Team D"))
    [team] = [c for c in _changes(world.db, "teams") if json.loads(c.fields)["name"] == "Team D"]
    assert team.username == ""  # no one signed in: the system's own change


def test_outbox_status_counts_what_waits_to_be_sent(world: World) -> None:
    before = outbox_status(world.db)
    world.add("Astrid", "Berg", by="anna")
    after = outbox_status(world.db)
    assert after.unsent > before.unsent
    assert after.oldest is not None
    with world.db.begin() as s:
        for change in s.scalars(select(SyncChange)):
            change.sent_at = dt.datetime(2026, 12, 3, 12, 0)
    assert outbox_status(world.db) == OutboxStatus(unsent=0, oldest=None)


def test_a_draft_rating_and_its_areas_stay_local_until_signed(world: World) -> None:
    client_id = world.add("Astrid", "Berg", by="anna", birth_date=dt.date(1980, 1, 1))
    anna = world.actors["anna"]
    day = dt.date(2026, 11, 2)
    keys = instruments.current_instrument(world.db).area_keys

    def draft(level: int) -> RatingDraft:
        areas = tuple(AreaRating(key, level) for key in keys)
        return RatingDraft(SODERMALM_ID, 1, day, True, areas)

    draft_id = assessments.save_draft(world.db, anna, client_id, draft(3)).value
    assessments.save_draft(world.db, anna, client_id, draft(4), assessment_id=draft_id)
    assert _changes(world.db, "assessments") == []
    assert _changes(world.db, "assessment_areas") == []
    assessments.sign(world.db, anna, draft_id, today=day)
    [signed] = _changes(world.db, "assessments")
    assert signed.op == "insert" and signed.immutable
    areas = _changes(world.db, "assessment_areas")
    assert {a.record_uid for a in areas} == {f"{signed.record_uid}/{key}" for key in keys}
    assert all(json.loads(a.fields)["level"] == 4 for a in areas)
    assert all(a.client_uid == signed.client_uid for a in areas)


def test_every_table_is_either_synced_or_local() -> None:
    """A new table must be placed on one side (and, if synced, given a uid or a link key)."""
    tables = set(Base.metadata.tables)
    sides = set(SYNCED_TABLES) | set(LOCAL_TABLES)
    assert sides - {"alembic_version"} == tables
    assert not set(SYNCED_TABLES) & set(LOCAL_TABLES)
    for name in SYNCED_TABLES:  # every synced record can be named on every machine
        table = Base.metadata.tables[name]
        # A uid, or a link row named by the records it joins (no local number of its own).
        assert "uid" in table.c or "id" not in table.c, name
