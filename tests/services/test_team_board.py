"""The team board: caseload by qualification and housing, due and overdue, evictions; who sees
which rows. Due figures are checked against the "what is due" service computed separately."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from test_assessments_service import rating, signed
from test_plans_service import agreed_plan

from hemlos_desktop.errors import AccessDeniedError
from hemlos_desktop.models.eviction_rules import EvictionInput
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.team import Competence, TeamRole
from hemlos_desktop.services import evictions, plan_due, team_meetings, team_org
from hemlos_desktop.services.housing import save_period
from hemlos_desktop.services.team_board import Qualification, team_board

D = dt.date
BOARD_DAY = D(2027, 1, 4)  # a Monday, two months after the plan was agreed


@pytest.fixture
def board_world(world: World) -> World:
    admin = world.actors["admin"]
    anna = world.actors["anna"].user_id
    a1 = world.add("Ada", "A", number=pnr(D(1980, 1, 1)), responsible_user_id=anna)
    a2 = world.add("Bea", "B", number=pnr(D(1981, 1, 1)), responsible_user_id=anna)
    world.add("Cai", "C", number=pnr(D(1982, 1, 1)), responsible_user_id=anna)
    world.add(
        "Dan", "D", number=pnr(D(1983, 1, 1)), responsible_user_id=world.actors["lead"].user_id
    )
    world.add("Eje", "E", number=pnr(D(1984, 1, 1)))  # nobody responsible
    world.add("Fia", "F", number=pnr(D(1985, 1, 1)), team=world.team_b)
    signed(world, a1, rating(D(2026, 10, 1), 2))
    signed(world, a2, rating(D(2026, 9, 1), 2))
    signed(world, a2, rating(D(2026, 10, 1), 3, 2, 2, 2, 2))
    save_period(world.db, admin, a1, PeriodInput(1, D(2026, 1, 1)))
    save_period(world.db, admin, a2, PeriodInput(5, D(2026, 1, 1)))
    agreed_plan(world, a1)
    evictions.add_eviction_case(
        world.db, admin, a2,
        EvictionInput(notice_date=D(2026, 10, 1), hearing_date=D(2027, 1, 8)),
    )  # fmt: skip
    team_org.update_team(
        world.db, admin, world.team_a, name="Team A", municipality="",
        caseload_ceiling=2, no_contact_days=30,
    )  # fmt: skip
    team_org.set_competence(world.db, admin, anna, Competence.MI, D(2024, 5, 1))
    meeting = team_meetings.create_meeting(
        world.db, world.actors["lead"], world.team_a, meeting_date=D(2026, 10, 1),
        participant_ids=[anna], propose=False,
    ).value  # fmt: skip
    item = team_meetings.add_item(world.db, world.actors["lead"], meeting, client_id=a1).value
    team_meetings.record_minutes(
        world.db, world.actors["lead"], item, decision="Ring hyresvärden",
        new_actions=[team_meetings.ActionDraft("Ring", anna, D(2026, 10, 20))],
    )  # fmt: skip
    return world


def test_lead_sees_every_member_with_figures(board_world: World) -> None:
    world = board_world
    board = team_board(world.db, world.actors["lead"], world.team_a, today=BOARD_DAY)
    rows = {m.name: m for m in board.members}
    assert set(rows) == {"Lead", "Anna Worker"}
    anna = rows["Anna Worker"]
    assert anna.active == 3
    assert anna.by_qualification == {
        Qualification.QUALIFIED: 1,
        Qualification.NOT_QUALIFIED: 1,
        Qualification.NOT_RATED: 1,
    }
    assert anna.by_housing == {1: 1, 5: 1, None: 1}
    assert anna.overloaded and not rows["Lead"].overloaded
    assert (anna.evictions_open, anna.next_eviction_date) == (1, D(2027, 1, 8))
    assert anna.competences == {Competence.MI: D(2024, 5, 1)}
    assert board.unassigned == 1 and board.total_active == 5
    # The same due figures as "what is due" for Anna (which counts the meeting action too).
    due = plan_due.due_counts(world.db, world.actors["anna"], today=BOARD_DAY)
    assert (anna.overdue, anna.due) == (due.overdue, due.this_week)
    items = plan_due.due_items(world.db, world.actors["anna"], today=BOARD_DAY)
    meeting_items = [i for i in items if i.item_uid.startswith("meeting-action-")]
    assert [(i.text, i.client_name, i.bucket.value) for i in meeting_items] == [
        ("Ring", "Ada A", "overdue")
    ]
    assert len(items) == due.overdue + due.this_week + due.coming_up
    assert due.overdue + due.this_week > 0


def test_caseworker_sees_her_own_row_and_a_boendelots_sees_all(board_world: World) -> None:
    world = board_world
    board = team_board(world.db, world.actors["anna"], world.team_a, today=BOARD_DAY)
    assert [m.name for m in board.members] == ["Anna Worker"]
    assert board.unassigned == 0
    team_org.set_member(
        world.db, world.actors["lead"], world.team_a, world.actors["anna"].user_id,
        team_role=TeamRole.COORDINATOR, unit_id=None,
    )  # fmt: skip
    board = team_board(world.db, world.actors["anna"], world.team_a, today=BOARD_DAY)
    assert len(board.members) == 2
    with pytest.raises(AccessDeniedError):
        team_board(world.db, world.actors["bo"], world.team_a, today=BOARD_DAY)
