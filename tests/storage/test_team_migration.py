"""Migration 0008: from a database at revision 0007 with a team, a member and a client to the
team coordination tables; the membership keeps its access meaning and gets a role."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from hemlos_desktop.services import evictions, team_org
from hemlos_desktop.services.users import actor_by_username
from hemlos_desktop.storage import DataLocation, migrate, open_database

pytestmark = pytest.mark.real_migrations  # these tests are about the migrations themselves


def test_upgrade_from_0007_keeps_teams_and_members(location: DataLocation) -> None:
    db = open_database(location, migrate=False)
    try:
        migrate.upgrade_to_head(db, target="0007")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO teams (id, name, uid, created_at, updated_at) "
                    "VALUES (1, 'Team A', 'u-team', '2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO users (id, username, display_name, role, active, uid, "
                    "created_at, updated_at) VALUES (1, 'lead', 'Lead', 'team_lead', 1, 'u-1', "
                    "'2026-01-01', '2026-01-01')"
                )
            )
            conn.execute(text("INSERT INTO team_members (team_id, user_id) VALUES (1, 1)"))
            assert "eviction_cases" not in inspect(conn).get_table_names()
    finally:
        db.dispose()
    db = open_database(location)
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            role = conn.execute(text("SELECT team_role FROM team_members")).scalar()
            ceiling = conn.execute(text("SELECT caseload_ceiling FROM teams")).scalar()
        assert {"eviction_cases", "team_units", "review_meetings", "meeting_actions"} <= tables
        assert (version, role, ceiling) == (migrate.head_revision(), "caseworker", 25)
        assert db.integrity_check() == []
        lead = actor_by_username(db, "lead")
        assert lead.team_ids == frozenset({1})
        summary = team_org.list_team_summaries(db, lead)
        assert [(t.name, t.members) for t in summary] == [("Team A", 1)]
        assert evictions.list_eviction_cases(db, lead, team_id=1) == []
    finally:
        db.dispose()
