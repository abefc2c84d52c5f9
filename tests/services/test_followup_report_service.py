"""Writing the follow-up report PDF: scope, the export log entry, nothing logged on failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from clientworld import World
from pypdf import PdfReader
from sqlalchemy import select

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.audit import AuditAction, AuditEntry
from hemlos_desktop.models.client import Gender
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.validation import ValidationFailed
from hemlos_desktop.services import assessments
from hemlos_desktop.services.assessments import FollowupScope
from hemlos_desktop.services.followup_report import AUDIT_DETAIL, export_followup_pdf

KEYS = ("housing", "income", "substance_use", "daily_living", "occupation")
PERIOD = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31)}


def _rate(world: World, client: int, day: dt.date, housing: int) -> None:
    levels = (housing, 3, 3, 3, 3)
    draft = RatingDraft(
        SODERMALM_ID,
        1,
        day,
        True,
        tuple(AreaRating(k, v) for k, v in zip(KEYS, levels, strict=True)),
    )
    assessments.sign_draft(world.db, world.actors["admin"], client, draft)


@pytest.fixture
def rated(world: World) -> World:
    a = world.add("Karin", "Björk", team=world.team_a, gender=Gender.WOMAN)
    b = world.add("Sven", "Ek", team=world.team_a, gender=Gender.MAN)
    _rate(world, a, dt.date(2026, 1, 10), 2)
    _rate(world, a, dt.date(2026, 6, 10), 4)
    _rate(world, b, dt.date(2026, 2, 10), 3)
    return world


def _exports(world: World) -> list[tuple[str, int | None]]:
    with world.db.read() as s:
        return [
            (e.detail, e.client_id)
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORT.value)
            )
        ]


def test_export_writes_the_report_and_logs_it(rated: World, tmp_path: Path) -> None:
    out = export_followup_pdf(
        rated.db,
        rated.actors["admin"],
        tmp_path / "f.pdf",
        scope=FollowupScope.TEAM,
        scope_id=rated.team_a,
        language="sv",
        municipality="Malmö stad",
        **PERIOD,  # type: ignore[arg-type]
    )
    assert out == tmp_path / "f.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Team Team A" in text and "Malmö stad" in text
    # Two people: the housing mean at first, (2 + 3) / 2, is withheld in the tables and the
    # chart alike, which write "<5" instead.
    assert "2,5" not in text and "<5" in text
    # Figures only: no client names.
    assert "Björk" not in text and "Karin" not in text
    assert _exports(rated) == [(AUDIT_DETAIL, None)]


def test_caseworker_scope_names_the_caseworker(rated: World, tmp_path: Path) -> None:
    export_followup_pdf(
        rated.db,
        rated.actors["admin"],
        tmp_path / "f.pdf",
        scope=FollowupScope.CASEWORKER,
        scope_id=rated.actors["bo"].user_id,
        language="da",
        **PERIOD,  # type: ignore[arg-type]
    )
    text = " ".join(PdfReader(tmp_path / "f.pdf").pages[0].extract_text().split())
    assert "Borgere hos sagsbehandler Bo Worker" in text


def test_nothing_is_logged_when_the_file_cannot_be_written(rated: World, tmp_path: Path) -> None:
    blocked = tmp_path / "taken"
    (blocked / "inside").mkdir(parents=True)  # a non-empty folder cannot be replaced by a file
    with pytest.raises((HemlosError, OSError)):
        export_followup_pdf(
            rated.db,
            rated.actors["admin"],
            blocked,
            language="sv",
            **PERIOD,  # type: ignore[arg-type]
        )
    assert _exports(rated) == []
    assert blocked.is_dir()


def test_unknown_team_is_refused(rated: World, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        export_followup_pdf(
            rated.db,
            rated.actors["admin"],
            tmp_path / "f.pdf",
            scope=FollowupScope.TEAM,
            scope_id=9999,
            language="sv",
            **PERIOD,  # type: ignore[arg-type]
        )
    assert not (tmp_path / "f.pdf").exists()
