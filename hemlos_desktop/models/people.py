"""Users of the program and the teams they work in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.i18n import N_
from hemlos_desktop.models.base import Base, TimestampMixin, UidMixin


class Role(StrEnum):
    ADMIN = "admin"
    TEAM_LEAD = "team_lead"
    CASEWORKER = "caseworker"
    READ_ONLY = "read_only"  # auditor: reads, changes nothing


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.TEAM_LEAD: N_("Team lead"),
    Role.CASEWORKER: N_("Caseworker"),
    Role.READ_ONLY: N_("Read only"),
}


class User(UidMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default=Role.CASEWORKER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class Team(UidMixin, TimestampMixin, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    municipality: Mapped[str] = mapped_column(String(120), default="", server_default="")
    # The team board marks a member whose active clients exceed this number.
    caseload_ceiling: Mapped[int] = mapped_column(Integer, default=25, server_default="25")
    # A client nobody has contacted for this many days is proposed for the case review.
    no_contact_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The member's unit and role in this team (see models.team).
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_units.id", ondelete="SET NULL"), default=None
    )
    team_role: Mapped[str] = mapped_column(
        String(20), default="caseworker", server_default="caseworker"
    )
