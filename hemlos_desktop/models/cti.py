"""Critical Time Intervention: the three phases, where a date falls, and what is due.

CTI is a time-limited effort of about nine months around a critical move (release from prison,
discharge from hospital or treatment, moving in from a shelter), in three phases of about three
months each: transition to the new home, try-out, and transfer of care.

Phase boundaries are calendar months counted from the start date, each one from the *start*
(start + 3, + 6, + 9 months), never chained, so a short month cannot shift the later phases.
When the start day does not exist in the target month, the last day of that month is used:
31 January + 1 month is 28 February (29 in a leap year), and 31 August + 3 months is
30 November. A phase runs from its first day to the day before the next phase starts
(inclusive), so the phases touch without gaps or overlap.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from hemlos_desktop.i18n import pgettext

PHASE_MONTHS = 3
PHASE_COUNT = 3
DEFAULT_DUE_WINDOW_DAYS = 7


class CtiPhaseKey(StrEnum):
    TRANSITION = "transition"
    TRY_OUT = "try_out"
    TRANSFER = "transfer_of_care"


_PHASE_ORDER = (CtiPhaseKey.TRANSITION, CtiPhaseKey.TRY_OUT, CtiPhaseKey.TRANSFER)


def phase_label(key: CtiPhaseKey) -> str:
    labels = {
        CtiPhaseKey.TRANSITION: pgettext("CTI phase", "Transition to the new home"),
        CtiPhaseKey.TRY_OUT: pgettext("CTI phase", "Try-out"),
        CtiPhaseKey.TRANSFER: pgettext("CTI phase", "Transfer of care"),
    }
    return labels[key]


class CtiPosition(StrEnum):
    BEFORE_START = "before_start"
    PHASE_1 = "phase_1"
    PHASE_2 = "phase_2"
    PHASE_3 = "phase_3"
    ENDED = "ended"


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; a missing day becomes the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class CtiPhase:
    number: int  # 1, 2, 3
    key: CtiPhaseKey
    start: date
    end: date  # last day of the phase (inclusive)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def cti_phases(start: date) -> tuple[CtiPhase, CtiPhase, CtiPhase]:
    """The three phases of a CTI effort that starts on ``start`` (the day of the move)."""
    bounds = [add_months(start, PHASE_MONTHS * n) for n in range(PHASE_COUNT + 1)]
    phases = tuple(
        CtiPhase(n + 1, _PHASE_ORDER[n], bounds[n], bounds[n + 1] - timedelta(days=1))
        for n in range(PHASE_COUNT)
    )
    return phases[0], phases[1], phases[2]


def cti_end(start: date) -> date:
    """The last day of the effort (inclusive)."""
    return cti_phases(start)[-1].end


@dataclass(frozen=True)
class CtiStatus:
    position: CtiPosition
    phase: CtiPhase | None  # None before the start and after the end
    days_left_in_phase: int | None  # days after ``on`` until the phase ends; 0 on its last day
    days_until_start: int | None  # only BEFORE_START
    end: date  # last day of the effort


def cti_status(start: date, on: date) -> CtiStatus:
    """Where ``on`` falls in the CTI effort that starts on ``start``."""
    phases = cti_phases(start)
    end = phases[-1].end
    if on < start:
        return CtiStatus(CtiPosition.BEFORE_START, None, None, (start - on).days, end)
    if on > end:
        return CtiStatus(CtiPosition.ENDED, None, None, None, end)
    positions = (CtiPosition.PHASE_1, CtiPosition.PHASE_2, CtiPosition.PHASE_3)
    for phase, position in zip(phases, positions, strict=True):
        if phase.contains(on):
            return CtiStatus(position, phase, (phase.end - on).days, None, end)
    raise AssertionError("phases cover the whole effort")  # pragma: no cover


def phase_of(start: date, day: date) -> CtiPhase | None:
    """The phase ``day`` falls in, or None outside the effort."""
    return cti_status(start, day).phase


class Task(Protocol):
    """Anything with a due date that can be done (a plan action, a follow-up point)."""

    @property
    def due(self) -> date | None: ...

    @property
    def done(self) -> bool: ...


T = TypeVar("T", bound=Task)


@dataclass(frozen=True)
class CtiTask:
    """A plain task (e.g. made from a plan action: ``done`` when its status is done)."""

    key: str
    text: str
    due: date | None
    done: bool = False
    phase: str | None = None


@dataclass(frozen=True)
class DueTasks(Generic[T]):
    overdue: tuple[T, ...]  # due before ``on`` and not done, oldest first
    due: tuple[T, ...]  # due from ``on`` up to ``on + window_days``, soonest first


def tasks_due(
    tasks: Iterable[T], on: date, *, window_days: int = DEFAULT_DUE_WINDOW_DAYS
) -> DueTasks[T]:
    """Split tasks into overdue and due within ``window_days`` (0 = due today only).

    Done tasks and tasks without a due date are left out.
    """
    if window_days < 0:
        raise ValueError("window_days must be >= 0")
    last = on + timedelta(days=window_days)
    open_tasks = [t for t in tasks if not t.done and t.due is not None]
    overdue = sorted((t for t in open_tasks if _due(t) < on), key=_due)
    due = sorted((t for t in open_tasks if on <= _due(t) <= last), key=_due)
    return DueTasks(tuple(overdue), tuple(due))


def _due(task: Task) -> date:
    assert task.due is not None
    return task.due
