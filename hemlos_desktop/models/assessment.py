"""Independence ratings stored: instrument versions used, assessments and their area ratings.

An instrument version is stored once, as the TOML text it was validated from, and never changed;
every assessment points at the version it was rated with, so history always shows the areas and
level texts the rater saw. A signed assessment is final; a correction is a new assessment whose
``corrects_id`` names the one it corrects, both kept.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hemlos_desktop.models.base import Base, TimestampMixin, UidMixin, utcnow


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class InstrumentVersion(UidMixin, Base):
    """One version of one instrument, as the validated TOML text it was read from."""

    __tablename__ = "instrument_versions"
    __table_args__ = (UniqueConstraint("instrument_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)
    # "shipped" for the program's own files, else the imported file's name.
    source_name: Mapped[str] = mapped_column(String(200), default="")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Assessment(UidMixin, TimestampMixin, Base):
    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_client_rated", "client_id", "rated_on"),
        CheckConstraint("status IN ('draft', 'signed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    instrument_version_id: Mapped[int] = mapped_column(
        ForeignKey("instrument_versions.id", ondelete="RESTRICT"), index=True
    )
    rated_on: Mapped[dt.date] = mapped_column(Date)
    rater_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    client_took_part: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(12), default=AssessmentStatus.DRAFT.value)
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), index=True
    )


class AreaRatingRow(Base):
    """One area of one assessment: a level, or NULL with the reason it was not assessed."""

    __tablename__ = "assessment_areas"
    __table_args__ = (
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 99", name="level_range"),
    )

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    area_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[int | None] = mapped_column(Integer)
    not_assessed_reason: Mapped[str] = mapped_column(String(400), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
