"""The record extract (registerutdrag / indsigt): everything held about one client.

Built from the case summary's sections, with every outreach contact, the whole signed journal,
and the access log of the record (who read or changed it, when), in Swedish or Danish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.platypus import Flowable

from hemlos_desktop.i18n import translator_for
from hemlos_desktop.models.audit import AUDIT_ACTION_LABELS, AuditAction
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.case_summary import (
    CaseSummaryData,
    contacts_section,
    details_section,
    housing_section,
    journal_section,
    plan_section,
    rating_section,
)
from hemlos_desktop.reports.context import ReportContext


@dataclass(frozen=True)
class AccessRow:
    at: dt.datetime  # UTC
    user: str
    action: AuditAction


@dataclass(frozen=True)
class RecordExtractData:
    summary: CaseSummaryData
    access: tuple[AccessRow, ...]
    made_on: dt.date


def _intro(ctx: ReportContext, data: RecordExtractData) -> list[Flowable]:
    tr = ctx.translator
    return [
        fl.body(
            ctx,
            tr.gettext(
                "This extract shows all information that the social services hold about you "
                "in this program on {date}: your details, your housing over time, ratings, "
                "plans, journal entries and outreach contacts, and who has read or changed "
                "your record."
            ).format(date=ctx.format_date(data.made_on, "long")),
        ),
    ]


def access_section(ctx: ReportContext, data: RecordExtractData) -> list[Flowable]:
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Who has read or changed the record"))]
    if not data.access:
        parts.append(fl.body(ctx, tr.gettext("No access has been logged.")))
        return parts
    rows: list[Sequence[fl.Cell]] = [
        [
            ctx.translator.format_datetime(row.at.replace(tzinfo=dt.UTC).astimezone(), "short"),
            row.user,
            tr.gettext(AUDIT_ACTION_LABELS[row.action]),
        ]
        for row in data.access
    ]
    parts.append(
        fl.data_table(
            ctx,
            [tr.gettext("Time"), tr.gettext("User"), tr.gettext("What was done")],
            rows,
            col_widths=(3, 3, 5),
        )
    )
    return parts


def record_extract_story(ctx: ReportContext, data: RecordExtractData) -> list[Flowable]:
    summary = data.summary
    details = details_section(ctx, summary)
    # The title ("Record extract – name") first, then what the extract is, then the details.
    story: list[Flowable] = [*details[:1], *_intro(ctx, data), *details[1:]]
    for build in (
        housing_section,
        rating_section,
        plan_section,
        contacts_section,
        journal_section,
    ):
        story.extend(build(ctx, summary))
    story.extend(access_section(ctx, data))
    return story


def extract_context(
    language: str,
    *,
    municipality: str,
    printed_by: str,
    show_full_numbers: bool = False,
    printed_at: dt.datetime | None = None,
) -> ReportContext:
    tr = translator_for(language)
    ctx = ReportContext(
        language=language,
        municipality=municipality,
        printed_by=printed_by,
        show_full_numbers=show_full_numbers,
        title=tr.gettext("Record extract"),
        subject=tr.gettext("Everything held about one client"),
    )
    return ctx if printed_at is None else replace(ctx, printed_at=printed_at)
