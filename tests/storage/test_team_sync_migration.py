"""Migration 0019 (the team area travels) from 0013: existing responsibilities, releases,
agenda items and meeting actions get uids, nothing is lost, and the file is backed up first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from alembic import command
from clientworld import World
from sqlalchemy import inspect, text

from hemlos_desktop.models.team import ReleaseKind, ResponsibilityRole
from hemlos_desktop.services import team_cases, team_meetings
from hemlos_desktop.services.audit import verify_chain
from hemlos_desktop.services.team_meetings import ActionDraft
from hemlos_desktop.storage import DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

UID_TABLES = ("client_responsibilities", "client_releases", "agenda_items", "meeting_actions")
DAY = dt.date(2026, 12, 1)


def _downgrade_to_0013(location: DataLocation) -> None:
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            driver: Any = conn.connection.dbapi_connection
            driver.execute("PRAGMA foreign_keys = OFF")  # as storage.migrate does
            with conn.begin():
                command.downgrade(migrate.alembic_config(conn), "0013")
    finally:
        db.dispose()


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
    with world.db.engine.connect() as conn:
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in UID_TABLES}
    assert all(counts.values()), counts
    world.db.dispose()
    _downgrade_to_0013(location)
    db = open_database(location, migrate=False)
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            assert "server_logins" not in tables
            for table in UID_TABLES:
                assert "uid" not in {c["name"] for c in inspect(conn).get_columns(table)}
    finally:
        db.dispose()

    db = open_database(location)  # upgrades, backing up first
    try:
        assert list(location.backups.glob("pre-upgrade-0013-*.db"))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                migrate.head_revision()
            )
            for table in UID_TABLES:
                uids = conn.execute(text(f"SELECT uid FROM {table}")).scalars().all()
                assert len(uids) == counts[table]
                assert len(set(uids)) == len(uids)
                assert all(len(u) == 36 and u[14] == "4" for u in uids)
            assert "server_logins" in inspect(conn).get_table_names()
        assert verify_chain(db).ok
        assert db.integrity_check() == []
    finally:
        db.dispose()
