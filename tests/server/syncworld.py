"""A team store on the test PostgreSQL and laptops that join it (tests/server/test_sync*)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from pgcluster import PgDatabase
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from hemlos_desktop.models.client import Client, Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role, Team, TeamMember, User
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.sync import SyncCredentials, SyncResult, sync
from hemlos_desktop.services.sync_join import JoinResult, join
from hemlos_desktop.services.team_server import create_login_role, init_server
from hemlos_desktop.storage import Database, DataLocation, server
from hemlos_desktop.storage.crypto import TEST_PARAMS

PASSWORD = "Hemligt lösen 7"
# username -> (role, member of team A)
PEOPLE = {
    "anna": (Role.CASEWORKER, True),
    "bo": (Role.CASEWORKER, True),
    "cissi": (Role.TEAM_LEAD, True),
    "dag": (Role.CASEWORKER, False),
}


def store_url(store: PgDatabase) -> str:
    """The server's address as a laptop knows it: no user name, no password."""
    cluster = store.cluster
    return f"postgresql:///{store.name}?host={cluster.socket_dir}&port={cluster.port}"


def can_sign_in(store: PgDatabase, user: str, password: str) -> bool:
    """Whether PostgreSQL itself lets ``user`` in with ``password``."""
    try:
        with store.connect(user=user, password=password):
            return True
    except psycopg.OperationalError:
        return False


def set_up_store(store: PgDatabase) -> str:
    """A team store with team A and the people above, each with their server role."""
    init_server(store.url, username="ida", display_name="Ida", password=PASSWORD)
    engine = server.server_engine(store.url)
    try:
        with engine.begin() as conn, Session(bind=conn) as s:
            team = Team(name="A")
            s.add(team)
            s.add(Team(name="B"))
            s.flush()
            for name, (role, member) in PEOPLE.items():
                user = User(username=name, display_name=name.title(), role=role.value)
                s.add(user)
                s.flush()
                if member:
                    s.add(TeamMember(team_id=team.id, user_id=user.id))
            for name in PEOPLE:
                create_login_role(conn, name, PASSWORD)
    finally:
        engine.dispose()
    return store_url(store)


@dataclass
class Laptop:
    name: str
    location: DataLocation
    url: str
    joined: JoinResult
    results: list[SyncResult] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return self.joined.signed_in.db

    @property
    def actor(self) -> Actor:
        return self.joined.signed_in.actor

    def credentials(self) -> SyncCredentials:
        return SyncCredentials(url=self.url, username=self.name, password=PASSWORD)

    def sync(self) -> SyncResult:
        result = sync(self.db, self.credentials()).value
        self.results.append(result)
        return result

    def team_id(self, name: str = "A") -> int:
        with self.db.read() as s:
            found = s.scalar(select(Team.id).where(Team.name == name))
        assert found is not None
        return int(found)

    def register(
        self, first: str, last: str = "Testsson", *, team: str = "A", **extra: object
    ) -> int:
        data = ClientInput(
            id_kind=IdKind.NONE,
            first_name=first,
            last_name=last,
            gender=Gender.WOMAN,
            team_id=self.team_id(team),
            **extra,  # type: ignore[arg-type]
        )
        return register_client(self.db, self.actor, data, today=dt.date(2026, 12, 3)).value

    def client_id(self, first: str) -> int:
        with self.db.read() as s:
            found = s.scalar(select(Client.id).where(Client.first_name == first))
        assert found is not None, first
        return int(found)

    def client_value(self, first: str, column: str) -> object:
        with self.db.read() as s:
            return s.execute(
                text(f"SELECT {column} FROM clients WHERE first_name = :f"), {"f": first}
            ).scalar()

    def close(self) -> None:
        self.db.dispose()


def join_laptop(tmp_path: Path, url: str, name: str) -> Laptop:
    location = DataLocation(tmp_path / f"laptop-{name}")
    joined = join(location, url=url, username=name, password=PASSWORD, params=TEST_PARAMS)
    return Laptop(name=name, location=location, url=url, joined=joined)


@contextmanager
def joined_laptops(
    tmp_path: Path, url: str, names: Sequence[str] = ("anna", "bo")
) -> Iterator[dict[str, Laptop]]:
    """A laptop for each of ``names`` joined to the store at ``url``, closed afterwards (the
    body of each sync test module's ``laptops`` fixture)."""
    made = {name: join_laptop(tmp_path, url, name) for name in names}
    try:
        yield made
    finally:
        for laptop in made.values():
            laptop.close()
