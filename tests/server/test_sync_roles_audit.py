"""End to end with the sync engine: a user added on an administrator's laptop can sign in to the
server after a sync (and no longer after a deactivation); the team area's records travel; the
server checks each laptop's access log separately and finds the one that was tampered with."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from sqlalchemy import select
from syncworld import PASSWORD, Laptop, can_sign_in, joined_laptops, set_up_store, store_url

from hemlos_desktop.cli import main
from hemlos_desktop.models.people import Role, User
from hemlos_desktop.models.team import UnitKind
from hemlos_desktop.services import accounts, team_meetings, team_org
from hemlos_desktop.services.server_audit import MISMATCH, verify_server_logs
from hemlos_desktop.services.server_roles import queue_login
from hemlos_desktop.services.team_meetings import ActionDraft

NEW_PASSWORD = "Ett nytt lösenord 8"
DAY = dt.date(2026, 12, 1)


@pytest.fixture
def store(pg_database: PgDatabase) -> PgDatabase:
    set_up_store(pg_database)
    return pg_database


@pytest.fixture
def laptops(tmp_path: Path, store: PgDatabase) -> Iterator[dict[str, Laptop]]:
    with joined_laptops(tmp_path, store_url(store), ("ida", "anna", "cissi")) as made:
        yield made


def test_a_user_added_on_a_laptop_signs_in_to_the_server_after_a_sync(
    store: PgDatabase, laptops: dict[str, Laptop]
) -> None:
    ida = laptops["ida"]
    team_a = ida.team_id("A")
    maja = accounts.add_account(
        ida.db,
        ida.actor,
        ida.joined.signed_in.data_key,
        username="maja",
        display_name="Maja",
        role=Role.CASEWORKER,
        team_ids=[team_a],
        password=NEW_PASSWORD,
    ).value
    assert not can_sign_in(store, "maja", NEW_PASSWORD)
    result = ida.sync()
    assert result.refused == 0 and result.complete
    assert can_sign_in(store, "maja", NEW_PASSWORD)
    with store.connect() as conn:
        # Nowhere on the server but in PostgreSQL's own catalogue.
        assert conn.execute("SELECT verifier FROM server_logins").fetchall() == [("",)]
        logged = conn.execute(
            "SELECT fields FROM sync_log WHERE table_name = 'server_logins'"
        ).fetchall()
        assert logged and all(json.loads(str(f))["verifier"] == "" for (f,) in logged)
    # The other laptops learn of her (and of no verifier).
    laptops["anna"].sync()

    accounts.deactivate(ida.db, ida.actor, maja.id)
    assert ida.sync().refused == 0
    assert not can_sign_in(store, "maja", NEW_PASSWORD)


def test_a_caseworker_cannot_make_roles_through_the_sync(
    store: PgDatabase, laptops: dict[str, Laptop]
) -> None:
    anna = laptops["anna"]
    # Her laptop's database is hers: she could write the queue table by hand. The server says no.
    with anna.db.begin() as s:
        bo = s.scalar(select(User.id).where(User.username == "bo"))
        assert bo is not None
        queue_login(s, bo, password=NEW_PASSWORD, login=True)
    assert anna.sync().refused == 1
    assert not can_sign_in(store, "bo", NEW_PASSWORD)
    assert can_sign_in(store, "bo", PASSWORD)


def test_team_records_travel_between_laptops(laptops: dict[str, Laptop]) -> None:
    cissi, anna = laptops["cissi"], laptops["anna"]
    team_org.add_unit(cissi.db, cissi.actor, cissi.team_id("A"), "Uppsök", UnitKind.OUTREACH)
    assert cissi.sync().refused == 0
    anna.sync()
    assert [u.name for u in team_org.list_units(anna.db, anna.team_id("A"))] == ["Uppsök"]


def test_a_review_meeting_travels_and_its_action_is_marked_done_elsewhere(
    laptops: dict[str, Laptop],
) -> None:
    cissi, anna = laptops["cissi"], laptops["anna"]
    client = cissi.register("Alva")
    team = cissi.team_id("A")
    anna_on_cissi = _user_id(cissi, "anna")
    meeting = team_meetings.create_meeting(
        cissi.db,
        cissi.actor,
        team,
        meeting_date=DAY,
        participant_ids=[cissi.actor.user_id, anna_on_cissi],
        propose=False,
    ).value
    item = team_meetings.add_item(cissi.db, cissi.actor, meeting, client_id=client).value
    team_meetings.record_minutes(
        cissi.db,
        cissi.actor,
        item,
        decision="Boendestöd",
        new_actions=[ActionDraft("Ring hyresvärden", anna_on_cissi, DAY)],
    )
    assert cissi.sync().refused == 0
    anna.sync()
    [summary] = team_meetings.list_meetings(anna.db, anna.actor, anna.team_id("A"))
    detail = team_meetings.meeting_detail(anna.db, anna.actor, summary.id)
    [row] = detail.items
    assert row.decision == "Boendestöd" and row.client_name.startswith("Alva")
    assert set(detail.participant_ids) == {_user_id(anna, "anna"), _user_id(anna, "cissi")}
    [action] = row.actions
    team_meetings.set_action_done(anna.db, anna.actor, action.id, done=True)
    assert anna.sync().refused == 0
    cissi.sync()
    [done] = team_meetings.meeting_detail(cissi.db, cissi.actor, meeting).items[0].actions
    assert done.done


def _user_id(laptop: Laptop, name: str) -> int:
    with laptop.db.read() as s:
        found = s.scalar(select(User.id).where(User.username == name))
    assert found is not None
    return int(found)


def test_each_laptops_access_log_is_verified_on_the_server(
    store: PgDatabase, laptops: dict[str, Laptop], capsys: pytest.CaptureFixture[str]
) -> None:
    anna, cissi = laptops["anna"], laptops["cissi"]
    anna.register("Alva")
    anna.register("Berit")
    cissi.register("Cecilia")
    anna.sync()
    cissi.sync()
    chains = {c.machine_uid: c for c in verify_server_logs(store.url)}
    anna_machine = anna.joined.machine_uid
    cissi_machine = cissi.joined.machine_uid
    assert {anna_machine, cissi_machine} <= set(chains)
    assert all(chain.ok for chain in chains.values())
    assert chains[anna_machine].entries >= 2 and chains[anna_machine].from_start

    # Someone with the server's keys rewrites one of anna's entries.
    with store.connect() as conn:
        row = conn.execute(
            "SELECT server_seq, fields FROM sync_log WHERE machine_uid = %s "
            "AND table_name = 'audit_log' ORDER BY seq OFFSET 1 LIMIT 1",
            (anna_machine,),
        ).fetchone()
        assert row is not None
        fields = json.loads(str(row[1]))
        fields["action"] = "view" if fields["action"] != "view" else "create"
        conn.execute(
            "UPDATE sync_log SET fields = %s WHERE server_seq = %s",
            (json.dumps(fields), row[0]),
        )
    chains = {c.machine_uid: c for c in verify_server_logs(store.url)}
    broken = chains[anna_machine]
    assert not broken.ok and broken.problem == MISMATCH
    assert broken.first_bad_id == fields["id"]
    assert chains[cissi_machine].ok

    capsys.readouterr()
    assert main(["--lang", "en", "server", "audit-verify", "--url", store.url]) == 1
    out, err = capsys.readouterr()
    assert f"Computer {cissi_machine}" in out and "intact" in out
    assert f"Computer {anna_machine}" in err
    assert f"broken at entry {fields['id']}" in err
    assert main(["server", "audit-verify", "--url", store.url, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    machines = {m["machine"]: m for m in report["machines"]}
    assert report["intact"] is False
    assert machines[anna_machine]["first_bad_entry"] == fields["id"]
    assert machines[cissi_machine]["intact"] is True
