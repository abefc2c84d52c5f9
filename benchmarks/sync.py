"""Sync benchmark: joining a team of 20,000 clients, an incremental sync, the simulation.

    python benchmarks/sync.py [--clients 20000] [--journals 5] [--steps 300]

Starts a throw-away PostgreSQL cluster on a Unix socket (as the tests do; as ``nobody`` when run
as root), fills a team store directly with COPY (clients and signed journal entries of one team),
and measures on this machine:

* ``initial_seconds``: ``join`` of a caseworker's laptop (row-level security reading everything
  the person may see, the encrypted local database written, production key costs);
* ``incremental_ms``: one ``sync`` that sends 100 changes and receives 100 from a colleague
  (median of 3);
* ``lost_edits`` and ``duplicates`` from the three-laptop simulation (``tests/server/syncsim.py``)
  with syncs killed by SIGKILL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "tests" / "server"))
sys.path.insert(0, str(HERE / "tests"))

from pgcluster import SUPERUSER, Cluster, PgDatabase  # noqa: E402
from psycopg import sql  # noqa: E402

TARGETS = {"initial_seconds": 30.0, "incremental_ms": 1000.0, "lost_edits": 0, "duplicates": 0}


def _bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found is not None:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        raise SystemExit("PostgreSQL is not installed (tools/system-deps.sh installs it)")
    return versions[-1].parent


@contextmanager
def cluster() -> Iterator[Cluster]:
    bin_dir = _bin_dir()
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "nobody", "--"] if as_root else []
    base = Path(tempfile.mkdtemp(prefix="hemlos-pgb-"))
    if as_root:
        shutil.chown(base, user="nobody")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"}
    data = base / "data"

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, env=env, cwd=base)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "--no-sync")
    (data / "pg_hba.conf").write_text(
        f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n", encoding="utf-8"
    )
    options = f"-k {base} -p {port} -c listen_addresses='' -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(base / "log"),
        "-w",
        "start",
    )
    try:
        yield Cluster(socket_dir=base, port=port)
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def new_database(where: Cluster, name: str) -> PgDatabase:
    with where.connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return PgDatabase(cluster=where, name=name)


def _default(column: Any) -> Any:
    from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text

    if column.nullable:
        return None
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, DateTime):
        return dt.datetime(2026, 1, 1, 12, 0)
    if isinstance(column.type, Date):
        return dt.date(2026, 1, 1)
    if isinstance(column.type, Integer):
        return 0
    if isinstance(column.type, String | Text):
        return ""
    raise ValueError(column.name)


def fill_store(store: PgDatabase, clients: int, journals: int) -> None:
    """A team store with team A (anna and bo, caseworkers) and its clients, written by COPY."""
    from syncworld import set_up_store

    from hemlos_desktop.models.base import Base
    from hemlos_desktop.models.text import fold, sort_name

    set_up_store(store)
    with store.connect() as conn:
        team = conn.execute("SELECT id FROM teams WHERE name = 'A'").fetchone()
        anna = conn.execute("SELECT id FROM users WHERE username = 'anna'").fetchone()
        assert team is not None and anna is not None
        client_table = Base.metadata.tables["clients"]
        entry_table = Base.metadata.tables["journal_entries"]
        now = dt.datetime(2026, 11, 1, 9, 0)

        def client_row(i: int) -> dict[str, Any]:
            first, last = f"Förnamn{i}", f"Efternamn{i}"
            name_search = fold(f"{first} {last} ")
            return {
                "id": i,
                "id_kind": "none",
                "first_name": first,
                "last_name": last,
                "name_search": name_search,
                "first_name_fold": fold(first),
                "last_name_fold": fold(last),
                "sort_name": sort_name(fold(last), name_search),
                "gender": "woman",
                "language": "sv",
                "phone": f"070-{i:07d}",
                "team_id": team[0],
                "status": "active",
                "uid": str(uuid.uuid4()),
                "created_at": now,
                "updated_at": now,
            }

        def entry_row(i: int, client: int) -> dict[str, Any]:
            return {
                "id": i,
                "client_id": client,
                "entry_date": dt.date(2026, 10, 1) + dt.timedelta(days=i % 30),
                "category": "contact",
                "text": f"Anteckning {i}: " + "Samtal om boende och stöd. " * 6,
                "status": "signed",
                "author_id": anna[0],
                "signed_at": now,
                "signed_by_id": anna[0],
                "uid": str(uuid.uuid4()),
                "created_at": now,
                "updated_at": now,
            }

        def copy(table: Any, rows: Iterator[dict[str, Any]]) -> None:
            names = [c.name for c in table.columns]
            defaults = {c.name: _default(c) for c in table.columns}
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names))
            )
            with conn.cursor() as cursor, cursor.copy(statement) as out:
                for row in rows:
                    out.write_row([row.get(n, defaults[n]) for n in names])
            conn.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
                ).format(sql.Literal(table.name), sql.Identifier(table.name))
            )

        copy(client_table, (client_row(i) for i in range(1, clients + 1)))
        copy(
            entry_table,
            (entry_row(i, (i - 1) // journals + 1) for i in range(1, clients * journals + 1)),
        )
        conn.execute("ANALYZE")


def measure_join(store: PgDatabase, folder: Path, name: str) -> tuple[float, Any]:
    from syncworld import PASSWORD, Laptop, store_url

    from hemlos_desktop.services.sync_join import join
    from hemlos_desktop.storage import DataLocation

    url = store_url(store)
    location = DataLocation(folder / name)
    started = time.perf_counter()
    joined = join(location, url=url, username=name, password=PASSWORD)
    seconds = time.perf_counter() - started
    return seconds, Laptop(name=name, location=location, url=url, joined=joined)


def measure_incremental(anna: Any, bo: Any, rounds: int = 3) -> list[float]:
    """A sync that sends 100 changes and receives 100: each side changes one field of 100
    clients (one captured change each)."""
    from sqlalchemy import select

    from hemlos_desktop.models.client import Client

    def edit(laptop: Any, ids: list[int], field: str, tag: str) -> None:
        with laptop.db.begin() as session:
            for client in session.scalars(select(Client).where(Client.id.in_(ids))):
                setattr(client, field, f"{tag} {client.id}")

    anna.sync()
    bo.sync()
    timings: list[float] = []
    for round_number in range(rounds):
        base = 1000 + round_number * 300
        edit(bo, list(range(base, base + 100)), "address", f"Gata {round_number}")
        bo.sync()  # bo's 100 changes wait on the server
        edit(anna, list(range(base + 100, base + 200)), "phone", f"08-{round_number}")
        started = time.perf_counter()
        result = anna.sync()
        timings.append((time.perf_counter() - started) * 1000)
        print(
            f"round {round_number}: sent {result.sent}, received {result.received}, "
            f"{timings[-1]:.0f} ms"
        )
    return timings


def run_simulation(folder: Path, steps: int) -> Any:
    """The simulation on a cluster of its own (roles belong to a whole cluster)."""
    with cluster() as where:
        return _simulate(where, folder, steps)


def _simulate(where: Cluster, folder: Path, steps: int) -> Any:
    os.environ["HEMLOS_SYNC_SIMULATION_STEPS"] = str(steps)
    from syncsim import Simulation
    from syncworld import join_laptop, set_up_store
    from test_sync_simulation import _killed_sync

    store = new_database(where, "simulation")
    url = set_up_store(store)
    laptops = [join_laptop(folder, url, name) for name in ("anna", "bo", "cissi")]
    sim = Simulation(laptops, seed=1, store=store)
    kills_at = set(sim.random.sample(range(20, steps), max(3, steps // 60)))
    try:
        for step in range(steps):
            index = sim.random.randrange(3)
            if step in kills_at:
                sim.edit(index)
                _killed_sync(sim, index)
            elif sim.random.random() < 0.12:
                sim.sync(index)
            else:
                sim.edit(index)
        sim.settle()
        return sim, sim.check()
    finally:
        for laptop in laptops:
            laptop.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--journals", type=int, default=5, help="signed entries per client")
    parser.add_argument("--steps", type=int, default=300, help="steps of the simulation")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with cluster() as where, tempfile.TemporaryDirectory(prefix="hemlos-syncb-") as tmp:
        folder = Path(tmp)
        store = new_database(where, "team")
        started = time.perf_counter()
        fill_store(store, args.clients, args.journals)
        print(f"team store filled: {args.clients} clients, {time.perf_counter() - started:.1f} s")
        initial, anna = measure_join(store, folder, "anna")
        print(f"join: {initial:.1f} s")
        _bo_seconds, bo = measure_join(store, folder, "bo")
        try:
            timings = measure_incremental(anna, bo)
        finally:
            anna.close()
            bo.close()
    with tempfile.TemporaryDirectory(prefix="hemlos-syncs-") as tmp:
        sim, report = run_simulation(Path(tmp), args.steps)
        print(
            f"simulation: {sim.edits} edits, {sim.syncs} syncs, {sim.kills} kills, "
            f"{report.conflicts} conflicts, {report.checked_values} values checked"
        )
    figures = {
        "initial_seconds": round(initial, 2),
        "incremental_ms": round(statistics.median(timings), 1),
        "lost_edits": len(report.lost_edits),
        "duplicates": len(report.duplicates),
        "clients": args.clients,
        "journal_entries": args.clients * args.journals,
        "simulation_differences": len(report.differences),
    }
    passed = (
        figures["initial_seconds"] <= TARGETS["initial_seconds"]
        and figures["incremental_ms"] <= TARGETS["incremental_ms"]
        and figures["lost_edits"] == 0
        and figures["duplicates"] == 0
        and figures["simulation_differences"] == 0
    )
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(
        json.dumps(
            {"benchmark": "sync", "figures": figures, "targets": TARGETS, "pass": passed},
            sort_keys=True,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
