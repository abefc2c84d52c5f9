"""Rules of an independence rating: qualification (explained in words) and rating validation.

Pure functions on plain data; the texts come in the language asked for (``lang``), or in the
active UI language when ``lang`` is ``None``, so a Danish report can be made from a Swedish UI.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from babel.lists import format_list

from hemlos_desktop.i18n import Translator, active, translator_for
from hemlos_desktop.models.instrument import Instrument

# Field names used in validation messages: "date", "case", "area:<key>" and "reason:<key>".
FIELD_DATE = "date"
FIELD_CASE = "case"


def area_field(key: str) -> str:
    return f"area:{key}"


def reason_field(key: str) -> str:
    return f"reason:{key}"


def _tr(lang: str | None) -> Translator:
    return translator_for(lang) if lang is not None else active()


class QualificationStatus(enum.Enum):
    QUALIFIES = "qualifies"
    NOT_YET = "not_yet"
    UNDECIDED = "undecided"
    CLOSED = "closed"


@dataclass(frozen=True)
class QualificationResult:
    """Whether a rating qualifies for the coordinated effort, and why, in one sentence."""

    status: QualificationStatus
    text: str
    above_limit: tuple[str, ...] = ()
    not_assessed: tuple[str, ...] = ()

    @property
    def qualifies(self) -> bool:
        return self.status is QualificationStatus.QUALIFIES


def qualifies(instrument: Instrument, ratings: Mapping[str, int | None]) -> bool:
    """True when every area is rated and at or below the instrument's limit (no closed code)."""
    limit = instrument.rule.qualify_max_level
    levels = [ratings.get(key) for key in instrument.area_keys]
    return all(
        level is not None and not instrument.is_closed(level) and level <= limit for level in levels
    )


def explain_qualification(
    instrument: Instrument, ratings: Mapping[str, int | None], lang: str | None = None
) -> QualificationResult:
    """Decide qualification and say why, naming areas in ``lang``.

    Areas missing from ``ratings`` count as not assessed. A closed code in any area means the
    case is closed; an area above the limit decides "not yet" even if others are not assessed.
    """
    tr = _tr(lang)
    code = tr.language
    limit = instrument.rule.qualify_max_level
    locale = tr.babel_locale
    closed = [k for k in instrument.area_keys if instrument.is_closed(ratings.get(k))]
    above = [
        k
        for k in instrument.area_keys
        if (level := ratings.get(k)) is not None and not instrument.is_closed(level)
        if level > limit
    ]
    missing = [k for k in instrument.area_keys if ratings.get(k) is None]
    if closed:
        return QualificationResult(
            QualificationStatus.CLOSED,
            tr.gettext("Case closed: qualification does not apply."),
            above_limit=tuple(above),
            not_assessed=tuple(missing),
        )
    if above:
        parts = [
            tr.gettext("{area} is {level}").format(
                area=instrument.area_name(k, code), level=ratings[k]
            )
            for k in above
        ]
        text = tr.gettext("Does not qualify yet: {areas}").format(
            areas=format_list(parts, locale=locale)
        )
        return QualificationResult(QualificationStatus.NOT_YET, text, tuple(above), tuple(missing))
    if missing:
        names = format_list([instrument.area_name(k, code) for k in missing], locale=locale)
        text = tr.ngettext(
            "Cannot be decided: {areas} was not assessed",
            "Cannot be decided: {areas} were not assessed",
            len(missing),
        ).format(areas=names)
        return QualificationResult(QualificationStatus.UNDECIDED, text, (), tuple(missing))
    return QualificationResult(
        QualificationStatus.QUALIFIES,
        tr.gettext("Qualifies: every area is {limit} or lower").format(limit=limit),
    )


@dataclass(frozen=True)
class AreaRating:
    """One area of a rating: a level, or ``None`` with a reason why it was not assessed."""

    key: str
    level: int | None
    comment: str = ""
    not_assessed_reason: str = ""


@dataclass(frozen=True)
class RatingDraft:
    """What the coding form produces; the assessments service persists it."""

    instrument_id: str
    instrument_version: int
    rated_on: dt.date
    client_took_part: bool
    areas: tuple[AreaRating, ...]

    def levels(self) -> dict[str, int | None]:
        return {area.key: area.level for area in self.areas}

    def area(self, key: str) -> AreaRating:
        for area in self.areas:
            if area.key == key:
                return area
        raise KeyError(key)


@dataclass(frozen=True)
class RatingProblem:
    """One validation message for one form field (see ``FIELD_*``, ``area_field``)."""

    field: str
    message: str


@dataclass(frozen=True)
class RatingCheck:
    problems: tuple[RatingProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def for_field(self, name: str) -> tuple[str, ...]:
        return tuple(p.message for p in self.problems if p.field == name)


def validate_rating(
    instrument: Instrument,
    draft: RatingDraft,
    *,
    today: dt.date,
    birth_date: dt.date | None = None,
    case_closed: bool = False,
    lang: str | None = None,
) -> RatingCheck:
    """Check a rating before it is saved; every problem is named with its field.

    ``case_closed`` says the client's case was closed by an earlier rating; such a case is not
    rated again (reopen it first).
    """
    tr = _tr(lang)
    code = tr.language
    problems: list[RatingProblem] = []

    def add(name: str, message: str) -> None:
        problems.append(RatingProblem(name, message))

    if case_closed:
        add(
            FIELD_CASE,
            tr.gettext("The case is closed. Reopen the case before rating it again."),
        )
    if draft.instrument_id != instrument.id or draft.instrument_version != instrument.version:
        add(FIELD_CASE, tr.gettext("The rating was made with another version of the instrument."))
    if draft.rated_on > today:
        add(FIELD_DATE, tr.gettext("The rating date cannot be in the future."))
    if birth_date is not None and draft.rated_on < birth_date:
        add(FIELD_DATE, tr.gettext("The rating date cannot be before the client's birth date."))

    given = {area.key: area for area in draft.areas}
    for key in sorted(set(given) - set(instrument.area_keys)):
        add(area_field(key), tr.gettext("This area is not part of the instrument."))
    allowed = instrument.allowed_levels
    for key in instrument.area_keys:
        name = instrument.area_name(key, code)
        rating = given.get(key)
        if rating is None or rating.level is None:
            reason = rating.not_assessed_reason.strip() if rating is not None else ""
            if not reason:
                add(
                    reason_field(key),
                    tr.gettext("{area}: give a level, or a reason why it was not assessed.").format(
                        area=name
                    ),
                )
            continue
        if rating.level not in allowed:
            add(
                area_field(key),
                tr.gettext("{area}: the level must be between {low} and {high}.").format(
                    area=name, low=allowed[0], high=allowed[-1]
                ),
            )
    closed_levels = [a for a in draft.areas if instrument.is_closed(a.level)]
    if closed_levels and len(closed_levels) != len(instrument.areas):
        label = (
            instrument.closed_label.get(code) if instrument.closed_label else str(closed_levels[0])
        )
        add(
            FIELD_CASE,
            tr.gettext(
                "“{closed}” closes the case: rate every area {level}, or none of them."
            ).format(closed=label, level=instrument.rule.closed_level),
        )
    return RatingCheck(tuple(problems))
