"""Rules for an eviction case, as pure functions that return translatable messages.

Dates follow the order of a real case: notice (uppsägning / opsigelse), social services told,
application to Kronofogden / the fogedret, hearing, eviction. An eviction date or an outcome
date before the notice is an error; an outcome needs its date and a date needs an outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.team import EvictionOutcome, EvictionReason

URGENT_DAYS = 14  # a hearing or eviction this close is marked urgent
NEW_DAYS = 14  # a notice this recent makes the case new
LANDLORD_MAX = 200
MEASURES_MAX = 4000
ARREARS_MAX_CENTS = 100_000_000_00

# Words read for reason and outcome (English keys, Swedish and Danish words), letter case ignored.
REASON_WORDS: dict[str, EvictionReason] = {
    **{r.value: r for r in EvictionReason},
    "rent arrears": EvictionReason.RENT_ARREARS, "hyresskuld": EvictionReason.RENT_ARREARS,
    "hyresskulder": EvictionReason.RENT_ARREARS, "obetald hyra": EvictionReason.RENT_ARREARS,
    "huslejerestance": EvictionReason.RENT_ARREARS, "restance": EvictionReason.RENT_ARREARS,
    "störningar": EvictionReason.DISTURBANCE, "störning": EvictionReason.DISTURBANCE,
    "støj": EvictionReason.DISTURBANCE, "gener": EvictionReason.DISTURBANCE,
    "forstyrrelse": EvictionReason.DISTURBANCE,
    "annat": EvictionReason.OTHER, "annan": EvictionReason.OTHER, "andet": EvictionReason.OTHER,
}  # fmt: skip
OUTCOME_WORDS: dict[str, EvictionOutcome] = {
    **{o.value: o for o in EvictionOutcome},
    "lease kept": EvictionOutcome.LEASE_KEPT, "kvar i bostaden": EvictionOutcome.LEASE_KEPT,
    "behållit kontraktet": EvictionOutcome.LEASE_KEPT, "bor kvar": EvictionOutcome.LEASE_KEPT,
    "bevaret lejemål": EvictionOutcome.LEASE_KEPT, "bliver boende": EvictionOutcome.LEASE_KEPT,
    "new lease": EvictionOutcome.NEW_LEASE, "nytt kontrakt": EvictionOutcome.NEW_LEASE,
    "ny lejekontrakt": EvictionOutcome.NEW_LEASE, "nyt lejemål": EvictionOutcome.NEW_LEASE,
    "vräkt": EvictionOutcome.EVICTED, "vräkning": EvictionOutcome.EVICTED,
    "udsat": EvictionOutcome.EVICTED, "udsættelse": EvictionOutcome.EVICTED,
    "flyttat": EvictionOutcome.MOVED, "fraflyttet": EvictionOutcome.MOVED,
    "flyttet": EvictionOutcome.MOVED,
    "okänt": EvictionOutcome.UNKNOWN, "okänd": EvictionOutcome.UNKNOWN,
    "ukendt": EvictionOutcome.UNKNOWN,
}  # fmt: skip


def read_reason(text: str) -> EvictionReason | None:
    return REASON_WORDS.get(" ".join(text.strip().casefold().split()))


def read_outcome(text: str) -> EvictionOutcome | None:
    return OUTCOME_WORDS.get(" ".join(text.strip().casefold().split()))


@dataclass(frozen=True)
class EvictionInput:
    landlord: str = ""
    reason: EvictionReason = EvictionReason.RENT_ARREARS
    arrears_cents: int | None = None
    notice_date: dt.date | None = None
    social_services_date: dt.date | None = None
    kronofogden_date: dt.date | None = None
    hearing_date: dt.date | None = None
    eviction_date: dt.date | None = None
    measures: str = ""
    outcome: EvictionOutcome | None = None
    outcome_date: dt.date | None = None


def validate_eviction(data: EvictionInput) -> list[tuple[str, str]]:
    """(field, message) for every rule the case breaks; empty when it is fine."""
    problems: list[tuple[str, str]] = []
    if len(data.landlord) > LANDLORD_MAX:
        problems.append(
            (
                "landlord",
                _("The text is too long (at most {limit} characters).").format(limit=LANDLORD_MAX),
            )
        )
    if len(data.measures) > MEASURES_MAX:
        problems.append(
            (
                "measures",
                _("The text is too long (at most {limit} characters).").format(limit=MEASURES_MAX),
            )
        )
    if data.arrears_cents is not None and not 0 <= data.arrears_cents <= ARREARS_MAX_CENTS:
        problems.append(("arrears", _("The amount must be zero or more.")))
    notice = data.notice_date
    if notice is not None:
        for field, day in (
            ("social_services_date", data.social_services_date),
            ("kronofogden_date", data.kronofogden_date),
            ("hearing_date", data.hearing_date),
        ):
            if day is not None and day < notice:
                problems.append((field, _("The date cannot be before the notice date.")))
        if data.eviction_date is not None and data.eviction_date < notice:
            problems.append(
                ("eviction_date", _("The eviction date cannot be before the notice date."))
            )
        if data.outcome_date is not None and data.outcome_date < notice:
            problems.append(
                ("outcome_date", _("The outcome date cannot be before the notice date."))
            )
    if data.outcome is not None and data.outcome_date is None:
        problems.append(("outcome_date", _("Give the date of the outcome.")))
    if data.outcome is None and data.outcome_date is not None:
        problems.append(("outcome", _("Choose the outcome for its date.")))
    return problems


def next_date(data: EvictionInput, today: dt.date) -> dt.date | None:
    """The next hearing or eviction date of an open case on or after ``today``."""
    if data.outcome is not None:
        return None
    upcoming = [d for d in (data.hearing_date, data.eviction_date) if d is not None and d >= today]
    return min(upcoming, default=None)


def parse_amount(text: str) -> int | None:
    """An amount in kronor as written in Sweden or Denmark ('12 500,50', '12.500,50',
    '12500.5') in öre/øre; None when empty. ValueError when it is not an amount."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    for suffix in ("kr", "sek", "dkk", ":-"):
        if cleaned.casefold().endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    if not cleaned:
        return None
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 or (cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3):
        cleaned = cleaned.replace(".", "")
    value = float(cleaned)
    if not 0 <= value < float("inf"):
        raise ValueError(text)
    return round(value * 100)
