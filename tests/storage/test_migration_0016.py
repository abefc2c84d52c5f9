"""Migration 0016: a closed case keeps a note beside its reason; existing clients get ""."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from hemlos_desktop.storage import Database, DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

CLIENT = (
    "INSERT INTO clients (id, uid, id_kind, id_search, first_name, last_name,"
    " alias, description, name_search, first_name_fold, last_name_fold, gender,"
    " language, phone, email, address, status, closed_on, closure_reason, protected_identity,"
    " retention_hold, retention_hold_reason, created_at, updated_at)"
    " VALUES (1, 'c1', 'none', '', 'A', 'B', '', '', 'a b', 'a', 'b',"
    " 'woman', '', '', '', '', 'closed', '2026-02-01', 'moved', 0, 0, '',"
    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)


def test_the_note_column_is_added_and_empty(location: DataLocation) -> None:
    location.folder.mkdir(parents=True)
    old = Database(location)
    try:
        migrate.upgrade_to_head(old, target="0013")
        with old.engine.begin() as conn:
            conn.execute(text(CLIENT))
    finally:
        old.dispose()
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("clients")}
            assert "closure_note" in columns
            row = conn.execute(
                text("SELECT status, closure_reason, closure_note FROM clients WHERE id = 1")
            ).one()
        assert tuple(row) == ("closed", "moved", "")
    finally:
        db.dispose()
