"""Migration 0005: a database made at revision 0004 (with a client) upgrades to assessments."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.services import assessments, instruments
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import Database, DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves


def test_a_0004_database_upgrades_and_takes_ratings(location: DataLocation) -> None:
    location.folder.mkdir(parents=True)
    old = Database(location)
    try:
        migrate.upgrade_to_head(old, target="0004")
        assert migrate.schema_status(old).current == "0004"
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
    finally:
        old.dispose()
    db = open_database(location)
    try:
        assert migrate.schema_status(db).current == migrate.head_revision()
        actor = ensure_local_actor(db)
        keys = instruments.current_instrument(db).area_keys
        draft = RatingDraft(
            SODERMALM_ID, 1, dt.date(2026, 3, 1), True, tuple(AreaRating(k, 2) for k in keys)
        )
        assessments.sign_draft(db, actor, 1, draft, today=dt.date(2026, 3, 2))
        [info] = assessments.history(db, actor, 1)
        assert info.signed and info.levels() == dict.fromkeys(keys, 2)
    finally:
        db.dispose()
    assert list(location.backups.glob("pre-upgrade-0004-*.db"))
