"""The demo database reads like a real team's: staff with ordinary names, nothing dated after a
case was closed, and a calm first screen (a handful overdue, not dozens)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from hemlos_desktop.demo.data import DEMO_TODAY, create_demo_database
from hemlos_desktop.models.assessment import Assessment
from hemlos_desktop.models.client import (
    Client,
    ClientStatus,
    HousingPeriod,
    JournalEntry,
    OutreachContact,
)
from hemlos_desktop.models.people import Team, TeamMember, User
from hemlos_desktop.models.plan import Plan, PlanDueItem, PlanVersion
from hemlos_desktop.services.actor import actor_for_user
from hemlos_desktop.services.plan_due import DueScope, due_counts
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import Database, DataLocation

CLIENTS = 600
# Job titles and roles that must not stand in for a surname.
TITLES = re.compile(
    r"handläggare|uppsökare|boendelots|administratör|socialsekreterare|boendestödjare|"
    r"sagsbehandler|bostøttemedarbejder|gadeplansmedarbejder|koordinator|teamleder|"
    r"teamledare|admin|worker|lead",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    location = DataLocation(Path(tmp_path_factory.mktemp("demo")) / "demo")
    create_demo_database(location, clients=CLIENTS, seed=7, encrypted=False, today=DEMO_TODAY)
    db = open_workspace(location)
    yield db
    db.dispose()


def test_staff_have_ordinary_names(demo: Database) -> None:
    with demo.read() as s:
        names = dict(s.execute(select(User.username, User.display_name)).all())
        danish_team = s.scalars(select(Team.id).where(Team.name.contains("København"))).one()
        danish_only = [
            username
            for (username,) in s.execute(
                select(User.username)
                .join(TeamMember, TeamMember.user_id == User.id)
                .where(TeamMember.team_id == danish_team)
            )
            if username not in {"lead", "worker"}
        ]
    assert len(names) >= 6
    for username, shown in names.items():
        first, *rest = shown.split()
        assert rest, shown  # a first name and a surname
        assert not TITLES.search(" ".join(rest)), (username, shown)
    # The Copenhagen team's own caseworker has a Danish name.
    assert danish_only
    for username in danish_only:
        assert re.search(r"æ|ø|å|aa|sen$|gaard$", names[username]), names[username]


def test_nothing_is_dated_after_a_case_was_closed(demo: Database) -> None:
    with demo.read() as s:
        closed = dict(
            s.execute(
                select(Client.id, Client.closed_on).where(
                    Client.status == ClientStatus.CLOSED.value
                )
            ).all()
        )
        reasons = set(
            s.scalars(
                select(Client.closure_reason).where(Client.status == ClientStatus.CLOSED.value)
            )
        )
        assert len(closed) > CLIENTS * 0.05
        assert None not in reasons and len(reasons) >= 4
        assert all(day is not None and day <= DEMO_TODAY for day in closed.values())

        def late(rows: list[tuple[int, object]]) -> list[tuple[int, object]]:
            return [(cid, day) for cid, day in rows if cid in closed and day > closed[cid]]  # type: ignore[operator]

        checks = {
            "housing start": select(HousingPeriod.client_id, HousingPeriod.start_date),
            "housing end": select(HousingPeriod.client_id, HousingPeriod.end_date).where(
                HousingPeriod.end_date.is_not(None)
            ),
            "journal": select(JournalEntry.client_id, JournalEntry.entry_date),
            "contact": select(OutreachContact.client_id, OutreachContact.contact_date),
            "rating": select(Assessment.client_id, Assessment.rated_on),
            "plan start": select(Plan.client_id, PlanVersion.start).join(
                PlanVersion, PlanVersion.plan_id == Plan.id
            ),
            "plan agreed": select(Plan.client_id, PlanVersion.agreed_on)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .where(PlanVersion.agreed_on.is_not(None)),
            "plan due": select(Plan.client_id, PlanDueItem.due)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .join(PlanDueItem, PlanDueItem.version_id == PlanVersion.id)
            .where(PlanDueItem.due.is_not(None)),
        }
        for name, query in checks.items():
            rows = [(int(cid), day) for cid, day in s.execute(query)]
            assert rows, name
            assert late(rows) == [], name
        # A closed case has no ongoing housing period.
        ongoing = s.scalars(
            select(HousingPeriod.client_id).where(HousingPeriod.end_date.is_(None))
        ).all()
        assert not set(ongoing) & set(closed)


def test_the_first_screen_is_calm(demo: Database) -> None:
    with demo.read() as s:
        users = {u.username: actor_for_user(s, u) for u in s.scalars(select(User))}
        active = s.query(Client).where(Client.status == ClientStatus.ACTIVE.value).count()
    for username in ("worker", "lead"):
        actor = users[username]
        with demo.read() as s:
            mine = (
                s.query(Client)
                .where(
                    Client.responsible_user_id == actor.user_id,
                    Client.status == ClientStatus.ACTIVE.value,
                )
                .count()
            )
        counts = due_counts(demo, actor, scope=DueScope.MINE, today=DEMO_TODAY)
        # A handful overdue for a caseload of about a hundred, and work coming up.
        assert counts.overdue <= max(5, mine // 20), (username, counts, mine)
        assert counts.this_week + counts.coming_up > counts.overdue
    team = due_counts(demo, users["lead"], scope=DueScope.TEAM, today=DEMO_TODAY)
    assert team.overdue <= active // 20, (team, active)
