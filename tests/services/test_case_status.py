"""Closing a case with a reason, reopening it, and the closures counted for the follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError
from hemlos_desktop.models.client import ClientStatus, ClosureReason, Gender
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import case_overview, case_status, housing
from hemlos_desktop.services.changes import ChangeKind

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


def test_a_closure_before_the_first_record_and_other_without_a_note_are_refused(
    world: World,
) -> None:
    from hemlos_desktop.models.housing_rules import PeriodInput
    from hemlos_desktop.models.validation import ValidationFailed
    from hemlos_desktop.services import housing

    cid = world.add("Åsa", "Öberg")
    lead = world.actors["lead"]
    housing.save_period(world.db, lead, cid, PeriodInput(1, dt.date(2025, 6, 1), None), today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        case_status.close_case(
            world.db, lead, cid, ClosureReason.MOVED, on=dt.date(2025, 5, 31), today=TODAY
        )
    assert [e.field for e in refused.value.errors] == ["closed_on"]
    with pytest.raises(ValidationFailed) as refused:
        case_status.close_case(
            world.db, lead, cid, ClosureReason.OTHER, on=dt.date(2025, 6, 1), today=TODAY
        )
    assert [e.field for e in refused.value.errors] == ["note"]
    with pytest.raises(ValidationFailed) as refused:
        case_status.close_case(world.db, lead, cid, None, today=TODAY)
    assert [e.field for e in refused.value.errors] == ["reason"]
    assert case_status.case_status(world.db, lead, cid).status is ClientStatus.ACTIVE
    case_status.close_case(
        world.db,
        lead,
        cid,
        ClosureReason.OTHER,
        on=dt.date(2025, 6, 1),
        note=" Went abroad ",
        today=TODAY,
    )
    status = case_status.case_status(world.db, lead, cid)
    assert (status.reason, status.note) == (ClosureReason.OTHER, "Went abroad")
    with pytest.raises(InvalidInputError):
        case_status.reopen_case(world.db, lead, world.add("Nils", "Ek"))


def test_closures_of_one_caseworkers_clients(world: World) -> None:
    admin = world.actors["admin"]
    a = world.add("A", "A", gender=Gender.WOMAN)
    case_status.close_case(
        world.db, admin, a, ClosureReason.DIED, on=dt.date(2026, 2, 1), today=TODAY
    )
    nobody = case_status.closures_by_reason(
        world.db, admin, dt.date(2026, 1, 1), TODAY, responsible_id=-1
    )
    assert sum(row["total"] for row in nobody.values()) == 0


def test_the_follow_up_figures_count_closures_in_the_period_and_scope(world: World) -> None:
    from hemlos_desktop.services.assessments import FollowupScope, group_followup

    admin = world.actors["admin"]
    a = world.add("A", "A", gender=Gender.WOMAN)
    b = world.add("B", "B", gender=Gender.MAN, team=world.team_b)
    old = world.add("C", "C", gender=Gender.MAN)
    case_status.close_case(world.db, admin, a, ClosureReason.MOVED, on=dt.date(2026, 2, 1))
    case_status.close_case(world.db, admin, b, ClosureReason.MOVED, on=dt.date(2026, 2, 2))
    case_status.close_case(world.db, admin, old, ClosureReason.DIED, on=dt.date(2025, 2, 2))
    period = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 3, 1)}
    everyone = group_followup(world.db, admin, **period)
    assert everyone.closures["moved"] == {
        "total": 2,
        "woman": 1,
        "man": 1,
        "other": 0,
        "not_stated": 0,
    }
    assert everyone.closures["died"]["total"] == 0
    team_a = group_followup(
        world.db, admin, scope=FollowupScope.TEAM, scope_id=world.team_a, **period
    )
    assert team_a.closures["moved"]["total"] == 1


def test_closing_ends_the_ongoing_housing_period_and_reopening_invents_none(
    world: World,
) -> None:
    cid = world.add("Åsa", "Öberg")
    lead = world.actors["lead"]
    for code, start, end in (
        (1, dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (3, dt.date(2025, 7, 1), None),
    ):
        housing.save_period(
            world.db, lead, cid, PeriodInput(code=code, start_date=start, end_date=end), today=TODAY
        )
    # Not before the ongoing period began: its end would come before its start.
    with pytest.raises(ValidationFailed) as refused:
        case_status.close_case(
            world.db, lead, cid, ClosureReason.MOVED, on=dt.date(2025, 6, 1), today=TODAY
        )
    [error] = refused.value.errors
    assert error.field == "closed_on" and "housing period began" in error.message
    assert housing.list_periods(world.db, lead, cid)[-1].end_date is None

    outcome = case_status.close_case(
        world.db, lead, cid, ClosureReason.OWN_HOUSING, on=dt.date(2026, 2, 1), today=TODAY
    )
    assert ChangeKind.HOUSING in outcome.changes.kinds
    periods = housing.list_periods(world.db, lead, cid)
    assert [(p.code, p.start_date, p.end_date) for p in periods] == [
        (1, dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (3, dt.date(2025, 7, 1), dt.date(2026, 2, 1)),
    ]
    header = case_overview.open_case_file(world.db, lead, cid, today=TODAY)
    assert header.housing_code == 3  # the situation when the case was closed

    case_status.reopen_case(world.db, lead, cid)
    after = housing.list_periods(world.db, lead, cid)
    assert after == periods  # no period invented, the ended one not reopened
