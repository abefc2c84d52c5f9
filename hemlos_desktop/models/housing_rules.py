"""Rules for housing periods: dates in order, codes 1-6, no overlapping periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.text import SHORT_TEXT_MAX, clean_block, clean_line
from hemlos_desktop.models.validation import FieldError, required, too_long

NOTE_MAX = 4000


@dataclass(frozen=True)
class PeriodInput:
    code: int | None
    start_date: dt.date | None
    end_date: dt.date | None = None
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class PeriodSpan:
    """An existing period's dates (for the overlap check)."""

    id: int
    start_date: dt.date
    end_date: dt.date | None


def _overlaps(a_start: dt.date, a_end: dt.date | None, b: PeriodSpan) -> bool:
    far = dt.date.max
    return a_start <= (b.end_date or far) and b.start_date <= (a_end or far)


def validate_period(
    data: PeriodInput,
    others: Iterable[PeriodSpan],
    *,
    today: dt.date,
    birth_date: dt.date | None = None,
) -> tuple[PeriodInput | None, list[FieldError]]:
    errors: list[FieldError] = []
    place = clean_line(data.place[: SHORT_TEXT_MAX * 4])
    note = clean_block(data.note[: NOTE_MAX * 2])
    if data.code is None:
        errors.append(FieldError("code", required()))
    elif not 1 <= data.code <= 6:
        errors.append(FieldError("code", _("Choose a housing situation from 1 to 6.")))
    if data.start_date is None:
        errors.append(FieldError("start_date", required()))
    else:
        if data.start_date > today:
            errors.append(FieldError("start_date", _("The start date is in the future.")))
        if birth_date is not None and data.start_date < birth_date:
            errors.append(FieldError("start_date", _("The start date is before the birth date.")))
        if data.end_date is not None and data.end_date < data.start_date:
            errors.append(FieldError("end_date", _("The end date is before the start date.")))
    if len(place) > SHORT_TEXT_MAX:
        errors.append(FieldError("place", too_long(SHORT_TEXT_MAX)))
    if len(note) > NOTE_MAX:
        errors.append(FieldError("note", too_long(NOTE_MAX)))
    if not errors and data.start_date is not None:
        for other in others:
            if _overlaps(data.start_date, data.end_date, other):
                errors.append(
                    FieldError(
                        "start_date",
                        _("This period overlaps another housing period of the client."),
                    )
                )
                break
    if errors:
        return None, errors
    return PeriodInput(data.code, data.start_date, data.end_date, place, note), []


def current_period(periods: Iterable[PeriodSpan], today: dt.date) -> PeriodSpan | None:
    """The period that covers ``today``, else the most recent one that has started."""
    started = [p for p in periods if p.start_date <= today]
    covering = [p for p in started if p.end_date is None or p.end_date >= today]
    pool = covering or started
    return max(pool, key=lambda p: p.start_date) if pool else None
