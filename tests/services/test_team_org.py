"""Setting up teams, units, members, competences and partners; removals that reassign."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from sqlalchemy import select

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import User
from hemlos_desktop.models.team import Competence, PartnerKind, TeamRole, UnitKind
from hemlos_desktop.services import team_org
from hemlos_desktop.services.actor import actor_for_user
from hemlos_desktop.services.team_org import StillInUseError


def test_admin_adds_a_team_with_the_suggested_units(world: World) -> None:
    admin = world.actors["admin"]
    team_id = team_org.add_team(
        world.db, admin, "  Södermalm   boendelots ", municipality="Stockholm"
    ).value
    summary = team_org.team_summary(world.db, team_id)
    assert (summary.name, summary.municipality, summary.members) == (
        "Södermalm boendelots",
        "Stockholm",
        0,
    )
    kinds = {u.kind for u in team_org.list_units(world.db, team_id)}
    assert kinds == {
        UnitKind.EVICTION_PREVENTION,
        UnitKind.INVESTIGATING,
        UnitKind.OUTREACH,
        UnitKind.SUPPORTING,
        UnitKind.ELDER_CARE,
    }
    with pytest.raises(InvalidInputError) as exc:
        team_org.add_team(world.db, admin, "södermalm BOENDELOTS")
    assert exc.value.field == "name"
    with pytest.raises(InvalidInputError):
        team_org.add_team(world.db, admin, "   ")
    with world.db.read() as s:
        details = list(s.scalars(select(AuditEntry.detail)))
    assert details.count("team added") == 1


def test_only_administrators_add_teams_and_leads_manage_their_own(world: World) -> None:
    with pytest.raises(AccessDeniedError):
        team_org.add_team(world.db, world.actors["lead"], "New")
    lead = world.actors["lead"]
    unit = team_org.add_unit(world.db, lead, world.team_a, "Boendestöd", UnitKind.SUPPORTING).value
    with pytest.raises(AccessDeniedError):
        team_org.add_unit(world.db, lead, world.team_b, "X", UnitKind.OTHER)
    anna = world.actors["anna"].user_id
    team_org.set_member(
        world.db, lead, world.team_a, anna, team_role=TeamRole.COORDINATOR, unit_id=unit
    )
    team_org.set_competence(world.db, lead, anna, Competence.MI, dt.date(2025, 3, 1))
    team_org.set_competence(world.db, lead, anna, Competence.CTI, None)
    members = {m.username: m for m in team_org.list_members(world.db, world.team_a)}
    assert members["anna"].team_role is TeamRole.COORDINATOR
    assert members["anna"].unit_name == "Boendestöd"
    assert members["anna"].competences == {Competence.MI: dt.date(2025, 3, 1), Competence.CTI: None}
    with pytest.raises(InvalidInputError):
        team_org.set_competence(
            world.db, lead, anna, Competence.MI, dt.date.today() + dt.timedelta(days=3)
        )
    # Bo is in team B: the lead of team A cannot change his competences.
    with pytest.raises(AccessDeniedError):
        team_org.set_competence(world.db, lead, world.actors["bo"].user_id, Competence.MI, None)


def test_competence_removed(world: World) -> None:
    lead = world.actors["lead"]
    anna = world.actors["anna"].user_id
    team_org.set_competence(world.db, lead, anna, Competence.TRAUMA, None)
    team_org.set_competence(world.db, lead, anna, Competence.TRAUMA, None, held=False)
    anna_row = next(
        m for m in team_org.list_members(world.db, world.team_a) if m.username == "anna"
    )
    assert anna_row.competences == {}


def test_removing_a_team_with_clients_needs_a_new_team_and_loses_nothing(world: World) -> None:
    admin = world.actors["admin"]
    client = world.add("Eva", "Ek", number=pnr(dt.date(1980, 1, 2)), team=world.team_b)
    partner = team_org.add_partner(
        world.db, admin, world.team_b, "Stockholmshem", kind=PartnerKind.LANDLORD
    ).value
    with pytest.raises(StillInUseError) as exc:
        team_org.remove_team(world.db, admin, world.team_b, reassign_to=None)
    assert "1 client" in exc.value.full_text()
    moved = team_org.remove_team(world.db, admin, world.team_b, reassign_to=world.team_a).value
    assert moved == 1
    with world.db.read() as s:
        assert s.get(Client, client).team_id == world.team_a  # type: ignore[union-attr]
    assert [p.id for p in team_org.list_partners(world.db, world.team_a)] == [partner]
    assert [t.name for t in team_org.list_team_summaries(world.db)] == ["Team A"]


def test_removing_a_member_moves_their_clients(world: World) -> None:
    lead = world.actors["lead"]
    anna = world.actors["anna"].user_id
    lead_id = lead.user_id
    client = world.add("Eva", "Ek", number=pnr(dt.date(1980, 1, 2)), responsible_user_id=anna)
    with pytest.raises(StillInUseError):
        team_org.remove_member(world.db, lead, world.team_a, anna, reassign_to=None)
    with pytest.raises(InvalidInputError):
        team_org.remove_member(
            world.db, lead, world.team_a, anna, reassign_to=world.actors["bo"].user_id
        )
    assert (
        team_org.remove_member(world.db, lead, world.team_a, anna, reassign_to=lead_id).value == 1
    )
    with world.db.read() as s:
        assert s.get(Client, client).responsible_user_id == lead_id  # type: ignore[union-attr]
        user = s.get(User, anna)
        assert user is not None
        assert world.team_a not in actor_for_user(s, user).team_ids


def test_removing_a_unit_moves_its_work(world: World) -> None:
    from hemlos_desktop.models.team import ResponsibilityRole
    from hemlos_desktop.services import team_cases

    lead = world.actors["lead"]
    one = team_org.add_unit(world.db, lead, world.team_a, "One", UnitKind.OUTREACH).value
    two = team_org.add_unit(world.db, lead, world.team_a, "Two", UnitKind.OUTREACH).value
    client = world.add("Eva", "Ek", number=pnr(dt.date(1980, 1, 2)))
    team_cases.add_unit_involvement(
        world.db, lead, client, one, ResponsibilityRole.PROVIDER, start=dt.date(2026, 1, 1)
    )
    with pytest.raises(StillInUseError):
        team_org.remove_unit(world.db, lead, one, reassign_to=None)
    team_org.remove_unit(world.db, lead, one, reassign_to=two)
    who = team_cases.who_does_what(world.db, lead, client)
    assert [r.who for r in who.current] == ["Two"]
    assert [u.name for u in team_org.list_units(world.db, world.team_a)] == ["Two"]


def test_team_settings_are_checked(world: World) -> None:
    lead = world.actors["lead"]
    with pytest.raises(InvalidInputError) as exc:
        team_org.update_team(
            world.db, lead, world.team_a, name="Team A", municipality="",
            caseload_ceiling=0, no_contact_days=30,
        )  # fmt: skip
    assert exc.value.field == "caseload_ceiling"
    with pytest.raises(InvalidInputError):
        team_org.update_team(
            world.db, lead, world.team_a, name="team b", municipality="",
            caseload_ceiling=20, no_contact_days=30,
        )  # fmt: skip
    team_org.update_team(
        world.db, lead, world.team_a, name="Team A", municipality="Malmö",
        caseload_ceiling=12, no_contact_days=21,
    )  # fmt: skip
    summary = team_org.team_summary(world.db, world.team_a)
    assert (summary.caseload_ceiling, summary.no_contact_days, summary.municipality) == (
        12,
        21,
        "Malmö",
    )
