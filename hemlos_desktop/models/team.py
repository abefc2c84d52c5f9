"""The boendelots team: its units, members' roles and competences, partners, who does what for
each client (with history), eviction cases, releases without housing, and case review meetings.

Members are users: a user's teams are the ``team_members`` rows (the access rules depend on
them); the row also holds the member's unit and team role. Units, partners and meetings belong to
one team. Nothing here is deleted while it is still referred to: removing a team, unit or member
offers reassignment first (see ``services.team_org``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.i18n import N_
from hemlos_desktop.models.base import Base, TimestampMixin, UidMixin

DEFAULT_CASELOAD_CEILING = 25
DEFAULT_NO_CONTACT_DAYS = 30


class UnitKind(StrEnum):
    EVICTION_PREVENTION = "eviction_prevention"
    INVESTIGATING = "investigating"
    OUTREACH = "outreach"
    SUPPORTING = "supporting"
    ELDER_CARE = "elder_care"
    OTHER = "other"


UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.EVICTION_PREVENTION: N_("Mobile eviction-prevention team"),
    UnitKind.INVESTIGATING: N_("Investigating unit"),
    UnitKind.OUTREACH: N_("Outreach team"),
    UnitKind.SUPPORTING: N_("Supporting unit"),
    UnitKind.ELDER_CARE: N_("Elder care"),
    UnitKind.OTHER: N_("Other unit"),
}

# The units of the Södermalm application (seed 001), offered when a team is set up.
SUGGESTED_UNITS: tuple[UnitKind, ...] = (
    UnitKind.EVICTION_PREVENTION,
    UnitKind.INVESTIGATING,
    UnitKind.OUTREACH,
    UnitKind.SUPPORTING,
    UnitKind.ELDER_CARE,
)


class TeamRole(StrEnum):
    COORDINATOR = "coordinator"  # boendelots / boligkoordinator
    CASEWORKER = "caseworker"
    TEAM_LEAD = "team_lead"
    OTHER = "other"


TEAM_ROLE_LABELS: dict[TeamRole, str] = {
    TeamRole.COORDINATOR: N_("Housing coordinator (boendelots)"),
    TeamRole.CASEWORKER: N_("Caseworker"),
    TeamRole.TEAM_LEAD: N_("Team lead"),
    TeamRole.OTHER: N_("Other"),
}


class Competence(StrEnum):
    MI = "mi"
    CTI = "cti"
    NETWORK = "network"
    DUAL_DIAGNOSIS = "dual_diagnosis"
    HOUSING_FIRST = "housing_first"
    TRAUMA = "trauma"
    ICM = "icm"
    ACT = "act"


COMPETENCE_LABELS: dict[Competence, str] = {
    Competence.MI: N_("Motivational interviewing (MI)"),
    Competence.CTI: N_("Critical Time Intervention (CTI)"),
    Competence.NETWORK: N_("Network methods"),
    Competence.DUAL_DIAGNOSIS: N_("Dual diagnosis"),
    Competence.HOUSING_FIRST: N_("Housing First"),
    Competence.TRAUMA: N_("Trauma-informed work"),
    Competence.ICM: N_("Intensive case management (ICM)"),
    Competence.ACT: N_("Assertive community treatment (ACT)"),
}


class PartnerKind(StrEnum):
    LANDLORD = "landlord"
    PSYCHIATRY = "psychiatry"
    PRIMARY_CARE = "primary_care"
    EMPLOYMENT = "employment"
    PROBATION = "probation"  # Kriminalvården / Kriminalforsorgen
    OTHER = "other"


PARTNER_KIND_LABELS: dict[PartnerKind, str] = {
    PartnerKind.LANDLORD: N_("Landlord"),
    PartnerKind.PSYCHIATRY: N_("Psychiatry"),
    PartnerKind.PRIMARY_CARE: N_("Primary care"),
    PartnerKind.EMPLOYMENT: N_("Employment service"),
    PartnerKind.PROBATION: N_("Prison and probation service"),
    PartnerKind.OTHER: N_("Other"),
}


class ResponsibilityRole(StrEnum):
    COORDINATOR = "coordinator"  # the coordinating boendelots
    CASEWORKER = "caseworker"  # the responsible caseworker
    PURCHASER = "purchaser"  # a unit as beställare
    PROVIDER = "provider"  # a unit as utförare


RESPONSIBILITY_LABELS: dict[ResponsibilityRole, str] = {
    ResponsibilityRole.COORDINATOR: N_("Coordinating boendelots"),
    ResponsibilityRole.CASEWORKER: N_("Responsible caseworker"),
    ResponsibilityRole.PURCHASER: N_("Purchaser"),
    ResponsibilityRole.PROVIDER: N_("Provider"),
}


class EvictionReason(StrEnum):
    RENT_ARREARS = "rent_arrears"
    DISTURBANCE = "disturbance"
    OTHER = "other"


EVICTION_REASON_LABELS: dict[EvictionReason, str] = {
    EvictionReason.RENT_ARREARS: N_("Rent arrears"),
    EvictionReason.DISTURBANCE: N_("Disturbance"),
    EvictionReason.OTHER: N_("Other"),
}


class EvictionOutcome(StrEnum):
    LEASE_KEPT = "lease_kept"
    NEW_LEASE = "new_lease"
    EVICTED = "evicted"
    MOVED = "moved"
    UNKNOWN = "unknown"


EVICTION_OUTCOME_LABELS: dict[EvictionOutcome, str] = {
    EvictionOutcome.LEASE_KEPT: N_("Lease kept"),
    EvictionOutcome.NEW_LEASE: N_("New lease"),
    EvictionOutcome.EVICTED: N_("Evicted"),
    EvictionOutcome.MOVED: N_("Moved"),
    EvictionOutcome.UNKNOWN: N_("Unknown"),
}


class ReleaseKind(StrEnum):
    PRISON = "prison"
    HOSPITAL = "hospital"
    TREATMENT = "treatment"


RELEASE_KIND_LABELS: dict[ReleaseKind, str] = {
    ReleaseKind.PRISON: N_("Release from prison"),
    ReleaseKind.HOSPITAL: N_("Discharge from hospital"),
    ReleaseKind.TREATMENT: N_("Discharge from treatment"),
}


class AgendaReason(StrEnum):
    FOLLOW_UP_DUE = "follow_up_due"
    EVICTION = "eviction"
    NEWLY_QUALIFIED = "newly_qualified"
    NO_CONTACT = "no_contact"
    ADDED = "added"


AGENDA_REASON_LABELS: dict[AgendaReason, str] = {
    AgendaReason.FOLLOW_UP_DUE: N_("Follow-up due or overdue"),
    AgendaReason.EVICTION: N_("New or urgent eviction case"),
    AgendaReason.NEWLY_QUALIFIED: N_("Newly qualified"),
    AgendaReason.NO_CONTACT: N_("No contact for a long time"),
    AgendaReason.ADDED: N_("Added by the team lead"),
}


class Unit(UidMixin, TimestampMixin, Base):
    __tablename__ = "team_units"
    __table_args__ = (Index("ix_team_units_team_name", "team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30), default=UnitKind.OTHER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MemberCompetence(Base):
    __tablename__ = "member_competences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    competence: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)
    trained_on: Mapped[dt.date | None] = mapped_column(Date)


class Partner(UidMixin, TimestampMixin, Base):
    __tablename__ = "team_partners"
    __table_args__ = (Index("ix_team_partners_team_name", "team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default=PartnerKind.OTHER.value)
    contact: Mapped[str] = mapped_column(String(200), default="")


class Responsibility(UidMixin, TimestampMixin, Base):
    """Who does what for a client from ``start_date``; an open row (no end) is in force.

    A change ends the open row and starts a new one, so the history is kept.
    """

    __tablename__ = "client_responsibilities"
    __table_args__ = (
        Index("ix_client_responsibilities_client_role", "client_id", "role", "end_date"),
        Index("ix_client_responsibilities_user_open", "user_id", "end_date"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("user_id IS NOT NULL OR unit_id IS NOT NULL", name="someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_units.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class EvictionCase(UidMixin, TimestampMixin, Base):
    """One threatened tenancy (vräkningsärende / udsættelsessag)."""

    __tablename__ = "eviction_cases"
    __table_args__ = (
        Index("ix_eviction_cases_client_notice", "client_id", "notice_date"),
        Index("ix_eviction_cases_outcome_date", "outcome", "outcome_date"),
        CheckConstraint("arrears_cents IS NULL OR arrears_cents >= 0", name="arrears_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    landlord: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(20), default=EvictionReason.RENT_ARREARS.value)
    arrears_cents: Mapped[int | None] = mapped_column(Integer)
    notice_date: Mapped[dt.date | None] = mapped_column(Date)
    social_services_date: Mapped[dt.date | None] = mapped_column(Date)
    kronofogden_date: Mapped[dt.date | None] = mapped_column(Date)
    hearing_date: Mapped[dt.date | None] = mapped_column(Date)
    eviction_date: Mapped[dt.date | None] = mapped_column(Date)
    measures: Mapped[str] = mapped_column(Text, default="")
    # Empty while the case is open.
    outcome: Mapped[str] = mapped_column(String(20), default="")
    outcome_date: Mapped[dt.date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Release(UidMixin, TimestampMixin, Base):
    """A release from prison or a discharge from hospital or treatment, and whether a housing
    solution was in place on the day (a Danish strategy goal)."""

    __tablename__ = "client_releases"
    __table_args__ = (
        Index("ix_client_releases_date", "release_date"),
        Index("ix_client_releases_client", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    release_date: Mapped[dt.date] = mapped_column(Date)
    housing_arranged: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewMeeting(UidMixin, TimestampMixin, Base):
    """A case review meeting (ärendegenomgång / sagsgennemgang) of one team."""

    __tablename__ = "review_meetings"
    __table_args__ = (Index("ix_review_meetings_team_date", "team_id", "meeting_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    minutes_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class MeetingParticipant(Base):
    __tablename__ = "meeting_participants"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("review_meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AgendaItem(UidMixin, Base):
    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_meeting_position", "meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20), default=AgendaReason.ADDED.value)
    topic: Mapped[str] = mapped_column(String(200), default="")
    decision: Mapped[str] = mapped_column(Text, default="")


class MeetingAction(UidMixin, TimestampMixin, Base):
    """An action decided at a meeting, assigned to a member with a due date ("what is due")."""

    __tablename__ = "meeting_actions"
    __table_args__ = (
        Index("ix_meeting_actions_due_done", "due", "done"),
        Index("ix_meeting_actions_user_done", "assigned_user_id", "done"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(200))
    assigned_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    due: Mapped[dt.date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
