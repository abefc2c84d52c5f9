"""The access log: reads and changes are recorded; the hash chain detects tampering."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from clientworld import World, pnr

from hemlos_desktop.cli import main as cli_main
from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.services import audit, clients
from hemlos_desktop.services.case_overview import case_overview
from hemlos_desktop.storage import Database


def actions(world: World, client_id: int) -> list[AuditAction]:
    rows = audit.list_entries(
        world.db, world.actors["admin"], audit.AuditQuery(client_id=client_id)
    )
    return [r.action for r in reversed(rows)]


def test_reads_and_changes_are_logged(world: World) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)), by="anna")
    case_overview(world.db, world.actors["anna"], cid)
    clients.reveal_number(world.db, world.actors["anna"], cid)
    assert actions(world, cid) == [AuditAction.CREATE, AuditAction.VIEW, AuditAction.REVEAL_NUMBER]
    rows = audit.list_entries(world.db, world.actors["lead"], audit.AuditQuery(client_id=cid))
    assert {r.username for r in rows} == {"anna"}
    with pytest.raises(AccessDeniedError):
        audit.list_entries(world.db, world.actors["anna"], audit.AuditQuery())


def test_chain_verifies_and_detects_edits_and_removals(world: World) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    for _ in range(3):
        case_overview(world.db, world.actors["admin"], cid)
    report = audit.verify_chain(world.db)
    assert report.ok and report.verified == 4
    path = world.db.path
    world.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE audit_log SET username = 'someone' WHERE id = 2")
    report = audit.verify_chain(world.db)
    assert not report.ok and report.first_bad_id == 2 and report.verified == 1


def test_removing_the_newest_entry_is_detected(world: World) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    case_overview(world.db, world.actors["admin"], cid)
    world.db.dispose()
    with sqlite3.connect(world.db.path) as conn:
        conn.execute("DELETE FROM audit_log WHERE id = 2")
    assert not audit.verify_chain(world.db).ok


def test_cli_verify(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    case_overview(world.db, world.actors["admin"], cid)
    folder = str(world.db.location.folder)
    world.db.dispose()
    assert cli_main(["--lang", "en", "audit", "verify", "--data-dir", folder]) == 0
    assert "2 entries verified" in capsys.readouterr().out
    with sqlite3.connect(world.db.path) as conn:
        conn.execute("UPDATE audit_log SET action = 'view' WHERE id = 1")
    assert cli_main(["--lang", "en", "audit", "verify", "--data-dir", folder]) == 1
    assert "entry 1" in capsys.readouterr().err


def test_an_emptied_log_fails_verification_while_clients_exist(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    folder = str(world.db.location.folder)
    world.db.dispose()
    with sqlite3.connect(world.db.path) as conn:
        conn.execute("DELETE FROM audit_log")
        conn.execute("DELETE FROM database_info WHERE key = 'audit_head'")
    report = audit.verify_chain(world.db)
    assert not report.ok and report.verified == 0
    assert cli_main(["--lang", "en", "audit", "verify", "--data-dir", folder]) == 1
    assert "empty" in capsys.readouterr().err


def test_a_truncated_log_fails_verification(world: World) -> None:
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    for _ in range(3):
        case_overview(world.db, world.actors["admin"], cid)
    world.db.dispose()
    with sqlite3.connect(world.db.path) as conn:
        conn.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    report = audit.verify_chain(world.db)
    assert not report.ok and report.problem == "entries removed at the end"


def test_an_empty_register_with_an_empty_log_is_intact(db: Database) -> None:
    assert audit.verify_chain(db).ok


def test_blind_spots_are_logged(world: World) -> None:
    admin = world.actors["admin"]
    cid = world.add("Anna", "Berg", number=pnr(dt.date(1985, 3, 12)))
    clients.get_client(world.db, admin, cid)  # the edit form shows the full number
    audit.record_log_viewed(world.db, world.actors["audit"])
    rows = audit.list_entries(world.db, admin, audit.AuditQuery())
    assert (rows[1].action, rows[1].client_id, rows[1].detail) == (
        AuditAction.REVEAL_NUMBER, cid, "edit form",
    )  # fmt: skip
    assert (rows[0].action, rows[0].username) == (AuditAction.VIEW_LOG, "audit")
    number = pnr(dt.date(1985, 3, 12))
    assert clients.record_identity_search(world.db, admin, number, 1)
    assert not clients.record_identity_search(world.db, admin, "Anna", 1)
    assert not clients.record_identity_search(world.db, admin, number[:8], 1)
    newest = audit.list_entries(world.db, admin, audit.AuditQuery())[0]
    assert (newest.action, newest.detail) == (AuditAction.SEARCH_NUMBER, "1 found")
    with pytest.raises(AccessDeniedError):
        audit.record_log_viewed(world.db, world.actors["anna"])


def test_team_leads_see_the_log_of_their_clients_only(world: World) -> None:
    mine = world.add("Anna", "Berg", team=world.team_a)
    other = world.add("Bo", "Berg", team=world.team_b)
    clients.get_client(world.db, world.actors["admin"], other)
    rows = audit.list_entries(world.db, world.actors["lead"], audit.AuditQuery())
    assert rows and {r.client_id for r in rows} == {mine}
    everything = audit.list_entries(world.db, world.actors["admin"], audit.AuditQuery())
    assert {mine, other, None} <= {r.client_id for r in everything} | {None}
