"""The data a case summary (and a record extract) shows: plain values, no ReportLab.

The services gather these (``services.pdf_export``, ``services.assessments``,
``services.plans``); the renderers in :mod:`.case_summary` and :mod:`.record_extract` draw them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.chart_spec import LevelScale
from hemlos_desktop.models.client import (
    ClientStatus,
    ClosureReason,
    ContactKind,
    ContactOutcome,
    Gender,
    JournalCategory,
    TargetGroup,
)
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.team import EvictionOutcome, EvictionReason, ResponsibilityRole

if TYPE_CHECKING:
    from hemlos_desktop.models.plan_info import PlanVersionInfo


@dataclass(frozen=True)
class SummaryClient:
    """The client details shown at the top. ``id_text`` is the identity number as printed:
    masked, or in full when the user chose full numbers ('' when not identified)."""

    id: int
    display_name: str
    id_kind: IdKind
    id_text: str
    birth_date: dt.date | None
    age: int | None
    gender: Gender
    language: str
    target_groups: tuple[TargetGroup, ...]
    responsible: str
    team: str
    status: ClientStatus
    closed_on: dt.date | None
    protected_identity: bool
    housing_code: int | None
    housing_since: dt.date | None
    housing_days: int | None
    closure_reason: ClosureReason | None = None
    closure_note: str = ""


@dataclass(frozen=True)
class SummaryPeriod:
    code: int
    start: dt.date
    end: dt.date | None
    place: str


@dataclass(frozen=True)
class SummaryContact:
    date: dt.date
    kind: ContactKind
    outcome: ContactOutcome
    place: str
    recorded_by: str


@dataclass(frozen=True)
class SummaryJournalEntry:
    """A signed journal entry; ``corrects_date`` is the date of the entry it corrects."""

    id: int
    date: dt.date
    category: JournalCategory
    text: str
    author: str
    corrects_id: int | None
    corrects_date: dt.date | None
    corrected_by_ids: tuple[int, ...]


@dataclass(frozen=True)
class JournalExtract:
    """Signed entries of ``start``..``end`` (oldest first)."""

    start: dt.date | None
    end: dt.date | None
    entries: tuple[SummaryJournalEntry, ...]


@dataclass(frozen=True)
class RatingArea:
    """One area of an independence rating; labels are already in the document's language."""

    label: str
    latest: int | None
    previous: int | None


@dataclass(frozen=True)
class RatingSummary:
    """The latest independence rating and the one before it, with the qualification line.

    Supplied by the assessments feature; all text already in the document's language."""

    instrument: str
    latest_date: dt.date
    previous_date: dt.date | None
    areas: tuple[RatingArea, ...]
    qualification: str = ""
    scale: LevelScale = LevelScale()  # the instrument's own levels


@dataclass(frozen=True)
class PlanAction:
    text: str
    responsible: str
    due: dt.date | None
    status: str


@dataclass(frozen=True)
class PlanGoal:
    text: str
    status: str
    actions: tuple[PlanAction, ...]


@dataclass(frozen=True)
class PlanSummary:
    """The active plan's goals and actions; supplied by the plans feature, text translated."""

    title: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    goals: tuple[PlanGoal, ...]


@dataclass(frozen=True)
class SummaryResponsibility:
    role: ResponsibilityRole
    who: str
    since: dt.date


@dataclass(frozen=True)
class SummaryEviction:
    notice_date: dt.date | None
    landlord: str
    reason: EvictionReason
    outcome: EvictionOutcome | None
    outcome_date: dt.date | None
    next_date: dt.date | None


@dataclass(frozen=True)
class SummaryTeam:
    """Who does what now, and the client's eviction cases."""

    responsibilities: tuple[SummaryResponsibility, ...]
    evictions: tuple[SummaryEviction, ...]


@dataclass(frozen=True)
class CaseSummaryData:
    client: SummaryClient
    periods: tuple[SummaryPeriod, ...]
    contacts: tuple[SummaryContact, ...]
    contacts_total: int
    journal: JournalExtract | None = None
    rating: RatingSummary | None = None
    plan: PlanSummary | None = None
    team: SummaryTeam | None = None


# --- the record extract: the summary plus the access log, ratings and plan versions ---------


@dataclass(frozen=True)
class AccessRow:
    at: dt.datetime  # UTC
    user: str
    action: AuditAction


@dataclass(frozen=True)
class ExtractRatingArea:
    """One area of a rating, named in the document's language."""

    name: str
    level: int | None
    level_label: str  # the instrument's short label of the level ("" when not assessed)
    comment: str = ""
    not_assessed_reason: str = ""


@dataclass(frozen=True)
class ExtractRating:
    """One signed assessment (an original, a corrected one or a correction)."""

    id: int
    rated_on: dt.date
    rater: str
    client_took_part: bool
    instrument: str  # the instrument's name in the document's language
    instrument_version: int
    signed_at: dt.datetime | None  # UTC
    corrects_id: int | None
    corrected_by_ids: tuple[int, ...]
    areas: tuple[ExtractRatingArea, ...]


@dataclass(frozen=True)
class RecordExtractData:
    summary: CaseSummaryData
    access: tuple[AccessRow, ...]
    made_on: dt.date
    ratings: tuple[ExtractRating, ...] = ()  # signed ones, oldest first
    plans: tuple[PlanVersionInfo, ...] = field(default=())  # every version, oldest first
