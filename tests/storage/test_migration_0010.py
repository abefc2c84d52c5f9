"""Migration 0010: code-6 housing periods become case closures; the kind of place is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from hemlos_desktop.models.client import ClientStatus
from hemlos_desktop.models.housing_rules import HousingPlaceKind, PeriodInput
from hemlos_desktop.services import case_status, housing
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import Database, DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves

CLIENT = (
    "INSERT INTO clients (id, uid, id_kind, id_search, first_name, last_name,"
    " alias, description, name_search, first_name_fold, last_name_fold, gender,"
    " language, phone, email, address, status, protected_identity,"
    " retention_hold, retention_hold_reason, created_at, updated_at, current_housing_code)"
    " VALUES (:id, :uid, 'none', '', 'A', 'B', '', '', 'a b', 'a', 'b',"
    " 'woman', '', '', '', '', 'active', 0, 0, '',"
    " '2026-01-01 00:00:00', '2026-01-01 00:00:00', :code)"
)
PERIOD = (
    "INSERT INTO housing_periods (client_id, uid, code, start_date, end_date, place, note,"
    " created_at, updated_at) VALUES (:c, :uid, :code, :start, :end, '', '',"
    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)


def test_code_6_periods_become_closures(location: DataLocation) -> None:
    location.folder.mkdir(parents=True)
    old = Database(location)
    try:
        migrate.upgrade_to_head(old, target="0009")
        with old.engine.begin() as conn:
            conn.execute(text(CLIENT), {"id": 1, "uid": "c1", "code": 6})  # closed in 2025
            conn.execute(text(CLIENT), {"id": 2, "uid": "c2", "code": 1})  # closed, reopened
            conn.execute(text(CLIENT), {"id": 3, "uid": "c3", "code": 5})  # never closed
            periods = [
                (1, 2, "2024-01-01", "2025-03-31"),
                (1, 6, "2025-04-01", None),
                (2, 1, "2023-01-01", "2023-12-31"),
                (2, 6, "2024-01-01", "2024-05-31"),
                (2, 1, "2024-06-01", None),
                (3, 5, "2024-01-01", None),
            ]
            for n, (client, code, start, end) in enumerate(periods):
                conn.execute(
                    text(PERIOD),
                    {"c": client, "uid": f"p{n}", "code": code, "start": start, "end": end},
                )
    finally:
        old.dispose()
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, status, closed_on, closure_reason, current_housing_code"
                    " FROM clients ORDER BY id"
                )
            ).fetchall()
            codes = conn.execute(text("SELECT DISTINCT code FROM housing_periods")).scalars()
            assert 6 not in set(codes)
            columns = {c["name"] for c in inspect(conn).get_columns("housing_periods")}
        assert "place_kind" in columns
        assert [tuple(r) for r in rows] == [
            (1, "closed", "2025-04-01", None, 2),
            (2, "active", None, None, 1),
            (3, "active", None, None, 5),
        ]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(
                text(PERIOD), {"c": 3, "uid": "x", "code": 6, "start": "2026-01-01", "end": None}
            )
        actor = ensure_local_actor(db)
        # The closed case opens again, and the kind of place is stored and counted.
        case_status.reopen_case(db, actor, 1)
        housing.save_period(
            db,
            actor,
            1,
            PeriodInput(1, dt.date(2026, 1, 1), place_kind=HousingPlaceKind.STREET),
            today=dt.date(2026, 2, 1),
        )
        counts = housing.current_place_kinds(db, actor, today=dt.date(2026, 2, 1))
        assert counts[HousingPlaceKind.STREET] == 1
        assert case_status.case_status(db, actor, 1).status is ClientStatus.ACTIVE
    finally:
        db.dispose()
