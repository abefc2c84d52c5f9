"""Writing the follow-up report PDF (figures only) for a team, a caseworker or the register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.people import Team, User
from hemlos_desktop.models.validation import FieldError, ValidationFailed
from hemlos_desktop.services import assessments, audit, instruments
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.assessments import FollowupScope
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.files import atomic_binary

AUDIT_DETAIL = "follow-up report"


def _scope_name(db: Database, scope: FollowupScope, scope_id: int | None) -> str:
    if scope is FollowupScope.ALL:
        return ""
    name: str | None = None
    with db.read() as session:
        if scope_id is not None and scope is FollowupScope.TEAM:
            team = session.get(Team, scope_id)
            name = team.name if team is not None else None
        elif scope_id is not None:
            user = session.get(User, scope_id)
            name = user.display_name if user is not None else None
    if name is None:
        raise ValidationFailed([FieldError("scope", _("Choose a team or a caseworker."))])
    return name


def followup_pdf_bytes(
    db: Database,
    actor: Actor,
    *,
    period_start: dt.date,
    period_end: dt.date,
    scope: FollowupScope = FollowupScope.ALL,
    scope_id: int | None = None,
    language: str,
    municipality: str = "",
    printed_at: dt.datetime | None = None,
) -> bytes:
    """The follow-up report for the scope and period as PDF bytes in ``language`` (not logged)."""
    from hemlos_desktop.reports.followup_report import followup_report_bytes, scope_description

    name = _scope_name(db, scope, scope_id)
    figures = assessments.group_followup(
        db,
        actor,
        period_start=period_start,
        period_end=period_end,
        scope=scope,
        scope_id=scope_id,
    )
    instrument = instruments.current_instrument(db, figures.instrument_id)
    return followup_report_bytes(
        instrument,
        figures,
        language=language,
        municipality=municipality,
        printed_by=actor.display_name,
        scope_text=scope_description(language, scope.value, name),
        period_start=period_start,
        period_end=period_end,
        printed_at=printed_at,
    )


def export_followup_pdf(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    period_start: dt.date,
    period_end: dt.date,
    scope: FollowupScope = FollowupScope.ALL,
    scope_id: int | None = None,
    language: str,
    municipality: str = "",
) -> Path:
    """Write the follow-up report PDF to ``path`` atomically and log it as an export.

    The log entry (no client) is written once the file is complete.
    """
    data = followup_pdf_bytes(
        db,
        actor,
        period_start=period_start,
        period_end=period_end,
        scope=scope,
        scope_id=scope_id,
        language=language,
        municipality=municipality,
    )
    with atomic_binary(Path(path)) as handle:
        handle.write(data)
    audit.record_written_file(db, actor, Path(path), AuditAction.EXPORT, detail=AUDIT_DETAIL)
    return Path(path)
