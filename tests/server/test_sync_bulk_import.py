"""A bulk import travels like clients registered by hand: the clients, their target groups and
the import's access-log entries reach the team store and the other laptop of the team, the
same values on both, nothing sent twice, no conflict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clientworld import pnr
from pgcluster import PgDatabase
from sqlalchemy import text
from syncworld import Laptop, joined_laptops, set_up_store

from hemlos_desktop.services import client_io
from hemlos_desktop.services.sync_conflicts import open_conflict_count

ROWS = 25


@pytest.fixture
def laptops(tmp_path: Path, pg_database: PgDatabase) -> Iterator[dict[str, Laptop]]:
    with joined_laptops(tmp_path, set_up_store(pg_database)) as made:
        yield made


def _imported(laptop: Laptop) -> list[dict[str, Any]]:
    """The imported clients as the laptop holds them (local ids and edit times left out),
    with their target groups, by uid."""
    with laptop.db.read() as s:
        rows = [
            dict(row)
            for row in s.execute(
                text("SELECT * FROM clients WHERE first_name LIKE 'Import%' ORDER BY uid")
            ).mappings()
        ]
        groups = {
            uid: sorted(g for (g,) in s.execute(
                text(
                    "SELECT target_group FROM client_target_groups t JOIN clients c "
                    "ON c.id = t.client_id WHERE c.uid = :u"
                ),
                {"u": uid},
            ))
            for uid in (row["uid"] for row in rows)
        }  # fmt: skip
    for row in rows:
        for local in ("id", "updated_at", "responsible_user_id", "team_id", "created_by_id"):
            row.pop(local)
        row["groups"] = groups[row["uid"]]
    return rows


def test_an_import_reaches_the_other_laptop_as_it_was_imported(
    laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    path = tmp_path / "register.csv"
    path.write_text(
        "personnummer;förnamn;efternamn;kön;målgrupper\n"
        + "".join(
            f"{pnr(dt.date(1960, 1, 1) + dt.timedelta(days=n))};Import{n};Åberg;"
            f"{'kvinna' if n % 2 else 'man'};{'missbruk' if n % 3 == 0 else ''}\n"
            for n in range(ROWS)
        ),
        encoding="utf-8",
    )
    report = client_io.import_clients(anna.db, anna.actor, path).value
    assert report.imported == ROWS
    sent = anna.sync()
    # Every client, its target groups and its access-log entry.
    assert sent.complete and sent.sent >= 2 * ROWS + ROWS // 3
    assert bo.sync().received >= ROWS
    on_anna, on_bo = _imported(anna), _imported(bo)
    assert len(on_anna) == ROWS
    assert on_bo == on_anna
    assert any(row["groups"] == ["substance_abuse"] for row in on_bo)
    # Nothing is sent twice, nothing comes back, and nothing conflicts.
    assert anna.sync().sent == 0
    assert bo.sync().received == 0
    assert open_conflict_count(anna.db, anna.actor) == open_conflict_count(bo.db, bo.actor) == 0
