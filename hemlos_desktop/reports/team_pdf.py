"""PDFs of the team area: the case review's agenda and minutes, and the goals figures.

Plain data in, PDF bytes out, in the document's language (sv or da) on the report base. Nothing
from ``services`` or ``storage`` is imported: the service hands over the dataclasses below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus import Flowable, KeepTogether, Spacer

from hemlos_desktop.models.followup import SMALL_CELL_TEXT
from hemlos_desktop.models.goal_defs import GOALS_BY_KEY, GoalFigure
from hemlos_desktop.models.team import (
    AGENDA_REASON_LABELS,
    EVICTION_OUTCOME_LABELS,
    EVICTION_REASON_LABELS,
    RESPONSIBILITY_LABELS,
    AgendaReason,
)
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import pdf_bytes
from hemlos_desktop.reports.summary_data import CaseSummaryData

NO_VALUE = "–"


@dataclass(frozen=True)
class ActionLine:
    text: str
    assigned: str
    due: dt.date
    done: bool


@dataclass(frozen=True)
class ItemLine:
    position: int
    client: str  # the client's name, or "" for a topic of its own
    reason: AgendaReason
    topic: str
    decision: str
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True)
class MeetingDoc:
    team_name: str
    meeting_date: dt.date
    title: str
    participants: tuple[str, ...]
    items: tuple[ItemLine, ...]


def _context(
    language: str, municipality: str, printed_by: str, title: str, printed_at: dt.datetime | None
) -> ReportContext:
    context = ReportContext(
        language=language, municipality=municipality, printed_by=printed_by, title=title
    )
    return replace(context, printed_at=printed_at) if printed_at is not None else context


def meeting_title(language: str, minutes: bool) -> str:
    tr = ReportContext(language=language, municipality="", printed_by="").translator
    return tr.gettext("Case review: minutes") if minutes else tr.gettext("Case review: agenda")


def meeting_pdf_bytes(
    doc: MeetingDoc,
    *,
    minutes: bool,
    language: str,
    municipality: str,
    printed_by: str,
    printed_at: dt.datetime | None = None,
) -> bytes:
    """The agenda (``minutes=False``) or the minutes of a case review meeting as PDF bytes."""
    context = _context(
        language, municipality, printed_by, meeting_title(language, minutes), printed_at
    )
    tr = context.translator
    story: list[Flowable] = [
        fl.title(context, meeting_title(language, minutes)),
        fl.facts_table(
            context,
            [
                (tr.gettext("Team"), doc.team_name),
                (tr.gettext("Date"), context.format_date(doc.meeting_date)),
                *([(tr.gettext("Title"), doc.title)] if doc.title else []),
                (tr.gettext("Participants"), ", ".join(doc.participants) or NO_VALUE),
            ],
        ),
        Spacer(1, 10),
    ]
    if not doc.items:
        story.append(fl.body(context, tr.gettext("The agenda has no items.")))
    for item in doc.items:
        heading = f"{item.position}. {item.client or item.topic}"
        block: list[Flowable] = [
            fl.heading2(context, heading),
            fl.small(context, tr.gettext(AGENDA_REASON_LABELS[item.reason])),
        ]
        if item.client and item.topic:
            block.append(fl.body(context, item.topic))
        if minutes:
            block.append(
                fl.facts_table(context, [(tr.gettext("Decision"), item.decision or NO_VALUE)])
            )
            if item.actions:
                block.append(Spacer(1, 4))
                block.append(
                    fl.data_table(
                        context,
                        [
                            tr.pgettext("meeting", "Action"),
                            tr.gettext("Who"),
                            tr.gettext("Due"),
                            tr.gettext("Done"),
                        ],
                        [
                            [
                                a.text,
                                a.assigned,
                                context.format_date(a.due),
                                tr.gettext("Yes") if a.done else tr.gettext("No"),
                            ]
                            for a in item.actions
                        ],
                        col_widths=(3.2, 1.6, 1.1, 0.7),
                    )
                )
        else:
            block.append(fl.body(context, tr.gettext("Decision:") + " " + "_" * 40))
        block.append(Spacer(1, 8))
        story.append(KeepTogether(block))
    return pdf_bytes(story, context)


def _value(context: ReportContext, value: float | str | None) -> str:
    if value is None:
        return NO_VALUE
    if isinstance(value, str):
        return value
    if value == int(value):
        return context.format_number(int(value))
    return context.translator.format_decimal(value, 1)


def goals_title(language: str) -> str:
    tr = ReportContext(language=language, municipality="", printed_by="").translator
    return tr.gettext("Goals and follow-up figures")


def goals_pdf_bytes(
    figures: Sequence[GoalFigure],
    *,
    language: str,
    municipality: str,
    printed_by: str,
    scope_text: str,
    period_start: dt.date,
    period_end: dt.date,
    printed_at: dt.datetime | None = None,
) -> bytes:
    """The goals with target and figure split by gender, then every definition."""
    context = _context(language, municipality, printed_by, goals_title(language), printed_at)
    tr = context.translator
    period = f"{context.format_date(period_start)} – {context.format_date(period_end)}"
    header = [
        tr.gettext("Goal"),
        tr.gettext("Target"),
        tr.gettext("Women"),
        tr.gettext("Men"),
        tr.gettext("Other"),
        tr.gettext("Not stated"),
        tr.gettext("Total"),
    ]
    rows = []
    for figure in figures:
        goal = GOALS_BY_KEY[figure.key]
        values = figure.shown_by_column()
        rows.append(
            [
                tr.gettext(goal.title),
                tr.gettext(goal.target),
                *(
                    _value(context, values[c])
                    for c in ("woman", "man", "other", "not_stated", "total")
                ),
            ]
        )
    story: list[Flowable] = [
        fl.title(context, goals_title(language)),
        fl.facts_table(
            context, [(tr.gettext("Period"), period), (tr.gettext("Clients"), scope_text)]
        ),
        Spacer(1, 10),
        fl.data_table(context, header, rows, col_widths=(3.4, 1.2, 0.9, 0.9, 0.9, 1.0, 0.9)),
        fl.small(
            context,
            tr.gettext(
                "{small}: fewer than five people. A median about so few people is not shown."
            ).format(small=SMALL_CELL_TEXT),
        ),
        Spacer(1, 12),
        fl.heading1(context, tr.gettext("Definitions")),
    ]
    for figure in figures:
        goal = GOALS_BY_KEY[figure.key]
        story.append(
            KeepTogether(
                [
                    fl.heading2(context, f"{tr.gettext(goal.title)} ({tr.gettext(goal.source)})"),
                    fl.body(context, tr.gettext(goal.definition)),
                ]
            )
        )
    return pdf_bytes(story, context)


def team_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    """Case summary: who does what now, and the client's eviction cases."""
    team = data.team
    if team is None or not (team.responsibilities or team.evictions):
        return []
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Who does what"))]
    if team.responsibilities:
        parts.append(
            fl.data_table(
                ctx,
                [tr.gettext("Role"), tr.gettext("Who"), tr.gettext("Since")],
                [
                    [tr.gettext(RESPONSIBILITY_LABELS[r.role]), r.who, ctx.format_date(r.since)]
                    for r in team.responsibilities
                ],
                col_widths=(2.4, 3, 1.4),
            )
        )
    if team.evictions:
        parts.append(Spacer(1, 6))
        parts.append(fl.heading2(ctx, tr.gettext("Eviction cases")))
        parts.append(
            fl.data_table(
                ctx,
                [
                    tr.gettext("Notice"),
                    tr.gettext("Landlord"),
                    tr.gettext("Reason"),
                    tr.gettext("Outcome"),
                    tr.gettext("Next date"),
                ],
                [
                    [
                        ctx.format_date(e.notice_date),
                        e.landlord,
                        tr.gettext(EVICTION_REASON_LABELS[e.reason]),
                        (
                            f"{tr.gettext(EVICTION_OUTCOME_LABELS[e.outcome])} "
                            f"{ctx.format_date(e.outcome_date)}"
                            if e.outcome
                            else tr.gettext("Open")
                        ),
                        ctx.format_date(e.next_date),
                    ]
                    for e in team.evictions
                ],
                col_widths=(1.3, 2.4, 1.6, 2, 1.3),
            )
        )
    return parts
