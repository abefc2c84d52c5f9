"""Users of the program and the teams they work in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String
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


class TeamMember(Base):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
