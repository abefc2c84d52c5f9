"""Migration 0012 (sync foundation) from the schema before it: existing records get their uid,
nothing is lost, the access log's chain still holds, and the old file is backed up first."""

from __future__ import annotations

import datetime as dt

import old_schema
import pytest
from clientworld import World
from sqlalchemy import inspect, text

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import plans
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.instruments import ensure_shipped
from hemlos_desktop.storage import DataLocation, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

UID_TABLES = ("audit_log", "instrument_versions", "plan_versions")


def test_upgrade_from_0011_gives_existing_records_uids_and_keeps_everything(
    world: World, location: DataLocation
) -> None:
    client = world.add("Astrid", "Berg", by="anna")
    plans.create_draft(world.db, world.actors["anna"], client, start=dt.date(2026, 11, 2))
    with world.db.begin() as session:
        ensure_shipped(session)
    before = old_schema.counts(world.db, UID_TABLES)
    world.db.dispose()
    old_schema.downgrade(location, "0011")
    db = open_database(location, migrate=False)
    try:
        with db.engine.connect() as conn:
            assert "sync_changes" not in inspect(conn).get_table_names()
            assert "uid" not in {c["name"] for c in inspect(conn).get_columns("audit_log")}
    finally:
        db.dispose()

    with old_schema.upgraded(location, "0011", before) as db:
        # The program works on the upgraded file, and its changes are captured.
        other = register_client(
            db, world.actors["anna"], ClientInput(id_kind=IdKind.NONE, first_name="Bengt")
        ).value
        info = plans.create_draft(db, world.actors["anna"], other, start=dt.date(2026, 12, 1)).value
        assert info.version == 1
        with db.engine.connect() as conn:
            captured = conn.execute(text("SELECT table_name FROM sync_changes")).scalars().all()
        assert {"clients", "plans", "plan_versions", "audit_log"} <= set(captured)
