"""Row-level security for the team area on the server: connecting as each person's own role
shows and allows what the program's team rules do (units and partners by team, managed by the
lead; meetings run by the lead and the boendelots; an action marked done by its member;
responsibilities, releases and evictions following their client)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import psycopg
import pytest
from pgcluster import PgDatabase
from sqlalchemy.orm import Session

from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Role, Team, TeamMember, User
from hemlos_desktop.models.team import (
    AgendaItem,
    EvictionCase,
    MeetingAction,
    Partner,
    Responsibility,
    ReviewMeeting,
    Unit,
)
from hemlos_desktop.services.team_server import create_login_role, init_server
from hemlos_desktop.storage import server

PASSWORD = "Hemligt lösen 7"
DAY = dt.date(2026, 12, 1)
# username -> (role, team, role in the team)
PEOPLE = {
    "anna": (Role.CASEWORKER, "A", "caseworker"),
    "kim": (Role.CASEWORKER, "A", "coordinator"),
    "lena": (Role.TEAM_LEAD, "A", "team_lead"),
    "bo": (Role.CASEWORKER, "B", "caseworker"),
    "revisor": (Role.READ_ONLY, None, ""),
}

Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def store(pg_database: PgDatabase) -> Iterator[PgDatabase]:
    init_server(pg_database.url, username="ida", display_name="Ida", password=PASSWORD)
    engine = server.server_engine(pg_database.url)
    try:
        with engine.begin() as conn, Session(bind=conn) as s:
            teams = {name: Team(name=name) for name in ("A", "B")}
            s.add_all(teams.values())
            users = {
                name: User(username=name, display_name=name.title(), role=role.value)
                for name, (role, _team, _r) in PEOPLE.items()
            }
            s.add_all(users.values())
            s.flush()
            for name, (_role, team, team_role) in PEOPLE.items():
                if team is not None:
                    s.add(
                        TeamMember(
                            team_id=teams[team].id, user_id=users[name].id, team_role=team_role
                        )
                    )
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
            s.flush()
            for name in PEOPLE:
                create_login_role(conn, name, PASSWORD)
    finally:
        engine.dispose()
    yield pg_database


def _as(store: PgDatabase, user: str) -> Conn:
    return store.connect(user=user, password=PASSWORD)


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
    with _as(store, user) as conn:
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
        with _as(store, user) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(add_unit)
    with _as(store, "lena") as conn:
        assert conn.execute(add_unit).rowcount == 1
    with _as(store, "anna") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(add_meeting)
    with _as(store, "kim") as conn:  # the boendelots runs the team's meetings
        assert conn.execute(add_meeting).rowcount == 1
        assert conn.execute("UPDATE agenda_items SET decision = 'Beslut'").rowcount == 1
    with _as(store, "anna") as conn:
        assert conn.execute("UPDATE agenda_items SET decision = 'Mitt'").rowcount == 0


def test_an_action_is_marked_done_by_its_member_only(store: PgDatabase) -> None:
    with _as(store, "bo") as conn:
        assert conn.execute("UPDATE meeting_actions SET done = true").rowcount == 0
    with _as(store, "revisor") as conn:
        assert conn.execute("UPDATE meeting_actions SET done = true").rowcount == 0
    with _as(store, "anna") as conn:
        assert conn.execute("UPDATE meeting_actions SET done = true").rowcount == 1
        # but she does not run the meeting: the agenda is not hers to remove
        assert conn.execute("DELETE FROM agenda_items").rowcount == 0
