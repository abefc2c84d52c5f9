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
    NOT_YET = "not_yet"  # above the limit in some area (and never at or below it before)
    PROGRESS = "progress"  # above the limit in an area that was at or below it last time
    UNDECIDED = "undecided"
    CLOSED = "closed"  # every area closed: the rule does not apply


@dataclass(frozen=True)
class QualificationResult:
    """Whether a rating qualifies for the coordinated effort, and why, in one sentence."""

    status: QualificationStatus
    text: str
    above_limit: tuple[str, ...] = ()
    not_assessed: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    progress: tuple[str, ...] = ()

    @property
    def qualifies(self) -> bool:
        return self.status is QualificationStatus.QUALIFIES


def qualifies(instrument: Instrument, ratings: Mapping[str, int | None]) -> bool:
    """True when every area that is not closed is rated at or below the instrument's limit
    (an area rated with the closed code is closed for that area only and does not count; a
    rating with every area closed does not qualify)."""
    limit = instrument.rule.qualify_max_level
    levels = [
        level for key in instrument.area_keys if not instrument.is_closed(level := ratings.get(key))
    ]
    return bool(levels) and all(level is not None and level <= limit for level in levels)


def rule_text(instrument: Instrument, lang: str | None = None) -> str:
    """The instrument's target-group rule in one or two sentences, for where ratings are
    coded: what the limit is, what the client then qualifies for, and what a closed area
    means."""
    tr = _tr(lang)
    limit = tr.format_number(instrument.rule.qualify_max_level)
    text = tr.gettext(
        "Target-group rule: a client rated {limit} or lower in every area (the least "
        "independent levels) qualifies for the coordinated effort led by a housing "
        "coordinator. A higher level means more independent."
    ).format(limit=limit)
    closed = instrument.rule.closed_level
    if closed is not None:
        text += " " + tr.gettext(
            "{closed} closes that area only: the rating stays open and the other areas count."
        ).format(closed=tr.format_number(closed))
    return text


def explain_qualification(
    instrument: Instrument,
    ratings: Mapping[str, int | None],
    lang: str | None = None,
    *,
    previous: Mapping[str, int | None] | None = None,
) -> QualificationResult:
    """Decide qualification and say why, naming areas in ``lang``.

    Areas missing from ``ratings`` count as not assessed. An area with the closed code is
    closed for that area only: it is left out and the other areas decide (every area closed:
    the rule does not apply). An area above the limit decides even if others are not
    assessed; when such an area was at or below the limit in the ``previous`` rating, that
    is progress and is said so (never "not yet").
    """
    tr = _tr(lang)
    code = tr.language
    limit = instrument.rule.qualify_max_level
    locale = tr.babel_locale
    closed = [k for k in instrument.area_keys if instrument.is_closed(ratings.get(k))]
    open_keys = [k for k in instrument.area_keys if k not in closed]
    above = [k for k in open_keys if (level := ratings.get(k)) is not None and level > limit]
    missing = [k for k in open_keys if ratings.get(k) is None]
    earlier = previous or {}
    progress = [
        k
        for k in above
        if (before := earlier.get(k)) is not None
        and not instrument.is_closed(before)
        and before <= limit
    ]
    details = {
        "above_limit": tuple(above),
        "not_assessed": tuple(missing),
        "closed": tuple(closed),
        "progress": tuple(progress),
    }

    def names(keys: list[str]) -> str:
        return format_list([instrument.area_name(k, code) for k in keys], locale=locale)

    def with_closed(text: str) -> str:
        if not closed:
            return text
        return tr.ngettext(
            "{text} ({areas} is closed and does not count)",
            "{text} ({areas} are closed and do not count)",
            len(closed),
        ).format(text=text, areas=names(closed))

    if not open_keys:
        return QualificationResult(
            QualificationStatus.CLOSED,
            tr.gettext("Every area is closed: the target-group rule does not apply."),
            **details,
        )
    if progress:
        parts = [
            tr.gettext("{area} from {before} to {level}").format(
                area=instrument.area_name(k, code), before=earlier[k], level=ratings[k]
            )
            for k in progress
        ]
        text = tr.gettext(
            "Progress since the previous rating: {areas}. The client is more independent "
            "than the target group (every area {limit} or lower)."
        ).format(areas=format_list(parts, locale=locale), limit=limit)
        return QualificationResult(QualificationStatus.PROGRESS, with_closed(text), **details)
    if above:
        parts = [
            tr.gettext("{area} is {level}").format(
                area=instrument.area_name(k, code), level=ratings[k]
            )
            for k in above
        ]
        text = tr.gettext("Does not qualify: {areas}").format(
            areas=format_list(parts, locale=locale)
        )
        return QualificationResult(QualificationStatus.NOT_YET, with_closed(text), **details)
    if missing:
        text = tr.ngettext(
            "Cannot be decided: {areas} was not assessed",
            "Cannot be decided: {areas} were not assessed",
            len(missing),
        ).format(areas=names(missing))
        return QualificationResult(QualificationStatus.UNDECIDED, with_closed(text), **details)
    return QualificationResult(
        QualificationStatus.QUALIFIES,
        with_closed(tr.gettext("Qualifies: every area is {limit} or lower").format(limit=limit)),
        **details,
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

    ``case_closed`` says the client's case is closed; such a case is not rated again (reopen
    it first). The closed code in an area closes that area only, so any mix is allowed.
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
    return RatingCheck(tuple(problems))
