"""How long something has lasted, in words: one rule for the screen and the paper.

Under 60 days the days are counted; under two years whole months (a month is a twelfth of
365 days, so 92 days are 3 months); from then on whole years. The case overview ("for 3
months") and the case summary PDF ("3 months") both use :func:`duration_text`, so the same
housing period reads the same on screen and on paper.
"""

from __future__ import annotations

from enum import StrEnum

from hemlos_desktop.i18n import Translator

DAYS_SHOWN_BELOW = 60
MONTHS_SHOWN_BELOW = 24


class DurationUnit(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


def duration_parts(days: int) -> tuple[DurationUnit, int]:
    """The unit and whole count for ``days`` (negative counts as 0). Pure."""
    days = max(0, days)
    if days < DAYS_SHOWN_BELOW:
        return DurationUnit.DAYS, days
    months = days * 12 // 365
    if months < MONTHS_SHOWN_BELOW:
        return DurationUnit.MONTHS, months
    return DurationUnit.YEARS, days // 365


def duration_text(tr: Translator, days: int) -> str:
    """``days`` as "12 days", "3 months" or "2 years" in ``tr``'s language."""
    unit, count = duration_parts(days)
    if unit is DurationUnit.DAYS:
        return tr.ngettext("{count} day", "{count} days", count).format(count=count)
    if unit is DurationUnit.MONTHS:
        return tr.ngettext("{count} month", "{count} months", count).format(count=count)
    return tr.ngettext("{count} year", "{count} years", count).format(count=count)
