"""Closing a case with a reason, reopening it, and the closures counted for the follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError
from hemlos_desktop.models.client import ClientStatus, ClosureReason, Gender
from hemlos_desktop.services import case_status

TODAY = dt.date(2026, 3, 5)


def test_close_and_reopen(world: World) -> None:
    cid = world.add("Åsa", "Öberg")
    lead = world.actors["lead"]
    case_status.close_case(
        world.db, lead, cid, ClosureReason.OWN_HOUSING, on=dt.date(2026, 3, 1), today=TODAY
    )
    status = case_status.case_status(world.db, lead, cid)
    assert status == case_status.CaseStatus(
        ClientStatus.CLOSED, dt.date(2026, 3, 1), ClosureReason.OWN_HOUSING
    )
    case_status.reopen_case(world.db, lead, cid)
    assert case_status.case_status(world.db, lead, cid) == case_status.CaseStatus(
        ClientStatus.ACTIVE, None, None
    )


def test_a_closure_in_the_future_and_a_reader_are_refused(world: World) -> None:
    cid = world.add("Åsa", "Öberg")
    with pytest.raises(InvalidInputError):
        case_status.close_case(
            world.db,
            world.actors["lead"],
            cid,
            ClosureReason.MOVED,
            on=TODAY + dt.timedelta(days=1),
            today=TODAY,
        )
    with pytest.raises(AccessDeniedError):
        case_status.close_case(world.db, world.actors["audit"], cid, ClosureReason.MOVED)


def test_closures_are_counted_by_reason_and_gender(world: World) -> None:
    admin = world.actors["admin"]
    a = world.add("A", "A", gender=Gender.WOMAN)
    b = world.add("B", "B", gender=Gender.MAN)
    c = world.add("C", "C", gender=Gender.MAN, team=world.team_b)
    world.add("D", "D")
    for cid, reason in (
        (a, ClosureReason.DIED),
        (b, ClosureReason.DIED),
        (c, ClosureReason.DECLINED),
    ):
        case_status.close_case(world.db, admin, cid, reason, on=dt.date(2026, 2, 1), today=TODAY)
    figures = case_status.closures_by_reason(world.db, admin, dt.date(2026, 1, 1), TODAY)
    assert figures[ClosureReason.DIED] == {"total": 2, "woman": 1, "man": 1}
    assert figures[ClosureReason.DECLINED]["total"] == 1
    assert figures[ClosureReason.MOVED] == {"total": 0}
    team_a = case_status.closures_by_reason(
        world.db, admin, dt.date(2026, 1, 1), TODAY, team_id=world.team_a
    )
    assert team_a[ClosureReason.DECLINED]["total"] == 0
    # A caseworker of team B sees only team B's closure.
    seen = case_status.closures_by_reason(world.db, world.actors["bo"], dt.date(2026, 1, 1), TODAY)
    assert sum(row["total"] for row in seen.values()) == 1
