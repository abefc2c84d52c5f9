"""`hemlos-desktop server init/upgrade` against a real PostgreSQL: the laptops' migrations, the
first administrator as a SCRAM role, and the schema equal to the models."""

from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pgcluster import PgDatabase

import hemlos_desktop.models  # noqa: F401  (registers every table)
from hemlos_desktop import ENV_PASSWORD
from hemlos_desktop.cli import main
from hemlos_desktop.models.base import Base
from hemlos_desktop.models.instrument import INSTRUMENT_SUFFIX
from hemlos_desktop.resources import resource_path
from hemlos_desktop.storage import migrate, server

ADMIN_PASSWORD = "Långt lösen 1"


def _shipped_count() -> int:
    return len(list(resource_path("instruments").glob("*" + INSTRUMENT_SUFFIX)))


def _init(pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch, name: str = "ida") -> int:
    monkeypatch.setenv(ENV_PASSWORD, ADMIN_PASSWORD)
    return main(["--lang", "en", "server", "init", "--url", pg_database.url, "--admin", name])


def test_init_creates_schema_and_administrator_role(
    pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(pg_database, monkeypatch, " Ida ") == 0
    assert "administrator: ida" in capsys.readouterr().out
    with pg_database.connect() as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            migrate.head_revision(),
        )
        assert conn.execute("SELECT username, role, active FROM users").fetchall() == [
            ("ida", "admin", True)
        ]
        facts = dict(conn.execute("SELECT key, value FROM database_info").fetchall())
        assert len(str(facts["database_uid"])) == 36
        secret = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'ida'").fetchone()
        assert secret is not None and str(secret[0]).startswith("SCRAM-SHA-256$")
        # The shipped instruments are on the server, so laptops receive them instead of each
        # making its own copy (with its own uid) that the server would then refuse.
        stored = conn.execute(
            "SELECT count(*), count(DISTINCT uid) FROM instrument_versions"
        ).fetchone()
    assert stored == (_shipped_count(), _shipped_count())
    # The administrator signs in with their own password (SCRAM over the socket) ...
    with pg_database.connect(user="ida", password=ADMIN_PASSWORD) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (1,)
    # ... and not with another.
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        pg_database.connect(user="ida", password="wrong")


def test_schema_on_postgresql_matches_the_models(
    pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _init(pg_database, monkeypatch) == 0
    engine = server.server_engine(pg_database.url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
    finally:
        engine.dispose()
    assert differences == []


def test_init_refuses_a_server_that_is_set_up(
    pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _init(pg_database, monkeypatch) == 0
    capsys.readouterr()
    assert _init(pg_database, monkeypatch, "olle") == 1
    assert "already holds tables" in capsys.readouterr().err
    with pg_database.connect() as conn:
        assert conn.execute("SELECT username FROM users").fetchall() == [("ida",)]
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'olle'").fetchone() is None


def test_upgrade_brings_an_older_server_to_head(
    pg_database: PgDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = server.server_engine(pg_database.url)
    try:
        with engine.connect() as conn, conn.begin():
            assert server.upgrade(conn, target="0006").after == "0006"
    finally:
        engine.dispose()
    with pg_database.connect() as conn:
        conn.execute(
            "INSERT INTO instrument_versions (instrument_id, version, source_text, source_name, "
            "created_at) VALUES ('x', 1, '', 'shipped', now())"
        )
    assert main(["--lang", "en", "server", "upgrade", "--url", pg_database.url]) == 0
    assert f"from 0006 to {migrate.head_revision()}" in capsys.readouterr().out
    with pg_database.connect() as conn:
        (uid,) = conn.execute(
            "SELECT uid FROM instrument_versions WHERE instrument_id = 'x'"
        ).fetchone() or ("",)
        shipped = conn.execute(
            "SELECT count(*) FROM instrument_versions WHERE source_name = 'shipped'"
        ).fetchone()
        policies = conn.execute("SELECT count(*) FROM pg_policies").fetchone()
    assert len(str(uid)) == 36
    assert shipped == (_shipped_count() + 1,)  # the update's shipped versions are added
    assert policies is not None and int(str(policies[0])) > 10
    assert main(["--lang", "en", "server", "upgrade", "--url", pg_database.url]) == 0
    assert "up to date" in capsys.readouterr().out


def test_unreachable_server_is_a_clear_message_without_the_password(
    pg_database: PgDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_database.url_as("nobody_here", "s3cret-Pw").replace(
        f"port={pg_database.cluster.port}", "port=1"
    )
    assert main(["--lang", "en", "server", "upgrade", "--url", url]) == 1
    err = capsys.readouterr().err
    assert "did not answer or refused the connection" in err
    assert "s3cret" not in err and "nobody_here" not in err


def test_an_address_that_is_not_postgresql_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "server", "upgrade", "--url", "sqlite:///x.db"]) == 2
    assert "postgresql://" in capsys.readouterr().err
