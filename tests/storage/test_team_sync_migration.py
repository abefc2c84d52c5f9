"""Migration 0019 (the team area travels) from 0013: existing responsibilities, releases,
agenda items and meeting actions get uids, nothing is lost, and the file is backed up first."""

from __future__ import annotations

import datetime as dt

import old_schema
import pytest
from clientworld import World
from sqlalchemy import inspect

from hemlos_desktop.models.team import ReleaseKind, ResponsibilityRole
from hemlos_desktop.services import team_cases, team_meetings
from hemlos_desktop.services.team_meetings import ActionDraft
from hemlos_desktop.storage import DataLocation, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

UID_TABLES = ("client_responsibilities", "client_releases", "agenda_items", "meeting_actions")
DAY = dt.date(2026, 12, 1)


def _fill(world: World) -> None:
    lead, anna = world.actors["lead"], world.actors["anna"]
    client = world.add("Astrid", "Berg", by="anna")
    team_cases.assign_person(
        world.db, lead, client, ResponsibilityRole.COORDINATOR, lead.user_id, start=DAY
    )
    team_cases.record_release(
        world.db, anna, client, ReleaseKind.HOSPITAL, DAY, housing_arranged=False
    )
    meeting = team_meetings.create_meeting(
        world.db, lead, world.team_a, meeting_date=DAY, participant_ids=[], propose=False
    ).value
    item = team_meetings.add_item(world.db, lead, meeting, client_id=client).value
    team_meetings.record_minutes(
        world.db, lead, item, decision="", new_actions=[ActionDraft("Ring", anna.user_id, DAY)]
    )


def test_upgrade_from_0013_gives_team_records_uids_and_keeps_everything(
    world: World, location: DataLocation
) -> None:
    _fill(world)
    before = old_schema.counts(world.db, UID_TABLES)
    world.db.dispose()
    old_schema.downgrade(location, "0013")
    db = open_database(location, migrate=False)
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert "server_logins" not in tables
            for table in UID_TABLES:
                assert "uid" not in {c["name"] for c in inspect(conn).get_columns(table)}
    finally:
        db.dispose()

    with old_schema.upgraded(location, "0013", before) as db, db.engine.connect() as conn:
        assert "server_logins" in inspect(conn).get_table_names()
