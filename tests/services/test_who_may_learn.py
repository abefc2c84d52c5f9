"""Who may learn what: hidden clients stay hidden in duplicate checks and imports; who sees a
client is changed by team leads and administrators only; orphaned protected clients."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from clientworld import World, pnr

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.services import accounts, audit, client_io, protected_clients
from hemlos_desktop.services import clients as svc

NUMBER = pnr(dt.date(1970, 5, 5))


def _hidden_from_anna(world: World) -> int:
    """A client with a protected identity whose responsible person is Bo."""
    return world.add(
        "Hemlig", "Person", number=NUMBER, protected_identity=True,
        responsible_user_id=world.actors["bo"].user_id,
    )  # fmt: skip


def test_the_duplicate_check_does_not_tell_who_exists(world: World) -> None:
    hidden = _hidden_from_anna(world)
    again = ClientInput(IdKind.PERSONNUMMER, NUMBER, "Hemlig", "Person")
    report = svc.find_duplicates(world.db, world.actors["anna"], again)
    assert report.blocking
    match = report.same_number[0]
    assert match.client_id is None and match.id_masked == "" and match.birth_date is None
    assert match.display_name == "a possible duplicate — ask a team lead"
    rows = audit.list_entries(world.db, world.actors["admin"], audit.AuditQuery())
    assert (rows[0].username, rows[0].client_id, rows[0].detail) == (
        "anna", hidden, "possible duplicate, not shown",
    )  # fmt: skip


def test_an_import_dry_run_does_not_tell_who_exists(world: World, tmp_path: Path) -> None:
    _hidden_from_anna(world)
    visible = world.add("Synlig", "Person", number=pnr(dt.date(1980, 1, 1)), team=world.team_a)
    del visible
    path = tmp_path / "people.csv"
    path.write_text(
        "personnummer;förnamn;efternamn;kön\n"
        f"{NUMBER};Hemlig;Person;kvinna\n"
        f"{pnr(dt.date(1980, 1, 1))};Synlig;Person;man\n",
        encoding="utf-8",
    )
    report = client_io.import_clients(world.db, world.actors["anna"], path, dry_run=True).value
    assert report.ok, report.problems
    hidden = [s for s in report.skipped if s.hidden]
    shown = [s for s in report.skipped if not s.hidden]
    assert [(s.line, s.id_masked) for s in hidden] == [(2, "")]
    assert len(shown) == 1 and shown[0].id_masked.endswith("-****")
    newest = audit.list_entries(world.db, world.actors["admin"], audit.AuditQuery())[0]
    assert (newest.action, newest.username) == (AuditAction.IMPORT, "anna")
    assert "may not see" in newest.detail


@pytest.mark.parametrize("field", ["team_id", "responsible_user_id", "protected_identity"])
def test_who_sees_a_client_is_changed_by_leads_and_admins_only(world: World, field: str) -> None:
    cid = world.add("Anna", "Berg", team=world.team_a)
    current = svc.get_client(world.db, world.actors["lead"], cid).data
    changed = {
        "team_id": world.team_b,
        "responsible_user_id": world.actors["anna"].user_id,
        "protected_identity": True,
    }[field]
    if field == "protected_identity":
        current = dataclasses.replace(current, responsible_user_id=world.actors["anna"].user_id)
        svc.update_client(world.db, world.actors["lead"], cid, current)
    data = dataclasses.replace(current, **{field: changed})
    with pytest.raises(InvalidInputError) as refused:
        svc.update_client(world.db, world.actors["anna"], cid, data)
    assert refused.value.field == field
    svc.update_client(world.db, world.actors["lead"], cid, data)
    newest = audit.list_entries(world.db, world.actors["admin"], audit.AuditQuery())[0]
    assert newest.username == "lead" and svc.GUARDED_DETAIL[field] in newest.detail


def test_caseworkers_do_not_register_protected_identities(world: World) -> None:
    data = ClientInput(IdKind.NONE, "", "Ny", "Person", protected_identity=True)
    with pytest.raises(InvalidInputError):
        svc.register_client(world.db, world.actors["anna"], data)
    assert svc.register_client(world.db, world.actors["lead"], data)


def test_an_administrator_reassigns_a_protected_client_whose_responsible_left(
    world: World,
) -> None:
    admin = world.actors["admin"]
    cid = _hidden_from_anna(world)
    other = world.add("Vanlig", "Person", team=world.team_a)
    assert protected_clients.orphaned_protected_clients(world.db, admin) == []
    accounts.deactivate(world.db, admin, world.actors["bo"].user_id)  # Bo has left
    assert protected_clients.orphaned_protected_clients(world.db, admin) == [cid]
    with pytest.raises(AccessDeniedError):
        protected_clients.orphaned_protected_clients(world.db, world.actors["lead"])
    with pytest.raises(NotFoundError):
        protected_clients.reassign_protected_client(
            world.db, admin, other, world.actors["anna"].user_id
        )
    with pytest.raises(InvalidInputError):
        protected_clients.reassign_protected_client(
            world.db, admin, cid, world.actors["bo"].user_id
        )
    protected_clients.reassign_protected_client(world.db, admin, cid, world.actors["anna"].user_id)
    assert cid in svc.search_ids(world.db, world.actors["anna"], svc.ClientQuery())
    newest = audit.list_entries(world.db, admin, audit.AuditQuery())[0]
    assert newest.client_id == cid and "reassigned by an administrator" in newest.detail
