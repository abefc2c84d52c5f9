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
from hemlos_desktop.models.sync import SyncChange, SyncFieldClock

__all__ = [
    "AreaRatingRow",
    "Assessment",
    "AuditEntry",
    "PurgedClient",
    "Base",
    "Client",
    "ClientTargetGroup",
    "DatabaseInfo",
    "HousingPeriod",
    "InstrumentVersion",
    "JournalEntry",
    "OutreachContact",
    "Plan",
    "PlanDueItem",
    "PlanVersion",
    "SyncChange",
    "SyncFieldClock",
    "Team",
    "TeamMember",
    "User",
]
