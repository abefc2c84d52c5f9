"""Rules for housing periods: dates in order, codes 1-5, no overlapping periods, and the kind
of place within a code.

A code means the same situation in every language (the Södermalm scale, as in the rating's
housing area). The Danish goals count kinds of place that lie *within* a code, so they are
recorded beside it (:class:`HousingPlaceKind`): each kind belongs to one code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from hemlos_desktop.i18n import Translator, active
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.text import SHORT_TEXT_MAX, clean_block, clean_line
from hemlos_desktop.models.validation import FieldError, required, too_long

NOTE_MAX = 4000
HOUSING_CODES: tuple[int, ...] = (1, 2, 3, 4, 5)


class HousingPlaceKind(StrEnum):
    """The kind of place within a housing code, as the Danish homelessness goals count them."""

    STREET = "street"  # gadesover / sover ute
    NIGHT_SHELTER = "night_shelter"  # natvarmestue, natcafé / akutboende
    SHELTER_110 = "shelter_110"  # herberg, forsorgshjem (serviceloven § 110) / härbärge
    RELEASE_WITHOUT_HOUSING = "release_without_housing"  # from prison, hospital or treatment
    FAMILY_FRIENDS = "family_friends"  # hos familie eller venner / hos familj eller vänner


PLACE_KIND_CODE: dict[HousingPlaceKind, int] = {
    HousingPlaceKind.STREET: 1,
    HousingPlaceKind.NIGHT_SHELTER: 1,
    HousingPlaceKind.SHELTER_110: 1,
    HousingPlaceKind.RELEASE_WITHOUT_HOUSING: 1,
    HousingPlaceKind.FAMILY_FRIENDS: 2,
}


def place_kind_label_in(translator: Translator, kind: HousingPlaceKind) -> str:
    labels = {
        HousingPlaceKind.STREET: translator.pgettext("place kind", "Sleeping rough on the street"),
        HousingPlaceKind.NIGHT_SHELTER: translator.pgettext("place kind", "Night shelter"),
        HousingPlaceKind.SHELTER_110: translator.pgettext(
            "place kind", "Shelter or hostel (herberg, forsorgshjem § 110)"
        ),
        HousingPlaceKind.RELEASE_WITHOUT_HOUSING: translator.pgettext(
            "place kind",
            "Released from prison or discharged from hospital or treatment without housing",
        ),
        HousingPlaceKind.FAMILY_FRIENDS: translator.pgettext(
            "place kind", "Staying with family or friends"
        ),
    }
    return labels[kind]


def place_kind_label(kind: HousingPlaceKind) -> str:
    return place_kind_label_in(active(), kind)


def place_kinds_for(code: int | None) -> list[HousingPlaceKind]:
    """The kinds of place that can be recorded within ``code``."""
    return [kind for kind, kind_code in PLACE_KIND_CODE.items() if kind_code == code]


@dataclass(frozen=True)
class PeriodInput:
    code: int | None
    start_date: dt.date | None
    end_date: dt.date | None = None
    place: str = ""
    note: str = ""
    place_kind: HousingPlaceKind | None = None


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
    elif data.code not in HOUSING_CODES:
        errors.append(FieldError("code", _("Choose a housing situation from 1 to 5.")))
    elif data.place_kind is not None and PLACE_KIND_CODE[data.place_kind] != data.code:
        errors.append(
            FieldError(
                "place_kind",
                _("This kind of place belongs to housing situation {code}.").format(
                    code=PLACE_KIND_CODE[data.place_kind]
                ),
            )
        )
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
    return PeriodInput(data.code, data.start_date, data.end_date, place, note, data.place_kind), []


def current_period(periods: Iterable[PeriodSpan], today: dt.date) -> PeriodSpan | None:
    """The period that covers ``today``, else the most recent one that has started."""
    started = [p for p in periods if p.start_date <= today]
    covering = [p for p in started if p.end_date is None or p.end_date >= today]
    pool = covering or started
    return max(pool, key=lambda p: p.start_date) if pool else None
