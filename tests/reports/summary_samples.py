"""Case summary data for tests of the summary document (no database)."""

from __future__ import annotations

import datetime as dt

from hemlos_desktop.models.client import (
    ClientStatus,
    ContactKind,
    ContactOutcome,
    Gender,
    JournalCategory,
    TargetGroup,
)
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.reports.summary_data import (
    CaseSummaryData,
    JournalExtract,
    PlanAction,
    PlanGoal,
    PlanSummary,
    RatingArea,
    RatingSummary,
    SummaryClient,
    SummaryContact,
    SummaryJournalEntry,
    SummaryPeriod,
)

PRINTED_AT = dt.datetime(2026, 3, 5, 14, 30)


def client(lang: str, *, full: bool = False, protected: bool = False) -> SummaryClient:
    if lang == "sv":
        kind, text = IdKind.PERSONNUMMER, "19850312-1237" if full else "19850312-****"
        name = "Öberg, Åsa"
    else:
        kind, text = IdKind.CPR, "120385-1234" if full else "120385-****"
        name = "Ærø, Søren"
    return SummaryClient(
        id=7,
        display_name=name,
        id_kind=kind,
        id_text=text,
        birth_date=dt.date(1985, 3, 12),
        age=40,
        gender=Gender.WOMAN,
        language="ar",
        target_groups=(TargetGroup.SUBSTANCE_ABUSE, TargetGroup.PSYCHIATRIC_DISABILITY),
        responsible="Lena Ek",
        team="Söder",
        status=ClientStatus.ACTIVE,
        closed_on=None,
        protected_identity=protected,
        housing_code=5,
        housing_since=dt.date(2025, 12, 20),
        housing_days=75,
    )


PERIODS = (
    SummaryPeriod(1, dt.date(2024, 11, 3), dt.date(2025, 2, 14), "Stadsmissionen"),
    SummaryPeriod(2, dt.date(2025, 2, 14), dt.date(2025, 7, 1), ""),
    SummaryPeriod(3, dt.date(2025, 7, 1), dt.date(2025, 12, 20), "Ringvägen 3"),
    SummaryPeriod(5, dt.date(2025, 12, 20), None, "Götgatan 12"),
)
CONTACTS = (
    SummaryContact(
        dt.date(2025, 1, 8),
        ContactKind.STREET,
        ContactOutcome.CONVERSATION,
        "Medborgarplatsen",
        "Lena Ek",
    ),
    SummaryContact(
        dt.date(2024, 12, 2), ContactKind.SHELTER, ContactOutcome.BRIEF, "Härbärget", "Lena Ek"
    ),
)


def journal(entries: int = 3) -> JournalExtract:
    items = [
        SummaryJournalEntry(
            id=i + 1,
            date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            category=JournalCategory.MEETING,
            text=f"Anteckning {i + 1}. Samtal om boendet & ekonomin <kort>. " * 3,
            author="Lena Ek",
            corrects_id=None,
            corrects_date=None,
            corrected_by_ids=(99,) if i == 0 else (),
        )
        for i in range(entries)
    ]
    items.append(
        SummaryJournalEntry(
            id=99,
            date=dt.date(2025, 6, 1),
            category=JournalCategory.OTHER,
            text="Rättelse: fel datum för mötet.",
            author="Lena Ek",
            corrects_id=1,
            corrects_date=dt.date(2025, 1, 1),
            corrected_by_ids=(),
        )
    )
    return JournalExtract(dt.date(2025, 1, 1), dt.date(2025, 12, 31), tuple(items))


def rating() -> RatingSummary:
    return RatingSummary(
        instrument="Självständighetsmatris",
        latest_date=dt.date(2026, 2, 1),
        previous_date=dt.date(2025, 8, 1),
        areas=(
            RatingArea("Boende", 4, 2),
            RatingArea("Försörjning", 3, 2),
            RatingArea("Missbruk", 3, None),
        ),
        qualification="Kvalificerar för eget kontrakt.",
    )


def plan() -> PlanSummary:
    return PlanSummary(
        title="Genomförandeplan",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 6, 30),
        goals=(
            PlanGoal(
                "Behålla lägenheten",
                "Pågår",
                (PlanAction("Betala hyran via autogiro", "Åsa", dt.date(2026, 2, 1), "Klar"),),
            ),
        ),
    )


def data(
    lang: str, *, full: bool = False, journal_entries: int | None = None, **changes: object
) -> CaseSummaryData:
    values: dict[str, object] = {
        "client": client(lang, full=full),
        "periods": PERIODS,
        "contacts": CONTACTS,
        "contacts_total": 25,
        "journal": journal(journal_entries) if journal_entries is not None else None,
    }
    values.update(changes)
    return CaseSummaryData(**values)  # type: ignore[arg-type]
