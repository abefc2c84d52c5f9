"""A team store whose people each have their own PostgreSQL login role, for the row-security
tests (tests/server/test_row_security.py, test_team_rules.py): connecting as a person is the
same as `psql` with their credentials."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from pgcluster import PgDatabase
from sqlalchemy.orm import Session
from syncworld import PASSWORD

from hemlos_desktop.models.people import Role, Team, TeamMember, User
from hemlos_desktop.services.team_server import create_login_role, init_server
from hemlos_desktop.storage import server

Conn = psycopg.Connection[tuple[object, ...]]


@dataclass(frozen=True)
class Person:
    role: Role
    teams: tuple[str, ...] = ()
    team_role: str = ""  # their role in those teams ("" the default)


@dataclass(frozen=True)
class Staffed:
    """What :func:`staffed_store` made, for the test's own records."""

    session: Session
    teams: dict[str, Team]
    users: dict[str, User]


@contextmanager
def staffed_store(store: PgDatabase, people: Mapping[str, Person]) -> Iterator[Staffed]:
    """Set up the server with teams A and B and ``people`` (ida is its administrator); the
    body adds its records through the session; then each person gets a login role, all in
    one transaction."""
    init_server(store.url, username="ida", display_name="Ida", password=PASSWORD)
    engine = server.server_engine(store.url)
    try:
        with engine.begin() as conn, Session(bind=conn) as s:
            teams = {name: Team(name=name) for name in ("A", "B")}
            s.add_all(teams.values())
            users = {
                name: User(username=name, display_name=name.title(), role=person.role.value)
                for name, person in people.items()
            }
            s.add_all(users.values())
            s.flush()
            for name, person in people.items():
                for team in person.teams:
                    member = TeamMember(team_id=teams[team].id, user_id=users[name].id)
                    if person.team_role:
                        member.team_role = person.team_role
                    s.add(member)
            yield Staffed(s, teams, users)
            s.flush()
            for name in people:
                create_login_role(conn, name, PASSWORD)
    finally:
        engine.dispose()


def connect_as(store: PgDatabase, user: str) -> Conn:
    return store.connect(user=user, password=PASSWORD)
