"""SQLAlchemy mapped classes and pure validation rules. No Qt here.

Importing this package registers every table on ``Base.metadata`` (Alembic compares against it).
"""

from hemlos_desktop.models.assessment import AreaRatingRow, Assessment, InstrumentVersion
from hemlos_desktop.models.audit import AuditEntry, PurgedClient
from hemlos_desktop.models.base import Base, DatabaseInfo
from hemlos_desktop.models.client import (
    Client,
    ClientTargetGroup,
    HousingPeriod,
    JournalEntry,
    OutreachContact,
)
from hemlos_desktop.models.people import Team, TeamMember, User
from hemlos_desktop.models.plan import Plan, PlanDueItem, PlanVersion
from hemlos_desktop.models.server_login import ServerLogin
from hemlos_desktop.models.sync import SyncChange, SyncFieldClock
from hemlos_desktop.models.sync_state import (
    SyncConflict,
    SyncFieldBase,
    SyncFieldState,
    SyncLogEntry,
)
from hemlos_desktop.models.team import (
    AgendaItem,
    EvictionCase,
    MeetingAction,
    MeetingParticipant,
    MemberCompetence,
    Partner,
    Release,
    Responsibility,
    ReviewMeeting,
    Unit,
)

__all__ = [
    "AgendaItem",
    "AreaRatingRow",
    "Assessment",
    "AuditEntry",
    "PurgedClient",
    "Base",
    "Client",
    "ClientTargetGroup",
    "DatabaseInfo",
    "EvictionCase",
    "HousingPeriod",
    "InstrumentVersion",
    "JournalEntry",
    "MeetingAction",
    "MeetingParticipant",
    "MemberCompetence",
    "OutreachContact",
    "Partner",
    "SyncConflict",
    "SyncFieldBase",
    "SyncFieldState",
    "SyncLogEntry",
    "Plan",
    "PlanDueItem",
    "PlanVersion",
    "Release",
    "Responsibility",
    "ReviewMeeting",
    "ServerLogin",
    "SyncChange",
    "SyncFieldClock",
    "Team",
    "TeamMember",
    "Unit",
    "User",
]
