"""Row-level security for the team area on the server: connecting as each person's own role
shows and allows what the program's team rules do (units and partners by team, managed by the
lead; meetings run by the lead and the boendelots; an action marked done by its member;
responsibilities, releases and evictions following their client)."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from pgcluster import PgDatabase
from roleworld import Conn, Person, connect_as, staffed_store

from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Role
from hemlos_desktop.models.team import (
    AgendaItem,
    EvictionCase,
    MeetingAction,
    Partner,
    Responsibility,
    ReviewMeeting,
    Unit,
)

DAY = dt.date(2026, 12, 1)
# username -> their role, team and role in the team
PEOPLE = {
    "anna": Person(Role.CASEWORKER, ("A",), "caseworker"),
    "kim": Person(Role.CASEWORKER, ("A",), "coordinator"),
    "lena": Person(Role.TEAM_LEAD, ("A",), "team_lead"),
    "bo": Person(Role.CASEWORKER, ("B",), "caseworker"),
    "revisor": Person(Role.READ_ONLY),
}


@pytest.fixture
def store(pg_database: PgDatabase) -> PgDatabase:
    with staffed_store(pg_database, PEOPLE) as made:
        s, teams, users = made.session, made.teams, made.users
        for team in teams.values():
            s.add(Unit(team_id=team.id, name=f"Unit {team.name}"))
            s.add(Partner(team_id=team.id, name=f"Partner {team.name}"))
        client = Client(id_kind="none", first_name="Alva", team_id=teams["A"].id)
        s.add(client)
        s.flush()
        s.add(EvictionCase(client_id=client.id, landlord="Bostadsbolaget"))
        s.add(
            Responsibility(
                client_id=client.id, role="coordinator", user_id=users["kim"].id, start_date=DAY
            )
        )
        meeting = ReviewMeeting(team_id=teams["A"].id, meeting_date=DAY)
        s.add(meeting)
        s.flush()
        item = AgendaItem(meeting_id=meeting.id, position=1, client_id=client.id)
        s.add(item)
        s.flush()
        s.add(
            MeetingAction(
                item_id=item.id,
                client_id=client.id,
                text="Ring",
                assigned_user_id=users["anna"].id,
                due=DAY,
            )
        )
    return pg_database


def _column(conn: Conn, query: str) -> set[str]:
    return {str(row[0]) for row in conn.execute(query)}


@pytest.mark.parametrize(
    ("user", "units", "meetings", "evictions"),
    [
        ("anna", {"Unit A"}, 1, 1),
        ("bo", {"Unit B"}, 0, 0),
        ("revisor", {"Unit A", "Unit B"}, 1, 1),
        ("ida", {"Unit A", "Unit B"}, 1, 1),
    ],
)
def test_each_person_sees_the_team_records_the_rules_allow(
    store: PgDatabase, user: str, units: set[str], meetings: int, evictions: int
) -> None:
    with connect_as(store, user) as conn:
        assert _column(conn, "SELECT name FROM team_units") == units
        assert _column(conn, "SELECT name FROM team_partners") == {
            u.replace("Unit", "Partner") for u in units
        }
        for table in ("review_meetings", "agenda_items", "meeting_actions"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (meetings,)
        for table in ("eviction_cases", "client_responsibilities"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (evictions,)


def test_only_the_lead_manages_units_and_only_meeting_leads_run_meetings(
    store: PgDatabase,
) -> None:
    add_unit = (
        "INSERT INTO team_units (team_id, name, kind, active, uid, created_at, updated_at) "
        "SELECT id, 'Ny', 'other', true, gen_random_uuid()::text, now(), now() FROM teams "
        "WHERE name = 'A'"
    )
    add_meeting = (
        "INSERT INTO review_meetings (team_id, meeting_date, title, minutes_done, uid, "
        "created_at, updated_at) SELECT id, now(), '', false, gen_random_uuid()::text, now(), "
        "now() FROM teams WHERE name = 'A'"
    )
    for user in ("anna", "kim"):
        with connect_as(store, user) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(add_unit)
    with connect_as(store, "lena") as conn:
        assert conn.execute(add_unit).rowcount == 1
    with connect_as(store, "anna") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(add_meeting)
    with connect_as(store, "kim") as conn:  # the boendelots runs the team's meetings
        assert conn.execute(add_meeting).rowcount == 1
        assert conn.execute("UPDATE agenda_items SET decision = 'Beslut'").rowcount == 1
    with connect_as(store, "anna") as conn:
        assert conn.execute("UPDATE agenda_items SET decision = 'Mitt'").rowcount == 0


def test_an_action_is_marked_done_by_its_member_only(store: PgDatabase) -> None:
    with connect_as(store, "bo") as conn:
        assert conn.execute("UPDATE meeting_actions SET done = true").rowcount == 0
    with connect_as(store, "revisor") as conn:
        assert conn.execute("UPDATE meeting_actions SET done = true").rowcount == 0
    with connect_as(store, "anna") as conn:
        assert conn.execute("UPDATE meeting_actions SET done = true").rowcount == 1
        # but she does not run the meeting: the agenda is not hers to remove
        assert conn.execute("DELETE FROM agenda_items").rowcount == 0
