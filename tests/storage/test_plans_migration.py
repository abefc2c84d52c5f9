"""Migration 0006: from a database at revision 0004 with a client to the plan tables."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import plans
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves


def test_upgrade_from_0004_keeps_clients_and_adds_plans(location: DataLocation) -> None:
    db = open_database(location, migrate=False)
    try:
        migrate.upgrade_to_head(db, target="0004")
        with db.engine.connect() as conn:
            assert "plans" not in inspect(conn).get_table_names()
    finally:
        db.dispose()
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert {"plans", "plan_versions", "plan_due_items"} <= tables
        assert version == migrate.head_revision()
        assert db.integrity_check() == []
        actor = ensure_local_actor(db)
        client = register_client(
            db, actor, ClientInput(id_kind=IdKind.NONE, id_text="", first_name="A")
        ).value
        info = plans.create_draft(db, actor, client, start=dt.date(2026, 11, 2)).value
        assert info.version == 1
    finally:
        db.dispose()
