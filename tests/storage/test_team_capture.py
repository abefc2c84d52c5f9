"""The team area's records travel: each change lands in the outbox with its uid (or, for link
rows, its parents' uids), references as uids, and the client it belongs to; ORM bulk updates
(marking an action done, moving a team's clients) are captured too."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

from clientworld import World
from sqlalchemy import select

from hemlos_desktop.models.client import Client
from hemlos_desktop.models.eviction_rules import EvictionInput
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.models.team import (
    AgendaItem,
    Competence,
    MeetingAction,
    PartnerKind,
    ReleaseKind,
    Responsibility,
    ResponsibilityRole,
    ReviewMeeting,
    Unit,
    UnitKind,
)
from hemlos_desktop.services import evictions, team_cases, team_meetings, team_org
from hemlos_desktop.services.team_meetings import ActionDraft
from hemlos_desktop.storage import Database

DAY = dt.date(2026, 12, 1)


def _changes(db: Database, table: str) -> list[Any]:
    query = (
        select(*SyncChange.__table__.columns)
        .where(SyncChange.table_name == table)
        .order_by(SyncChange.seq)
    )
    with db.read() as s:
        return [SimpleNamespace(**row) for row in s.execute(query).mappings()]


def _uid(db: Database, model: Any, row_id: int) -> str:
    with db.read() as s:
        return str(s.scalar(select(model.uid).where(model.id == row_id)))


def test_organisation_cases_and_meetings_are_captured_with_uids(world: World) -> None:
    admin, lead, anna = (world.actors[n] for n in ("admin", "lead", "anna"))
    client = world.add("Astrid", "Berg", by="anna")
    client_uid = _uid(world.db, Client, client)
    team_uid = _uid(world.db, Team, world.team_a)
    anna_uid = _uid(world.db, User, anna.user_id)

    unit = team_org.add_unit(world.db, lead, world.team_a, "Uppsök", UnitKind.OUTREACH).value
    team_org.add_partner(world.db, lead, world.team_a, "Bostadsbolaget", kind=PartnerKind.LANDLORD)
    team_org.set_competence(world.db, admin, anna.user_id, Competence.MI, DAY)
    team_cases.assign_person(
        world.db, lead, client, ResponsibilityRole.COORDINATOR, lead.user_id, start=DAY
    )
    team_cases.add_unit_involvement(
        world.db, anna, client, unit, ResponsibilityRole.PROVIDER, start=DAY
    )
    team_cases.record_release(
        world.db, anna, client, ReleaseKind.PRISON, DAY, housing_arranged=True
    )
    evictions.add_eviction_case(world.db, anna, client, EvictionInput(landlord="Bostadsbolaget"))
    meeting = team_meetings.create_meeting(
        world.db,
        lead,
        world.team_a,
        meeting_date=DAY,
        participant_ids=[lead.user_id, anna.user_id],
        propose=False,
    ).value
    item = team_meetings.add_item(world.db, lead, meeting, client_id=client).value
    team_meetings.record_minutes(
        world.db,
        lead,
        item,
        decision="Boendestöd",
        new_actions=[ActionDraft("Ring hyresvärden", anna.user_id, DAY + dt.timedelta(days=7))],
    )

    [unit_change] = _changes(world.db, "team_units")
    assert unit_change.record_uid == _uid(world.db, Unit, unit)
    assert json.loads(unit_change.fields)["team_id"] == team_uid
    [partner] = _changes(world.db, "team_partners")
    assert json.loads(partner.fields)["name"] == "Bostadsbolaget"
    [competence] = _changes(world.db, "member_competences")
    assert competence.record_uid == f"{anna_uid}/mi" and competence.username == "admin"

    # Records of a client carry the client, so that a purge removes them and the server can
    # tell who may receive them.
    for table in ("client_responsibilities", "client_releases", "eviction_cases"):
        changes = _changes(world.db, table)
        assert changes, table
        assert {c.client_uid for c in changes} == {client_uid}, table
        assert all(len(c.record_uid) == 36 for c in changes), table
    with world.db.read() as s:
        responsibility_uids = set(s.scalars(select(Responsibility.uid)))
    assert {c.record_uid for c in _changes(world.db, "client_responsibilities")} == (
        responsibility_uids
    )

    [meeting_change] = _changes(world.db, "review_meetings")
    assert meeting_change.record_uid == _uid(world.db, ReviewMeeting, meeting)
    assert meeting_change.client_uid is None
    participants = {c.record_uid for c in _changes(world.db, "meeting_participants")}
    assert f"{meeting_change.record_uid}/{anna_uid}" in participants
    items = _changes(world.db, "agenda_items")
    assert items[0].record_uid == _uid(world.db, AgendaItem, item)
    assert {c.client_uid for c in items} == {client_uid}
    assert json.loads(items[0].fields)["meeting_id"] == meeting_change.record_uid
    assert any(json.loads(c.fields).get("decision") == "Boendestöd" for c in items)
    [action] = _changes(world.db, "meeting_actions")
    fields = json.loads(action.fields)
    assert (fields["item_id"], fields["assigned_user_id"]) == (items[0].record_uid, anna_uid)
    assert action.client_uid == client_uid and not action.immutable


def test_bulk_updates_are_captured_field_by_field(world: World) -> None:
    lead, anna = world.actors["lead"], world.actors["anna"]
    client = world.add("Astrid", "Berg", by="anna")
    meeting = team_meetings.create_meeting(
        world.db, lead, world.team_a, meeting_date=DAY, participant_ids=[], propose=False
    ).value
    item = team_meetings.add_item(world.db, lead, meeting, client_id=client).value
    team_meetings.record_minutes(
        world.db,
        lead,
        item,
        decision="",
        new_actions=[ActionDraft("Ring", anna.user_id, DAY)],
    )
    with world.db.read() as s:
        action_id = s.scalar(select(MeetingAction.id))
    assert action_id is not None
    # Marked done with an ORM bulk update (``update(MeetingAction)...``).
    team_meetings.set_action_done(world.db, anna, action_id, done=True)
    updates = [c for c in _changes(world.db, "meeting_actions") if c.op == "update"]
    assert [json.loads(c.fields) for c in updates] == [{"done": True}]
    assert updates[0].username == "anna"
    assert updates[0].record_uid == _uid(world.db, MeetingAction, action_id)

    # Removing a team moves its clients and meetings with bulk updates: each row is captured.
    admin = world.actors["admin"]
    before = len(_changes(world.db, "clients"))
    team_org.remove_team(world.db, admin, world.team_a, reassign_to=world.team_b)
    team_b_uid = _uid(world.db, Team, world.team_b)
    moved = [c for c in _changes(world.db, "clients")[before:] if c.op == "update"]
    assert [json.loads(c.fields) for c in moved] == [{"team_id": team_b_uid}]
    meetings = [c for c in _changes(world.db, "review_meetings") if c.op == "update"]
    assert [json.loads(c.fields) for c in meetings] == [{"team_id": team_b_uid}]
