"""A small world for tests: two teams, users of every role and a helper to add clients.

Imported by tests/conftest.py (fixture ``world``) and directly by tests that need ``pnr``."""

from __future__ import annotations

import datetime as dt

from stdnum import luhn

from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.people import Role
from hemlos_desktop.services.actor import Actor, actor_for_user
from hemlos_desktop.services.clients import register_client
from hemlos_desktop.services.users import create_team, create_user
from hemlos_desktop.storage import Database


def pnr(born: dt.date, serial3: str = "982") -> str:
    nine = f"{born:%y%m%d}{serial3}"
    return f"{born:%Y%m%d}-{serial3}{luhn.calc_check_digit(nine)}"


class World:
    """Two teams, an administrator, a lead, two caseworkers and an auditor."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.begin() as s:
            self.team_a = create_team(s, "Team A").id
            self.team_b = create_team(s, "Team B").id
            people = (
                ("admin", "Admin", Role.ADMIN, []),
                ("lead", "Lead", Role.TEAM_LEAD, [self.team_a]),
                ("anna", "Anna Worker", Role.CASEWORKER, [self.team_a]),
                ("bo", "Bo Worker", Role.CASEWORKER, [self.team_b]),
                ("audit", "Auditor", Role.READ_ONLY, []),
            )
            users = {
                name: create_user(s, username=name, display_name=shown, role=role, team_ids=teams)
                for name, shown, role, teams in people
            }
            self.actors: dict[str, Actor] = {k: actor_for_user(s, u) for k, u in users.items()}

    def add(
        self,
        first: str,
        last: str,
        *,
        number: str = "",
        kind: IdKind | None = None,
        team: int | None = None,
        by: str = "admin",
        gender: Gender = Gender.WOMAN,
        **extra: object,
    ) -> int:
        if kind is None:
            kind = IdKind.PERSONNUMMER if number else IdKind.NONE
        data = ClientInput(
            id_kind=kind,
            id_text=number,
            first_name=first,
            last_name=last,
            gender=gender,
            team_id=team if team is not None else self.team_a,
            **extra,  # type: ignore[arg-type]
        )
        return register_client(self.db, self.actors[by], data).value
