"""The team server: a PostgreSQL database with the same schema as the laptops.

``--url`` takes a libpq-style address (``postgresql://user:password@host/db?sslmode=verify-full``
or ``postgresql://user@/db?host=/run/postgresql`` for a local socket); the driver is psycopg 3.
The schema comes from the same Alembic migrations as the laptops' SQLite files; revisions that
only concern the server (row-level security) do nothing on SQLite.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from hemlos_desktop.errors import HemlosError, MigrationFailedError, NewerSchemaError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage import migrate

log = logging.getLogger(__name__)

_SCHEMES = frozenset({"postgresql", "postgres", "postgresql+psycopg"})


class ServerAddressError(HemlosError):
    exit_code = 2

    def title(self) -> str:
        return _("Server address not understood")

    def message(self) -> str:
        return _("The server address must look like postgresql://user@host/database.")


class ServerUnreachableError(HemlosError):
    def title(self) -> str:
        return _("The team server cannot be reached")

    def message(self) -> str:
        return _("The team server did not answer or refused the connection.")

    def advice(self) -> str:
        return _(
            "Check the address, the user name and the password, and that the server is running. "
            "Your work on this computer is kept."
        )


class ServerAlreadySetUpError(HemlosError):
    def title(self) -> str:
        return _("The team server is already set up")

    def message(self) -> str:
        return _("The database on the server already holds tables; nothing was changed.")

    def advice(self) -> str:
        return _("To bring it up to date after an update, use: hemlos-desktop server upgrade.")


class ServerNotSetUpError(HemlosError):
    def title(self) -> str:
        return _("The team server is not set up")

    def message(self) -> str:
        return _("The database on the server holds no Hemlös Desktop schema.")

    def advice(self) -> str:
        return _("Set it up first with: hemlos-desktop server init.")


@dataclass(frozen=True)
class ServerSchema:
    before: str | None
    after: str


def server_url(url: str) -> URL:
    """The address with psycopg as the driver; a clear error for anything else."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError as exc:
        raise ServerAddressError("unparsable server address") from exc
    if parsed.drivername not in _SCHEMES or not parsed.database:
        raise ServerAddressError("not a postgresql address with a database")
    return parsed.set(drivername="postgresql+psycopg")


def server_engine(url: str) -> Engine:
    """An engine for the server (no pool: admin commands and syncs are short and occasional)."""
    return create_engine(server_url(url), poolclass=NullPool)


class ServerRefusedError(HemlosError):
    """The server answered but would not let the person in (password, role, deactivated)."""

    def title(self) -> str:
        return _("The team server refused the sign-in")

    def message(self) -> str:
        return _("The team server did not accept this user name and password.")

    def advice(self) -> str:
        return _(
            "Check your password; if it was changed recently, sync from a computer where it "
            "works or ask an administrator. Your work on this computer is kept."
        )


# SQLSTATE classes of a refused sign-in: invalid authorization (28…), and "no such database".
_REFUSED_STATES = ("28", "3D000")


def connect(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except OperationalError as exc:
        state = getattr(exc.orig, "sqlstate", None) or ""
        # libpq gives no SQLSTATE for a failed sign-in; that the password was used means the
        # server answered and turned the person away.
        answered = bool(getattr(getattr(exc.orig, "pgconn", None), "used_password", False))
        # The driver's text may carry the host or user name; only the kind is logged.
        log.warning("team server connection failed (%s)", type(exc.orig).__name__)
        if answered or state.startswith(_REFUSED_STATES):
            raise ServerRefusedError("sign-in refused") from None
        raise ServerUnreachableError("connection failed") from None


def user_engine(url: str, username: str, password: str) -> Engine:
    """An engine that signs in to the server as the person's own role (their user name and
    password); the address itself never holds the password."""
    parsed = server_url(url).set(username=username, password=password)
    return create_engine(
        parsed, poolclass=NullPool, hide_parameters=True, connect_args={"connect_timeout": 10}
    )


def address_without_password(url: str) -> str:
    """The address to remember and show: no user name, no password."""
    parsed = server_url(url).set(username=None, password=None, drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def has_tables(conn: Connection) -> bool:
    return bool(set(inspect(conn).get_table_names()) - {"alembic_version"})


def upgrade(conn: Connection, *, target: str = "head") -> ServerSchema:
    """Run the migrations on the server in the caller's transaction (all or nothing)."""
    from alembic import command

    before = current_revision(conn)
    if before is not None and before not in migrate.known_revisions():
        raise NewerSchemaError(f"server at unknown revision {before}")
    if before is None and has_tables(conn):
        raise ServerAlreadySetUpError("tables without a schema revision")
    try:
        command.upgrade(migrate.alembic_config(conn), target)
    except HemlosError:
        raise
    except Exception as exc:
        log.exception("server schema upgrade from %s failed", before)
        raise MigrationFailedError(f"server upgrade from {before} failed") from exc
    after = current_revision(conn)
    assert after is not None
    return ServerSchema(before=before, after=after)


def scram_verifier(conn: Connection, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, computed here by libpq, so that the password
    itself never travels to the server or appears in its logs."""
    driver: Any = conn.connection.dbapi_connection
    verifier: bytes = driver.pgconn.encrypt_password(
        password.encode("utf-8"), role.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")
