"""Who does what for a client, with history, and releases."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from sqlalchemy import select

from hemlos_desktop.errors import InvalidInputError, NotFoundError
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.team import ReleaseKind, ResponsibilityRole, UnitKind
from hemlos_desktop.services import team_cases, team_org
from hemlos_desktop.services.changes import ChangeKind

D = dt.date


def test_a_change_of_coordinator_keeps_the_history(world: World) -> None:
    lead = world.actors["lead"]
    anna, lead_id = world.actors["anna"].user_id, lead.user_id
    client = world.add("Eva", "Ek", number=pnr(D(1980, 1, 2)))
    role = ResponsibilityRole.COORDINATOR
    changes = team_cases.assign_person(world.db, lead, client, role, anna, start=D(2026, 1, 1))
    assert changes.changes.client_ids == frozenset({client})
    assert changes.changes.kinds == {ChangeKind.TEAM, ChangeKind.HEADER}
    with pytest.raises(InvalidInputError):
        team_cases.assign_person(world.db, lead, client, role, lead_id, start=D(2025, 12, 1))
    team_cases.assign_person(world.db, lead, client, role, lead_id, start=D(2026, 6, 1))
    team_cases.assign_person(
        world.db, lead, client, ResponsibilityRole.CASEWORKER, anna, start=D(2026, 2, 1)
    )
    who = team_cases.who_does_what(world.db, lead, client)
    assert [(r.role, r.who, r.start_date) for r in who.current] == [
        (ResponsibilityRole.COORDINATOR, "Lead", D(2026, 6, 1)),
        (ResponsibilityRole.CASEWORKER, "Anna Worker", D(2026, 2, 1)),
    ]
    assert [(r.who, r.start_date, r.end_date) for r in who.history] == [
        ("Anna Worker", D(2026, 1, 1), D(2026, 6, 1))
    ]
    with world.db.read() as s:
        assert s.get(Client, client).responsible_user_id == anna  # type: ignore[union-attr]
        details = list(s.scalars(select(AuditEntry.detail).where(AuditEntry.client_id == client)))
    assert details.count("responsible coordinator") == 2


def test_only_team_members_and_visible_clients(world: World) -> None:
    lead = world.actors["lead"]
    client = world.add("Eva", "Ek", number=pnr(D(1980, 1, 2)))
    other = world.add("Bo", "B", number=pnr(D(1981, 1, 2)), team=world.team_b)
    with pytest.raises(InvalidInputError):
        team_cases.assign_person(
            world.db, lead, client, ResponsibilityRole.CASEWORKER,
            world.actors["bo"].user_id, start=D(2026, 1, 1),
        )  # fmt: skip
    with pytest.raises(NotFoundError):
        team_cases.who_does_what(world.db, lead, other)


def test_units_as_purchaser_and_provider(world: World) -> None:
    lead = world.actors["lead"]
    unit = team_org.add_unit(
        world.db, lead, world.team_a, "Utredning", UnitKind.INVESTIGATING
    ).value
    support = team_org.add_unit(
        world.db, lead, world.team_a, "Boendestöd", UnitKind.SUPPORTING
    ).value
    client = world.add("Eva", "Ek", number=pnr(D(1980, 1, 2)))
    team_cases.add_unit_involvement(
        world.db, lead, client, unit, ResponsibilityRole.PURCHASER, start=D(2026, 1, 1)
    )
    team_cases.add_unit_involvement(
        world.db, lead, client, support, ResponsibilityRole.PROVIDER, start=D(2026, 2, 1)
    )
    with pytest.raises(InvalidInputError):
        team_cases.add_unit_involvement(
            world.db, lead, client, support, ResponsibilityRole.COORDINATOR, start=D(2026, 2, 1)
        )
    who = team_cases.who_does_what(world.db, lead, client)
    provider = next(r for r in who.current if r.role is ResponsibilityRole.PROVIDER)
    with pytest.raises(InvalidInputError):
        team_cases.end_involvement(world.db, lead, provider.id, end=D(2026, 1, 1))
    team_cases.end_involvement(world.db, lead, provider.id, end=D(2026, 5, 1))
    who = team_cases.who_does_what(world.db, lead, client)
    assert [(r.role, r.who) for r in who.current] == [(ResponsibilityRole.PURCHASER, "Utredning")]
    assert [(r.who, r.end_date) for r in who.history] == [("Boendestöd", D(2026, 5, 1))]


def test_releases(world: World) -> None:
    lead = world.actors["lead"]
    client = world.add("Eva", "Ek", number=pnr(D(1980, 1, 2)))
    team_cases.record_release(
        world.db, lead, client, ReleaseKind.PRISON, D(2026, 3, 1), housing_arranged=False
    )
    rows = team_cases.client_releases(world.db, lead, client)
    assert [(r.kind, r.release_date, r.housing_arranged) for r in rows] == [
        (ReleaseKind.PRISON, D(2026, 3, 1), False)
    ]
