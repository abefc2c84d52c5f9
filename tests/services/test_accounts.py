"""User administration with key slots, and what each role may see and do."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services import accounts, audit, clients, session
from hemlos_desktop.services.setup import create_administrator
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS, WrongPasswordError


def test_admin_creates_resets_and_user_changes_password(
    location: DataLocation, fast_kdf: None
) -> None:
    result = create_administrator(
        location, username="admin", display_name="Admin", password="pw", params=TEST_PARAMS
    )
    db, admin, key = result.signed_in.db, result.signed_in.actor, result.signed_in.data_key
    try:
        info = accounts.add_account(
            db, admin, key, username=" Karin ", display_name="Karin K", role=Role.TEAM_LEAD,
            team_ids=[], password="first kite harbour",
        ).value  # fmt: skip
        assert info.username == "karin"
        with pytest.raises(InvalidInputError):
            accounts.add_account(
                db, admin, key, username="KARIN", display_name="x", role=Role.CASEWORKER,
                team_ids=[], password="x",
            )  # fmt: skip
        accounts.reset_password(db, admin, key, info.id, "second kite harbour")
        karin = session.actor_for_login(db, "karin")
        with pytest.raises(AccessDeniedError):
            accounts.reset_password(db, karin, key, admin.user_id, "stolen kite harbour")
        with pytest.raises(WrongPasswordError):
            accounts.change_own_password(db, karin, "first kite harbour", "third kite harbour")
        accounts.change_own_password(db, karin, "second kite harbour", "third kite harbour")
        with pytest.raises(InvalidInputError):
            accounts.deactivate(db, admin, admin.user_id)
    finally:
        db.dispose()
    signed = session.unlock(location, "karin", "third kite harbour", params=TEST_PARAMS)
    signed.db.dispose()


def test_each_role_sees_exactly_its_clients(world: World) -> None:
    a = world.add("Ada", "A", number=pnr(dt.date(1960, 1, 1)), team=world.team_a)
    b = world.add("Bo", "B", number=pnr(dt.date(1961, 1, 1)), team=world.team_b)
    hidden = world.add(
        "Hemlig", "Person", number=pnr(dt.date(1970, 5, 5)), team=world.team_a,
        protected_identity=True, responsible_user_id=world.actors["anna"].user_id,
    )  # fmt: skip

    def visible(name: str) -> set[int]:
        return set(clients.search_ids(world.db, world.actors[name], clients.ClientQuery()))

    assert visible("admin") == {a, b}
    assert visible("audit") == {a, b}
    assert visible("lead") == {a}
    assert visible("anna") == {a, hidden}
    assert visible("bo") == {b}
    # A caseworker asking a service directly for another team's client gets "not found".
    with pytest.raises(NotFoundError):
        clients.get_client(world.db, world.actors["anna"], b)
    with pytest.raises(NotFoundError):
        clients.get_client(world.db, world.actors["admin"], hidden)
    # Read-only changes nothing.
    data = ClientInput(IdKind.PERSONNUMMER, pnr(dt.date(1980, 1, 1)), "A", "B")
    with pytest.raises(AccessDeniedError):
        clients.register_client(world.db, world.actors["audit"], data)
    with pytest.raises(AccessDeniedError):
        accounts.add_account(
            world.db, world.actors["audit"], None, username="x", display_name="x",
            role=Role.CASEWORKER, team_ids=[], password="x",
        )  # fmt: skip
    # The access log is for reviewers only.
    with pytest.raises(AccessDeniedError):
        audit.list_entries(world.db, world.actors["anna"], audit.AuditQuery())
    assert audit.list_entries(world.db, world.actors["audit"], audit.AuditQuery())
