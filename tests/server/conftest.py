"""A real, throw-away PostgreSQL cluster for the team-server tests.

One cluster per test session: ``initdb`` into a temporary folder, listening only on a Unix
socket in that folder (no TCP), on a free port number, stopped and removed at the end. PostgreSQL
refuses to run as root, so under root the cluster runs as the unprivileged ``nobody`` user
(``runuser``). Each test gets a database of its own; the roles a test creates are dropped after it.

Every test in this folder is marked ``postgres`` (deselect with ``-m "not postgres"``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import SUPERUSER, Cluster, PgDatabase
from psycopg import sql

UNPRIVILEGED = "nobody"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.postgres)


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found is not None and shutil.which("initdb") is not None:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (tools/system-deps.sh installs it)")
    as_root = os.geteuid() == 0
    prefix: list[str] = ["runuser", "-u", UNPRIVILEGED, "--"] if as_root else []
    # A short path: a Unix socket's path must stay under about 100 characters.
    base = Path(tempfile.mkdtemp(prefix="hemlos-pg-"))
    data = base / "data"
    if as_root:
        shutil.chown(base, user=UNPRIVILEGED)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"}

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, env=env, cwd=base)

    try:
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        # The superuser comes in without a password (the socket folder is private to the
        # cluster's owner and root); everyone else proves their password with SCRAM.
        (data / "pg_hba.conf").write_text(
            f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n", encoding="utf-8"
        )
        options = (
            f"-k {base} -p {port} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "start",
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(base, ignore_errors=True)
        message = (exc.stderr or b"").decode("utf-8", "replace")[-500:]
        pytest.fail(f"could not start the test PostgreSQL cluster: {message}")
    try:
        yield Cluster(socket_dir=base, port=port)
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> Iterator[PgDatabase]:
    """An empty database of the test's own; roles the test created are dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with pg_cluster.connect("postgres") as admin:
        roles_before = {row[0] for row in admin.execute("SELECT rolname FROM pg_roles")}
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield PgDatabase(cluster=pg_cluster, name=name)
    finally:
        with pg_cluster.connect("postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            for (role,) in admin.execute("SELECT rolname FROM pg_roles").fetchall():
                if role not in roles_before:
                    admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(str(role))))
