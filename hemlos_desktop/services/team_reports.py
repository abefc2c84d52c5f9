"""Printing the team's documents: a case review's agenda or minutes and the goals figures.

Each export writes the file first and then one access-log entry in the same transaction (the
entry commits only if the file exists); printed minutes name clients, so the entry counts them.
"""

from __future__ import annotations

from pathlib import Path

from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.goal_defs import GoalFigure
from hemlos_desktop.reports.team_pdf import ActionLine, ItemLine, MeetingDoc
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.goals import GoalScope, export_goals
from hemlos_desktop.services.team_meetings import MeetingDetail, meeting_detail
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.files import atomic_binary


def meeting_doc(detail: MeetingDetail) -> MeetingDoc:
    return MeetingDoc(
        team_name=detail.team_name,
        meeting_date=detail.meeting_date,
        title=detail.title,
        participants=detail.participants,
        items=tuple(
            ItemLine(
                position=item.position,
                client=item.client_name,
                reason=item.reason,
                topic=item.topic,
                decision=item.decision,
                actions=tuple(
                    ActionLine(a.text, a.assigned_name, a.due, a.done) for a in item.actions
                ),
            )
            for item in detail.items
        ),
    )


def export_meeting_pdf(
    db: Database,
    actor: Actor,
    meeting_id: int,
    path: Path,
    *,
    minutes: bool,
    language: str,
    municipality: str = "",
) -> Path:
    """Write the agenda or the minutes as PDF in ``language`` and log the print once."""
    from hemlos_desktop.reports.team_pdf import meeting_pdf_bytes

    detail = meeting_detail(db, actor, meeting_id)
    data = meeting_pdf_bytes(
        meeting_doc(detail),
        minutes=minutes,
        language=language,
        municipality=municipality,
        printed_by=actor.display_name,
    )
    clients = sum(1 for item in detail.items if item.client_id is not None)
    what = "minutes" if minutes else "agenda"
    with db.begin() as session:
        with atomic_binary(Path(path)) as handle:
            handle.write(data)
        audit.record(session, actor, AuditAction.PRINT, detail=f"meeting {what}: {clients} clients")
    return Path(path)


def export_goals_file(
    db: Database,
    actor: Actor,
    path: Path,
    scope: GoalScope,
    *,
    language: str,
    scope_text: str,
    municipality: str = "",
) -> tuple[GoalFigure, ...]:
    """The goals as CSV, XLSX or (in sv or da) PDF."""

    def pdf(figures: tuple[GoalFigure, ...]) -> bytes:
        from hemlos_desktop.reports.team_pdf import goals_pdf_bytes

        return goals_pdf_bytes(
            figures,
            language=language if language in ("sv", "da") else "sv",
            municipality=municipality,
            printed_by=actor.display_name,
            scope_text=scope_text,
            period_start=scope.start,
            period_end=scope.end,
        )

    return export_goals(db, actor, path, scope, lang=language, pdf=pdf)


__all__ = ["export_goals_file", "export_meeting_pdf", "meeting_doc"]
