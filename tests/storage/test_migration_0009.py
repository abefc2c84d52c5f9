"""Migration 0009: plan goals take the instrument's area keys; merged_into_id is indexed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text

from hemlos_desktop.models.plan_rules import RATING_AREAS
from hemlos_desktop.services import instruments
from hemlos_desktop.storage import Database, DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

SNAPSHOT = {
    "format": 1,
    "plan_uid": "p-1",
    "version": 1,
    "state": "agreed",
    "goals": [
        {"uid": "g1", "text": "Drink less", "rating_area": "substance", "actions": []},
        {"uid": "g2", "text": "Cook at home", "rating_area": "adl", "actions": []},
        {"uid": "g3", "text": "A flat", "rating_area": "housing", "actions": []},
        {"uid": "g4", "text": "No area", "rating_area": None, "actions": []},
    ],
}


def _areas(db: Database) -> list[str | None]:
    with db.engine.connect() as conn:
        snapshot = conn.execute(text("SELECT snapshot FROM plan_versions")).scalar_one()
    return [g["rating_area"] for g in json.loads(snapshot)["goals"]]


def test_a_0008_database_takes_the_instrument_keys(location: DataLocation) -> None:
    location.folder.mkdir(parents=True)
    old = Database(location)
    try:
        migrate.upgrade_to_head(old, target="0008")
        with old.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO clients (id, uid, id_kind, id_search, first_name, last_name,"
                    " alias, description, name_search, first_name_fold, last_name_fold, gender,"
                    " language, phone, email, address, status, protected_identity,"
                    " retention_hold, retention_hold_reason, created_at, updated_at)"
                    " VALUES (1, 'u-1', 'none', '', 'A', 'B', '', '', 'a b', 'a', 'b',"
                    " 'woman', '', '', '', '', 'active', 0, 0, '',"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO plans (id, client_id, uid, created_at, updated_at)"
                    " VALUES (1, 1, 'p-1', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO plan_versions (id, plan_id, version, state, snapshot, revision,"
                    " is_sip, created_at, updated_at)"
                    " VALUES (1, 1, 1, 'agreed', :s, 1, 0,"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"s": json.dumps(SNAPSHOT)},
            )
    finally:
        old.dispose()
    db = open_database(location)
    try:
        assert _areas(db) == ["substance_use", "daily_living", "housing", None]
        with db.engine.connect() as conn:
            indexes = {i["name"] for i in inspect(conn).get_indexes("clients")}
        assert "ix_clients_merged_into_id" in indexes
        assert set(RATING_AREAS) == set(instruments.current_instrument(db).area_keys)
    finally:
        db.dispose()
