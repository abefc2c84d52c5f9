"""Push and pull between laptops and a real PostgreSQL team store: records typed on one laptop
appear on another; different fields merge; the same field changed on both is kept as a
conflict; sending twice changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from sqlalchemy import text, update
from syncworld import Laptop, joined_laptops, set_up_store

from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.sync import SyncChange
from hemlos_desktop.services import journal
from hemlos_desktop.services.clients import get_client, update_client
from hemlos_desktop.services.housing import delete_period, list_periods, save_period
from hemlos_desktop.services.sync import SyncResult, sync, sync_status
from hemlos_desktop.services.sync_conflicts import (
    Resolution,
    list_conflicts,
    open_conflict_count,
    resolve_conflict,
)
from hemlos_desktop.storage.server import ServerUnreachableError


@pytest.fixture
def laptops(tmp_path: Path, pg_database: PgDatabase) -> Iterator[dict[str, Laptop]]:
    with joined_laptops(tmp_path, set_up_store(pg_database)) as made:
        yield made


def _edit(laptop: Laptop, first: str, **changes: object) -> None:
    client_id = laptop.client_id(first)
    data = get_client(laptop.db, laptop.actor, client_id).data
    update_client(laptop.db, laptop.actor, client_id, dataclasses.replace(data, **changes))  # type: ignore[arg-type]


def _edited_apart(
    anna: Laptop, bo: Laptop, mine: dict[str, object], theirs: dict[str, object]
) -> SyncResult:
    """Alva is registered on anna's laptop and reaches bo's; then each changes her while
    apart, anna syncs first, bo second (his result returned), and anna once more."""
    anna.register("Alva", phone="070-111")
    anna.sync()
    bo.sync()
    _edit(anna, "Alva", **mine)
    _edit(bo, "Alva", **theirs)
    anna.sync()  # the server takes anna's values first
    result = bo.sync()
    anna.sync()
    return result


def test_a_client_registered_on_one_laptop_appears_on_the_other(
    laptops: dict[str, Laptop],
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    anna.register("Alva", phone="070-111")
    sent = anna.sync()
    assert sent.sent >= 2 and sent.complete  # the client, its access-log entry
    received = bo.sync()
    assert received.received >= 1
    assert bo.client_value("Alva", "phone") == "070-111"
    assert bo.client_value("Alva", "uid") == anna.client_value("Alva", "uid")
    # Sending again changes nothing; bo received nothing of his own back.
    assert anna.sync().sent == 0
    assert bo.sync().received == 0


def test_different_fields_of_one_record_merge_by_themselves(laptops: dict[str, Laptop]) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _edited_apart(anna, bo, {"phone": "070-222"}, {"address": "Storgatan 1"})
    for laptop in (anna, bo):
        assert laptop.client_value("Alva", "phone") == "070-222"
        assert laptop.client_value("Alva", "address") == "Storgatan 1"
        assert open_conflict_count(laptop.db, laptop.actor) == 0


def test_the_same_field_changed_on_both_keeps_both_values_until_someone_decides(
    laptops: dict[str, Laptop],
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    result = _edited_apart(anna, bo, {"phone": "070-3000"}, {"phone": "070-4000"})
    assert result.new_conflicts == 1
    for laptop in (anna, bo):
        assert laptop.client_value("Alva", "phone") == "070-3000"  # the same everywhere
        [conflict] = list_conflicts(laptop.db, laptop.actor)
        assert (conflict.table, conflict.field) == ("clients", "phone")
        assert conflict.current.value == "070-3000" and conflict.current.username == "anna"
        assert conflict.held.value == "070-4000" and conflict.held.username == "bo"
        assert conflict.client_id == laptop.client_id("Alva")
    [on_bo] = list_conflicts(bo.db, bo.actor)
    assert on_bo.held.this_machine and not on_bo.current.this_machine
    assert on_bo.held.machine_uid == bo.joined.machine_uid

    # bo decides for his own value: a change like any other, and the conflict closes everywhere.
    outcome = resolve_conflict(bo.db, bo.actor, on_bo.uid, Resolution.TAKE_HELD)
    assert outcome.changes.touches(on_bo.kind, bo.client_id("Alva"))
    assert bo.client_value("Alva", "phone") == "070-4000"
    assert open_conflict_count(bo.db, bo.actor) == 0
    bo.sync()
    anna.sync()
    assert anna.client_value("Alva", "phone") == "070-4000"
    assert open_conflict_count(anna.db, anna.actor) == 0
    [closed] = list_conflicts(anna.db, anna.actor, include_resolved=True)
    assert closed.resolved


def test_sending_the_same_changes_twice_changes_nothing(
    laptops: dict[str, Laptop], pg_database: PgDatabase
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    anna.register("Alva", phone="070-111")
    anna.sync()
    with pg_database.connect() as conn:
        before = conn.execute("SELECT count(*), max(server_seq) FROM sync_log").fetchone()
    # As if the laptop had been killed after the server committed, before it marked them sent.
    with anna.db.begin_core() as conn:
        conn.execute(update(SyncChange).values(sent_at=None))
    again = anna.sync()
    assert again.sent == 0 and again.complete
    with pg_database.connect() as conn:
        after = conn.execute("SELECT count(*), max(server_seq) FROM sync_log").fetchone()
        assert conn.execute("SELECT count(*) FROM clients").fetchone() == (1,)
    assert before is not None and after is not None and after[0] == before[0]
    bo.sync()
    with bo.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM clients")).scalar() == 1


def test_deletes_travel_and_drafts_stay_on_the_laptop(laptops: dict[str, Laptop]) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    client = anna.register("Alva")
    period = PeriodInput(code=1, start_date=dt.date(2026, 1, 5), place="Härbärget")
    save_period(anna.db, anna.actor, client, period, today=dt.date(2026, 12, 3))
    draft = journal.save_draft(
        anna.db,
        anna.actor,
        client,
        draft_id=None,
        entry_date=dt.date(2026, 12, 2),
        category=JournalCategory.CONTACT,
        text="Utkast som stannar här",
    ).value
    signed = journal.save_draft(
        anna.db,
        anna.actor,
        client,
        draft_id=None,
        entry_date=dt.date(2026, 12, 2),
        category=JournalCategory.CONTACT,
        text="Signerad anteckning",
    ).value
    journal.sign_entry(anna.db, anna.actor, signed, today=dt.date(2026, 12, 3))
    anna.sync()
    bo.sync()
    on_bo = bo.client_id("Alva")
    assert [p.place for p in list_periods(bo.db, bo.actor, on_bo)] == ["Härbärget"]
    with bo.db.read() as s:
        texts = set(s.scalars(text("SELECT text FROM journal_entries")))
    assert texts == {"Signerad anteckning"}
    assert draft  # the draft exists on anna's laptop only

    [shown] = list_periods(bo.db, bo.actor, on_bo)
    delete_period(bo.db, bo.actor, on_bo, shown.id, today=dt.date(2026, 12, 3))
    bo.sync()
    anna.sync()
    assert list_periods(anna.db, anna.actor, client) == []


def test_the_laptops_work_with_the_server_stopped_and_catch_up(
    laptops: dict[str, Laptop], pg_database: PgDatabase, tmp_path: Path
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    anna.register("Alva")
    anna.sync()
    bo.sync()
    # The server is gone (a wrong port is what a stopped server looks like to libpq).
    gone = anna.url.replace(f"port={pg_database.cluster.port}", "port=1")
    anna.url = gone
    _edit(anna, "Alva", phone="070-9999")
    with pytest.raises(ServerUnreachableError):
        anna.sync()
    assert anna.client_value("Alva", "phone") == "070-9999"  # the work is kept
    anna.url = bo.url
    assert anna.sync().sent >= 1
    bo.sync()
    assert bo.client_value("Alva", "phone") == "070-9999"


def test_a_name_changed_on_both_is_one_conflict_and_its_search_keys_follow_the_decision(
    laptops: dict[str, Laptop],
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _edited_apart(anna, bo, {"first_name": "Alvina"}, {"first_name": "Alfhild"})
    [conflict] = list_conflicts(bo.db, bo.actor)
    assert conflict.field == "first_name"
    assert (conflict.current.display, conflict.held.display) == ("Alvina", "Alfhild")
    assert bo.client_value("Alvina", "name_search") == anna.client_value("Alvina", "name_search")
    resolve_conflict(bo.db, bo.actor, conflict.uid, Resolution.TAKE_HELD)
    bo.sync()
    anna.sync()
    for laptop in (anna, bo):
        assert str(laptop.client_value("Alfhild", "name_search")).startswith("alfhild")
        assert open_conflict_count(laptop.db, laptop.actor) == 0


def test_a_cancelled_sync_is_consistent_and_the_next_one_finishes(
    laptops: dict[str, Laptop],
) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    anna.register("Alva")
    stopped = sync(anna.db, anna.credentials(), cancelled=lambda: True).value
    assert not stopped.complete and stopped.sent == 0
    assert sync_status(anna.db).unsent >= 1 and sync_status(anna.db).last_sync_at is None
    assert anna.sync().complete
    status = sync_status(anna.db)
    assert status.unsent == 0 and status.last_sync_at is not None and status.joined
    bo.sync()
    assert bo.client_value("Alva", "uid") == anna.client_value("Alva", "uid")


def test_a_conflict_decided_with_a_third_value(laptops: dict[str, Laptop]) -> None:
    anna, bo = laptops["anna"], laptops["bo"]
    _edited_apart(anna, bo, {"address": "Storgatan 1"}, {"address": "Lillgatan 2"})
    [conflict] = list_conflicts(anna.db, anna.actor) or list_conflicts(bo.db, bo.actor)
    resolve_conflict(bo.db, bo.actor, conflict.uid, Resolution.CHOSEN, "Mellangatan 3")
    bo.sync()
    anna.sync()
    for laptop in (anna, bo):
        assert laptop.client_value("Alva", "address") == "Mellangatan 3"
        assert open_conflict_count(laptop.db, laptop.actor) == 0
