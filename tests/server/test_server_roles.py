"""Server roles for users added on a laptop: the SCRAM verifier is made on the laptop (the
password never travels), and on the server an administrator's change creates or alters the
PostgreSQL role, so that the person can sign in with psql with the same password."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import psycopg
import pytest
from clientworld import World
from pgcluster import PgDatabase
from sqlalchemy import select, text

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.people import Role, User
from hemlos_desktop.models.server_login import ServerLogin
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.services import accounts
from hemlos_desktop.services.server_roles import apply_login_change, scram_sha256_verifier
from hemlos_desktop.services.team_server import init_server
from hemlos_desktop.storage import server

ADMIN_PASSWORD = "Hemligt lösen 7"
NEW_PASSWORD = "Ett nytt lösenord 8"


@pytest.fixture
def store(pg_database: PgDatabase) -> Iterator[PgDatabase]:
    """A team server with its first administrator, ida."""
    init_server(pg_database.url, username="ida", display_name="Ida", password=ADMIN_PASSWORD)
    yield pg_database


def _can_sign_in(store: PgDatabase, user: str, password: str) -> bool:
    try:
        with store.connect(user=user, password=password) as conn:
            return conn.execute("SELECT session_user").fetchone() == (user,)
    except psycopg.OperationalError:
        return False


def _add_user_row(store: PgDatabase, name: str, role: Role = Role.CASEWORKER) -> int:
    """The user's record as it reaches the server (administrators write users)."""
    with store.connect(user="ida", password=ADMIN_PASSWORD) as conn:
        row = conn.execute(
            "INSERT INTO users (username, display_name, role, active, uid, created_at, "
            "updated_at) VALUES (%s, %s, %s, true, gen_random_uuid()::text, now(), now()) "
            "RETURNING id",
            (name, name.title(), role.value),
        ).fetchone()
    assert row is not None
    return int(str(row[0]))


@pytest.mark.parametrize("password", ["plain ascii 123", "Hemligt lösen 7", "ﬁskmås Ⅸ\u00a0å"])
def test_the_verifier_is_the_one_postgresql_makes(store: PgDatabase, password: str) -> None:
    """libpq (what psql's \\password uses) and ours agree for the same salt, SASLprep included
    (the ligature, the Roman numeral and the no-break space are normalised)."""
    with store.connect() as conn:
        theirs = conn.pgconn.encrypt_password(password.encode(), b"x", b"scram-sha-256").decode()
    method, rest = theirs.split("$", 1)
    head, _keys = rest.split("$")
    iterations, salt = head.split(":")
    assert method == "SCRAM-SHA-256"
    ours = scram_sha256_verifier(password, salt=base64.b64decode(salt), iterations=int(iterations))
    assert ours == theirs
    assert password.encode() not in ours.encode()


def test_an_administrators_change_creates_and_alters_the_role(store: PgDatabase) -> None:
    maja = _add_user_row(store, "maja")
    verifier = scram_sha256_verifier(NEW_PASSWORD)
    with store.connect(user="ida", password=ADMIN_PASSWORD) as conn:
        conn.execute(
            "INSERT INTO server_logins (user_id, verifier, login, uid, created_at, updated_at) "
            "VALUES (%s, %s, true, gen_random_uuid()::text, now(), now())",
            (maja, verifier),
        )
        # The verifier is not kept in the table: only PostgreSQL's own catalogue has it.
        assert conn.execute("SELECT verifier FROM server_logins").fetchall() == [("",)]
    assert _can_sign_in(store, "maja", NEW_PASSWORD)
    assert not _can_sign_in(store, "maja", ADMIN_PASSWORD)
    with store.connect(user="maja", password=NEW_PASSWORD) as conn:
        # She is one of the program's users: the row-level rules apply to her.
        assert conn.execute("SELECT username FROM users ORDER BY username").fetchall() == [
            ("ida",),
            ("maja",),
        ]
        # Only administrators see everyone's sign-ins; she sees her own (without a verifier).
        assert conn.execute("SELECT user_id, verifier FROM server_logins").fetchall() == [
            (maja, "")
        ]

    # Deactivation: NOLOGIN.
    with store.connect(user="ida", password=ADMIN_PASSWORD) as conn:
        conn.execute("UPDATE server_logins SET login = false WHERE user_id = %s", (maja,))
    assert not _can_sign_in(store, "maja", NEW_PASSWORD)
    # A reset: a new password, and she may sign in again.
    with store.connect(user="ida", password=ADMIN_PASSWORD) as conn:
        conn.execute(
            "UPDATE server_logins SET login = true, verifier = %s WHERE user_id = %s",
            (scram_sha256_verifier("Tredje lösenordet 9"), maja),
        )
    assert _can_sign_in(store, "maja", "Tredje lösenordet 9")


