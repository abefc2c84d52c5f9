"""CTI phases from a start date, where a date falls, and what is due. No Qt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemlos_desktop import i18n
from hemlos_desktop.models.cti import (
    CtiPhaseKey,
    CtiPosition,
    CtiTask,
    add_months,
    cti_end,
    cti_phases,
    cti_status,
    phase_label,
    phase_of,
    tasks_due,
)
from hemlos_desktop.models.plan_rules import ActionSnapshot, ActionStatus

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_phases_of_an_ordinary_start() -> None:
    one, two, three = cti_phases(date(2026, 3, 15))
    assert (one.start, one.end) == (date(2026, 3, 15), date(2026, 6, 14))
    assert (two.start, two.end) == (date(2026, 6, 15), date(2026, 9, 14))
    assert (three.start, three.end) == (date(2026, 9, 15), date(2026, 12, 14))
    assert [p.key for p in (one, two, three)] == [
        CtiPhaseKey.TRANSITION,
        CtiPhaseKey.TRY_OUT,
        CtiPhaseKey.TRANSFER,
    ]
    assert [p.number for p in (one, two, three)] == [1, 2, 3]
    assert one.days == 92


def test_month_end_start_is_counted_from_the_start_not_chained() -> None:
    # 31 August: +3 months = 30 November, +6 = 28 February, +9 = 31 May (not 28 May).
    one, two, three = cti_phases(date(2026, 8, 31))
    assert one.end == date(2026, 11, 29)
    assert two.start == date(2026, 11, 30)
    assert three.start == date(2027, 2, 28)
    assert three.end == date(2027, 5, 30)
    assert cti_end(date(2026, 8, 31)) == date(2027, 5, 30)


@given(DATES)
def test_phases_touch_and_last_about_three_months(start: date) -> None:
    phases = cti_phases(start)
    assert phases[0].start == start
    for earlier, later in zip(phases, phases[1:], strict=False):
        assert later.start == earlier.end + timedelta(days=1)
    for phase in phases:
        assert 88 <= phase.days <= 93
    assert 270 <= (phases[-1].end - start).days + 1 <= 277


@given(DATES, st.integers(min_value=-400, max_value=400))
def test_status_agrees_with_phases(start: date, shift: int) -> None:
    on = start + timedelta(days=shift)
    status = cti_status(start, on)
    phases = cti_phases(start)
    if on < start:
        assert status.position is CtiPosition.BEFORE_START
        assert status.days_until_start == (start - on).days
        assert status.phase is None
    elif on > phases[-1].end:
        assert status.position is CtiPosition.ENDED
        assert status.phase is None and status.days_left_in_phase is None
    else:
        assert status.phase is not None and status.phase.contains(on)
        assert status.position.value == f"phase_{status.phase.number}"
        assert status.days_left_in_phase == (status.phase.end - on).days
        assert status.days_left_in_phase is not None and status.days_left_in_phase >= 0
    assert phase_of(start, on) == status.phase


def test_status_on_the_edges() -> None:
    start = date(2026, 1, 31)
    assert cti_status(start, date(2026, 1, 30)).position is CtiPosition.BEFORE_START
    first_day = cti_status(start, start)
    assert first_day.position is CtiPosition.PHASE_1
    assert first_day.days_left_in_phase == (date(2026, 4, 29) - start).days
    last_of_one = cti_status(start, date(2026, 4, 29))
    assert last_of_one.position is CtiPosition.PHASE_1
    assert last_of_one.days_left_in_phase == 0
    assert cti_status(start, date(2026, 4, 30)).position is CtiPosition.PHASE_2
    assert cti_status(start, date(2026, 7, 31)).position is CtiPosition.PHASE_3
    assert cti_status(start, date(2026, 10, 30)).position is CtiPosition.PHASE_3
    ended = cti_status(start, date(2026, 10, 31))
    assert ended.position is CtiPosition.ENDED
    assert ended.end == date(2026, 10, 30)


def test_tasks_due_and_overdue() -> None:
    on = date(2026, 5, 10)
    tasks = [
        CtiTask("late", "Late", date(2026, 5, 1)),
        CtiTask("later", "Very late", date(2026, 4, 1)),
        CtiTask("done_late", "Done", date(2026, 4, 1), done=True),
        CtiTask("today", "Today", on),
        CtiTask("week", "In a week", date(2026, 5, 17)),
        CtiTask("far", "Far", date(2026, 5, 18)),
        CtiTask("undated", "No date", None),
    ]
    due = tasks_due(tasks, on)
    assert [t.key for t in due.overdue] == ["later", "late"]
    assert [t.key for t in due.due] == ["today", "week"]
    assert [t.key for t in tasks_due(tasks, on, window_days=0).due] == ["today"]
    with pytest.raises(ValueError, match="window"):
        tasks_due(tasks, on, window_days=-1)


def test_phase_labels_are_translated() -> None:
    try:
        i18n.set_language("da")
        assert phase_label(CtiPhaseKey.TRY_OUT) == "Afprøvning"
        i18n.set_language("sv")
        assert phase_label(CtiPhaseKey.TRANSFER) == "Överlämning"
    finally:
        i18n.set_language("en")
    assert phase_label(CtiPhaseKey.TRANSITION) == "Transition to the new home"


def test_plan_actions_are_tasks() -> None:
    on = date(2026, 5, 10)
    actions = [
        ActionSnapshot("a1", "Late", due=date(2026, 5, 1)),
        ActionSnapshot("a2", "Late but done", due=date(2026, 5, 1), status=ActionStatus.DONE),
        ActionSnapshot("a3", "Dropped", due=date(2026, 5, 1), status=ActionStatus.NOT_DONE),
        ActionSnapshot("a4", "Soon", due=date(2026, 5, 12), status=ActionStatus.STARTED),
    ]
    due = tasks_due(actions, on)
    assert [a.uid for a in due.overdue] == ["a1"]
    assert [a.uid for a in due.due] == ["a4"]
