"""Setting up and upgrading the team server (PostgreSQL), and its user roles.

``init_server`` creates the schema with the same migrations as the laptops and the first
administrator: a row in ``users`` and a PostgreSQL role of the same name, with a SCRAM password,
that may create the roles of the users added later. ``upgrade_server`` migrates an existing
server after an update. Both run in one transaction: a failure leaves the server as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.people import Role, User
from hemlos_desktop.services.database_info import ensure_initialised
from hemlos_desktop.services.instruments import ensure_shipped
from hemlos_desktop.services.setup import validate_new_account
from hemlos_desktop.storage import server
from hemlos_desktop.storage.crypto.keystore import normalize_username

GROUP_ROLE = "hemlos_users"
_RESERVED = frozenset({"postgres", "public", GROUP_ROLE})


@dataclass(frozen=True)
class ServerInitResult:
    revision: str
    admin_username: str


@dataclass(frozen=True)
class ServerUpgradeResult:
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def validate_role_name(username: str) -> str:
    """The user name as a PostgreSQL role name; a clear error when PostgreSQL cannot take it."""
    name = normalize_username(username)
    if name in _RESERVED or name.startswith("pg_"):
        raise InvalidInputError(
            _("This user name is reserved on the team server; choose another."), field="username"
        )
    if len(name.encode("utf-8")) > 63:
        raise InvalidInputError(
            _("The user name is too long for the team server (at most 63 bytes)."),
            field="username",
        )
    return name


def init_server(url: str, *, username: str, display_name: str, password: str) -> ServerInitResult:
    """Create the schema and the first administrator on an empty server database."""
    problem = validate_new_account(username, display_name, password, password)
    if problem:
        raise InvalidInputError(problem, field="username")
    name = validate_role_name(username)
    engine = server.server_engine(url)
    try:
        with server.connect(engine) as conn, conn.begin():
            if server.current_revision(conn) is not None or server.has_tables(conn):
                raise server.ServerAlreadySetUpError("schema present")
            schema = server.upgrade(conn)
            after_schema(conn)
            conn.execute(
                insert(User).values(
                    username=name, display_name=display_name.strip(), role=Role.ADMIN.value
                )
            )
            create_login_role(conn, name, password, administrator=True)
    finally:
        engine.dispose()
    return ServerInitResult(revision=schema.after, admin_username=name)


def after_schema(conn: Connection) -> None:
    """What follows every schema change of the server, set-up and upgrade alike (in the
    caller's transaction; each step does only what is missing)."""
    with Session(bind=conn) as session:
        ensure_initialised(session)  # when and by which version; the store's own uid
        # The shipped instruments live on the server first, so that every laptop receives the
        # same versions (with the same uids) instead of making its own; an update may ship a
        # new instrument version.
        ensure_shipped(session)
        session.flush()


def upgrade_server(url: str) -> ServerUpgradeResult:
    """Bring a set-up server to this version's schema (nothing happens when it is current)."""
    engine = server.server_engine(url)
    try:
        with server.connect(engine) as conn, conn.begin():
            if server.current_revision(conn) is None:
                raise server.ServerNotSetUpError("no schema revision")
            schema = server.upgrade(conn)
            after_schema(conn)
    finally:
        engine.dispose()
    return ServerUpgradeResult(before=schema.before, after=schema.after)


def create_login_role(
    conn: Connection, username: str, password: str, *, administrator: bool = False
) -> None:
    """The PostgreSQL role a user signs in to the server with: same name, SCRAM password,
    member of the group the row-level security rules are granted to. Administrators may
    create the roles of the users they add."""
    name = validate_role_name(username)
    if conn.execute(select(User.id).where(User.username == name)).first() is None:
        raise InvalidInputError(_("There is no user with this name."), field="username")
    verifier = server.scram_verifier(conn, name, password)
    options = sql.SQL("LOGIN CREATEROLE") if administrator else sql.SQL("LOGIN")
    database = conn.engine.url.database or ""
    statements = [
        sql.SQL("CREATE ROLE {} {} PASSWORD {} IN ROLE {}").format(
            sql.Identifier(name), options, sql.Literal(verifier), sql.Identifier(GROUP_ROLE)
        ),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(name)
        ),
    ]
    if administrator:
        # So that the administrator can make the roles of new users members of the group.
        statements.append(
            sql.SQL("GRANT {} TO {} WITH ADMIN OPTION").format(
                sql.Identifier(GROUP_ROLE), sql.Identifier(name)
            )
        )
    driver: Any = conn.connection.dbapi_connection
    with driver.cursor() as cursor:  # the same connection, so the same transaction
        for statement in statements:
            cursor.execute(statement)