def test_only_administrators_change_roles_and_users_only_their_own_password(
    store: PgDatabase,
) -> None:
    maja = _add_user_row(store, "maja")
    olle = _add_user_row(store, "olle")
    engine = server.server_engine(store.url_as("ida", ADMIN_PASSWORD))
    try:
        with engine.begin() as conn:
            apply_login_change(
                conn, user_id=maja, verifier=scram_sha256_verifier(NEW_PASSWORD), login=True
            )
            apply_login_change(
                conn, user_id=olle, verifier=scram_sha256_verifier(NEW_PASSWORD), login=True
            )
    finally:
        engine.dispose()
    engine = server.server_engine(store.url_as("maja", NEW_PASSWORD))
    try:
        with pytest.raises(AccessDeniedError), engine.begin() as conn:
            apply_login_change(conn, user_id=olle, verifier="", login=False)
        with pytest.raises(AccessDeniedError), engine.begin() as conn:
            ida = conn.execute(text("SELECT id FROM users WHERE username = 'ida'")).scalar()
            apply_login_change(conn, user_id=int(str(ida)), verifier="", login=False)
        # Her own new password (she changed it on her laptop) is hers to send.
        with engine.begin() as conn:
            apply_login_change(
                conn, user_id=maja, verifier=scram_sha256_verifier("Mitt eget nya 10"), login=True
            )
    finally:
        engine.dispose()
    assert _can_sign_in(store, "olle", NEW_PASSWORD)
    assert _can_sign_in(store, "ida", ADMIN_PASSWORD)
    assert _can_sign_in(store, "maja", "Mitt eget nya 10")
    with store.connect(user="olle", password=NEW_PASSWORD) as conn:
        assert conn.execute("SELECT count(*) FROM server_logins").fetchone() == (0,)
    # Through the table as well: a caseworker cannot write another user's sign-in.
    with (
        store.connect(user="olle", password=NEW_PASSWORD) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute(
            "INSERT INTO server_logins (user_id, verifier, login, uid, created_at, updated_at) "
            "VALUES (%s, '', false, gen_random_uuid()::text, now(), now())",
            (maja,),
        )


def test_a_role_of_the_cluster_that_is_not_a_program_user_is_never_touched(
    store: PgDatabase,
) -> None:
    with store.connect() as conn:
        conn.execute("CREATE ROLE it_backup LOGIN PASSWORD 'Säkerhetskopia 1'")
    outsider = _add_user_row(store, "it_backup")
    with store.connect(user="ida", password=ADMIN_PASSWORD) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "SELECT hemlos_apply_login(%s, %s, true)",
                (outsider, scram_sha256_verifier("Övertaget 2")),
            )
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            conn.execute("SELECT hemlos_apply_login(%s, 'plain text password', true)", (outsider,))
    assert _can_sign_in(store, "it_backup", "Säkerhetskopia 1")


def test_adding_a_user_on_a_laptop_queues_a_verifier_the_server_accepts(
    world: World, store: PgDatabase
) -> None:
    """The laptop side: ``users add`` and the program's user dialog go through add_account."""
    admin = world.actors["admin"]
    info = accounts.add_account(
        world.db,
        admin,
        None,
        username="maja",
        display_name="Maja",
        role=Role.CASEWORKER,
        team_ids=[world.team_a],
        password=NEW_PASSWORD,
    ).value
    with world.db.read() as s:
        [(change_by, change_fields)] = s.execute(
            select(SyncChange.username, SyncChange.fields).where(
                SyncChange.table_name == "server_logins"
            )
        ).all()
        stored = s.scalar(select(ServerLogin.verifier).where(ServerLogin.user_id == info.id))
        maja_uid = s.scalar(select(User.uid).where(User.id == info.id))
        outbox = s.scalars(select(SyncChange.fields)).all()
    fields = json.loads(change_fields)
    assert change_by == "admin" and fields["user_id"] == maja_uid
    assert fields["login"] is True and fields["verifier"].startswith("SCRAM-SHA-256$4096:")
    assert stored == ""  # the laptop's table keeps no verifier
    assert not any(NEW_PASSWORD in f for f in outbox)  # nor the password anywhere

    # What the sync does on the server with this change (as the administrator who made it).
    server_id = _add_user_row(store, "maja")
    engine = server.server_engine(store.url_as("ida", ADMIN_PASSWORD))
    try:
        with engine.begin() as conn:
            apply_login_change(
                conn, user_id=server_id, verifier=fields["verifier"], login=fields["login"]
            )
    finally:
        engine.dispose()
    assert _can_sign_in(store, "maja", NEW_PASSWORD)

    # Deactivating on the laptop sends NOLOGIN and no verifier.
    accounts.deactivate(world.db, admin, info.id)
    with world.db.read() as s:
        last = s.scalars(
            select(SyncChange.fields)
            .where(SyncChange.table_name == "server_logins")
            .order_by(SyncChange.seq.desc())
        ).first()
    assert last is not None and json.loads(last) == {"login": False}
