"""A deletion never silently wins over a change made while apart: whichever laptop syncs
first, the record stays on every laptop and the server, and one conflict ("deleted on one
computer, changed on another") waits on both laptops until someone decides; deciding either
way converges everywhere. A deletion of a record nobody changed is a plain deletion."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from sqlalchemy import create_engine, text
from syncworld import PASSWORD, Laptop, joined_laptops, set_up_store

from hemlos_desktop import ENV_PASSWORD, ENV_USER
from hemlos_desktop.cli import main
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.services.housing import delete_period, list_periods, save_period
from hemlos_desktop.services.sync_conflicts import (
    Conflict,
    Resolution,
    list_conflicts,
    resolve_conflict,
)

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def laptops(tmp_path: Path, pg_database: PgDatabase) -> Iterator[dict[str, Laptop]]:
    with joined_laptops(tmp_path, set_up_store(pg_database)) as made:
        yield made


def _places(laptop: Laptop) -> list[str]:
    return [p.place for p in list_periods(laptop.db, laptop.actor, laptop.client_id("Alva"))]


def _server_places(pg_database: PgDatabase) -> list[str]:
    engine = create_engine(pg_database.url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT place FROM housing_periods")).scalars())
    finally:
        engine.dispose()


def _apart(anna: Laptop, bo: Laptop, *, deleter_first: bool) -> None:
    """A housing period reaches both laptops; anna deletes it while bo changes its place."""
    client = anna.register("Alva")
    period = PeriodInput(code=1, start_date=dt.date(2026, 1, 5), place="Härbärget")
    save_period(anna.db, anna.actor, client, period, today=TODAY)
    anna.sync()
    bo.sync()
    [on_anna] = list_periods(anna.db, anna.actor, client)
    delete_period(anna.db, anna.actor, client, on_anna.id, today=TODAY)
    on_bo = bo.client_id("Alva")
    [shown] = list_periods(bo.db, bo.actor, on_bo)
    changed = PeriodInput(code=1, start_date=dt.date(2026, 1, 5), place="Stödboendet")
    save_period(bo.db, bo.actor, on_bo, changed, period_id=shown.id, today=TODAY)
    first, second = (anna, bo) if deleter_first else (bo, anna)
    first.sync()
    second.sync()
    first.sync()


def _the_conflict(laptop: Laptop) -> Conflict:
    [conflict] = list_conflicts(laptop.db, laptop.actor)
    return conflict


@pytest.mark.parametrize("deleter_first", [True, False], ids=["delete-first", "change-first"])
def test_a_deletion_against_a_change_is_one_conflict_and_loses_nothing(
    laptops: dict[str, Laptop], pg_database: PgDatabase, deleter_first: bool
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _apart(anna, bo, deleter_first=deleter_first)
    # Nothing lost: the record with bo's value is on both laptops and the server.
    assert _places(anna) == ["Stödboendet"]
    assert _places(bo) == ["Stödboendet"]
    assert _server_places(pg_database) == ["Stödboendet"]
    on_anna, on_bo = _the_conflict(anna), _the_conflict(bo)
    assert on_anna.uid == on_bo.uid
    assert on_anna.deletion and on_anna.table == "housing_periods"
    assert on_anna.held.value == "deleted" and on_anna.held.username == "anna"
    assert on_anna.held.this_machine and not on_bo.held.this_machine
    assert on_anna.current.value == "kept" and on_anna.current.username == "bo"
    assert on_bo.current.this_machine
    assert on_anna.held.display == "deleted"


@pytest.mark.parametrize("deleter_first", [True, False], ids=["delete-first", "change-first"])
@pytest.mark.parametrize("decider", ["anna", "bo"])
def test_deciding_delete_removes_it_everywhere(
    laptops: dict[str, Laptop], pg_database: PgDatabase, deleter_first: bool, decider: str
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _apart(anna, bo, deleter_first=deleter_first)
    deciding = laptops[decider]
    other = bo if deciding is anna else anna
    resolve_conflict(deciding.db, deciding.actor, _the_conflict(deciding).uid, Resolution.TAKE_HELD)
    deciding.sync()
    other.sync()
    assert _places(anna) == [] and _places(bo) == []
    assert _server_places(pg_database) == []
    for laptop in (anna, bo):
        assert list_conflicts(laptop.db, laptop.actor) == []  # closed on both
        [closed] = list_conflicts(laptop.db, laptop.actor, include_resolved=True)
        assert closed.resolved and closed.deletion


@pytest.mark.parametrize("deleter_first", [True, False], ids=["delete-first", "change-first"])
def test_deciding_keep_keeps_the_changed_record_everywhere(
    laptops: dict[str, Laptop], pg_database: PgDatabase, deleter_first: bool
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _apart(anna, bo, deleter_first=deleter_first)
    resolve_conflict(anna.db, anna.actor, _the_conflict(anna).uid, Resolution.KEEP_CURRENT)
    anna.sync()
    bo.sync()
    anna.sync()
    assert _places(anna) == _places(bo) == _server_places(pg_database) == ["Stödboendet"]
    assert list_conflicts(anna.db, anna.actor) == list_conflicts(bo.db, bo.actor) == []
    # The kept record is an ordinary one again: a later deletion is a plain deletion.
    [kept] = list_periods(bo.db, bo.actor, bo.client_id("Alva"))
    delete_period(bo.db, bo.actor, bo.client_id("Alva"), kept.id, today=TODAY)
    bo.sync()
    anna.sync()
    assert _places(anna) == [] and _server_places(pg_database) == []
    assert list_conflicts(anna.db, anna.actor, include_resolved=True)[0].resolved


def test_a_deletion_nobody_competes_with_is_a_plain_deletion(
    laptops: dict[str, Laptop], pg_database: PgDatabase
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    client = anna.register("Alva")
    period = PeriodInput(code=1, start_date=dt.date(2026, 1, 5), place="Härbärget")
    save_period(anna.db, anna.actor, client, period, today=TODAY)
    anna.sync()
    bo.sync()
    # bo changes it, anna receives the change, and then deletes it: she saw bo's value.
    on_bo = bo.client_id("Alva")
    [shown] = list_periods(bo.db, bo.actor, on_bo)
    changed = PeriodInput(code=1, start_date=dt.date(2026, 1, 5), place="Stödboendet")
    save_period(bo.db, bo.actor, on_bo, changed, period_id=shown.id, today=TODAY)
    bo.sync()
    anna.sync()
    [seen] = list_periods(anna.db, anna.actor, client)
    assert seen.place == "Stödboendet"
    delete_period(anna.db, anna.actor, client, seen.id, today=TODAY)
    anna.sync()
    bo.sync()
    assert _places(anna) == [] and _places(bo) == [] and _server_places(pg_database) == []
    assert list_conflicts(anna.db, anna.actor, include_resolved=True) == []
    assert list_conflicts(bo.db, bo.actor, include_resolved=True) == []


@pytest.mark.usefixtures("fast_kdf")
def test_the_command_line_lists_a_deletion_conflict(
    laptops: dict[str, Laptop],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _apart(anna, bo, deleter_first=False)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORD)
    monkeypatch.setenv(ENV_USER, "anna")
    folder = str(anna.location.folder)
    assert main(["--lang", "en", "conflicts", "--json", "--data-dir", folder]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["deletion"] is True and listed["table"] == "housing_periods"
    assert listed["current"]["value"] == "kept" and listed["current"]["username"] == "bo"
    assert listed["held"]["value"] == "deleted" and listed["held"]["this_machine"] is True
    assert main(["--lang", "en", "conflicts", "--data-dir", folder]) == 0
    out = capsys.readouterr().out
    assert "housing_periods: deleted on one computer, changed on another" in out
    assert "held back: deleted (anna," in out
