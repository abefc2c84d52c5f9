"""The case summary PDF: client details, housing over time, contacts and (optionally) the journal.

The document is built from plain data (:class:`CaseSummaryData`) in the language of its
:class:`~hemlos_desktop.reports.context.ReportContext`, never in the UI language. Sections are
separate builder functions (:data:`SECTIONS`); a section whose data is missing adds nothing, so
the rating and plan sections appear only once their features supply data
(``CaseSummaryData.rating`` / ``.plan``, gathered by ``services.pdf_export``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

from babel import Locale, UnknownLocaleError
from reportlab.platypus import Flowable, Spacer

from hemlos_desktop.i18n import N_, translator_for
from hemlos_desktop.models.client import (
    CLOSURE_REASON_LABELS,
    CONTACT_KIND_LABELS,
    CONTACT_OUTCOME_LABELS,
    GENDER_LABELS,
    JOURNAL_CATEGORY_LABELS,
    STATUS_LABELS,
    TARGET_GROUP_LABELS,
    ClientStatus,
    ClosureReason,
    housing_label_in,
)
from hemlos_desktop.models.durations import duration_text
from hemlos_desktop.models.housing_rules import HOUSING_CODES
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.charts import HousingPeriod, RadarSeries, housing_timeline, radar_chart
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.summary_data import (
    CaseSummaryData,
    SummaryJournalEntry,
)
from hemlos_desktop.reports.team_pdf import team_section

ID_KIND_LABELS: dict[IdKind, str] = {
    IdKind.PERSONNUMMER: N_("Personal identity number"),
    IdKind.SAMORDNINGSNUMMER: N_("Coordination number"),
    IdKind.CPR: N_("CPR number"),
    IdKind.RESERVE: N_("Reserve number"),
    IdKind.NONE: N_("Identity number"),
}
NO_VALUE = "–"


SectionBuilder = Callable[[ReportContext, CaseSummaryData], list[Flowable]]


# --- helpers ---------------------------------------------------------------------------------


def _t(ctx: ReportContext, message: str) -> str:
    return ctx.translator.gettext(message)


def _language_name(ctx: ReportContext, code: str) -> str:
    if not code:
        return NO_VALUE
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(ctx.translator.babel_locale)
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def _duration(ctx: ReportContext, days: int) -> str:
    return duration_text(ctx.translator, days)


def housing_text(ctx: ReportContext, code: int | None) -> str:
    if code is None:
        return ctx.translator.gettext("Not recorded")
    return f"{code} – {housing_label_in(ctx.translator, code)}"


def document_title(ctx: ReportContext) -> str:
    """The document's own title (a case summary, or a document built from its sections)."""
    return ctx.title or _t(ctx, "Case summary")


# --- sections --------------------------------------------------------------------------------


def details_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    client = data.client
    tr = ctx.translator
    born = NO_VALUE
    if client.birth_date is not None:
        born = ctx.format_date(client.birth_date)
        if client.age is not None:
            age = tr.ngettext("{count} year", "{count} years", client.age)
            born = f"{born} ({age.format(count=client.age)})"
    groups = ", ".join(tr.gettext(TARGET_GROUP_LABELS[g]) for g in client.target_groups)
    status = tr.gettext(STATUS_LABELS[client.status])
    if client.status is ClientStatus.CLOSED and client.closed_on is not None:
        status = tr.gettext("Closed on {date}").format(date=ctx.format_date(client.closed_on))
        reason = client.closure_note
        if client.closure_reason is not None and client.closure_reason is not ClosureReason.OTHER:
            reason = tr.gettext(CLOSURE_REASON_LABELS[client.closure_reason])
        if reason:
            status = f"{status} ({reason})"
    protected = (
        tr.gettext("Yes – protected identity, handle with care")
        if client.protected_identity
        else tr.gettext("No")
    )
    facts: list[tuple[str, fl.Cell]] = [
        (tr.gettext("Client"), client.display_name or NO_VALUE),
        (
            tr.gettext(ID_KIND_LABELS[client.id_kind]),
            client.id_text or tr.gettext("Not identified"),
        ),
        (tr.gettext("Date of birth"), born),
        (tr.gettext("Gender"), tr.gettext(GENDER_LABELS[client.gender])),
        (tr.gettext("Language"), _language_name(ctx, client.language)),
        (tr.gettext("Target groups"), groups or NO_VALUE),
        (tr.gettext("Responsible caseworker"), client.responsible or NO_VALUE),
        (tr.gettext("Team"), client.team or NO_VALUE),
        (tr.gettext("Status"), status),
        (tr.gettext("Protected identity"), protected),
    ]
    parts: list[Flowable] = [fl.title(ctx, f"{document_title(ctx)} – {client.display_name}")]
    if client.protected_identity:
        parts.append(
            fl.body(
                ctx,
                tr.gettext(
                    "This person has a protected identity. Do not pass on the address or "
                    "other details that could show where the person is."
                ),
            )
        )
    parts.append(fl.facts_table(ctx, facts))
    return parts


def housing_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    tr = ctx.translator
    client = data.client
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Housing"))]
    current = housing_text(ctx, client.housing_code)
    if client.status is ClientStatus.CLOSED and client.housing_code is not None:
        # As on screen: the situation when the case was closed, not followed after it.
        current = tr.gettext("{housing} (when the case was closed)").format(housing=current)
    elif client.housing_since is not None:
        since = tr.gettext("since {date}").format(date=ctx.format_date(client.housing_since))
        if client.housing_days is not None:
            since = f"{since} ({_duration(ctx, client.housing_days)})"
        current = f"{current}, {since}"
    parts.append(fl.facts_table(ctx, [(tr.gettext("Current housing"), current)]))
    parts.append(Spacer(1, fl.styles_of(ctx).base_size * 0.6))
    if not data.periods:
        parts.append(fl.body(ctx, tr.gettext("No housing periods recorded.")))
        return parts
    labels = {code: housing_label_in(ctx.translator, code) for code in HOUSING_CODES}
    parts.append(
        housing_timeline(
            ctx,
            [HousingPeriod(p.start, p.end, p.code) for p in data.periods],
            code_labels=labels,
        )
    )
    parts.append(Spacer(1, fl.styles_of(ctx).base_size * 0.8))
    rows: list[Sequence[fl.Cell]] = [
        [
            ctx.format_date(p.start),
            ctx.format_date(p.end) if p.end is not None else tr.gettext("ongoing"),
            housing_text(ctx, p.code),
            p.place,
        ]
        for p in data.periods
    ]
    parts.append(
        fl.data_table(
            ctx,
            [
                tr.gettext("From"),
                tr.gettext("To"),
                tr.gettext("Housing situation"),
                tr.gettext("Place"),
            ],
            rows,
            col_widths=(2, 2, 5, 3),
        )
    )
    return parts


def rating_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    """The latest independence rating as a table and a radar chart with the previous one."""
    rating = data.rating
    if rating is None:
        return []
    tr = ctx.translator
    latest = tr.gettext("Latest ({date})").format(date=ctx.format_date(rating.latest_date))
    header = [tr.gettext("Area")]
    previous = ""
    if rating.previous_date is not None:
        previous = tr.gettext("Previous ({date})").format(
            date=ctx.format_date(rating.previous_date)
        )
        header.append(previous)
    header.append(latest)

    def level(value: int | None) -> str:
        return NO_VALUE if value is None else ctx.format_number(value)

    rows: list[Sequence[fl.Cell]] = []
    for area in rating.areas:
        row = [area.label]
        if rating.previous_date is not None:
            row.append(level(area.previous))
        row.append(level(area.latest))
        rows.append(row)
    series = []
    if rating.previous_date is not None:
        series.append(RadarSeries(previous, [a.previous for a in rating.areas]))
    series.append(RadarSeries(latest, [a.latest for a in rating.areas]))
    parts: list[Flowable] = [
        fl.heading1(ctx, rating.instrument or tr.gettext("Independence rating")),
        fl.data_table(ctx, header, rows, col_widths=(4, 2, 2)[: len(header)]),
        Spacer(1, fl.styles_of(ctx).base_size * 0.8),
        radar_chart(ctx, [a.label for a in rating.areas], series, scale=rating.scale),
    ]
    if rating.qualification:
        parts.append(fl.body(ctx, rating.qualification))
    return parts


def plan_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    """The active plan's goals and their actions with status."""
    plan = data.plan
    if plan is None:
        return []
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, plan.title or tr.gettext("Plan"))]
    if plan.valid_from is not None or plan.valid_to is not None:
        parts.append(
            fl.body(
                ctx,
                tr.gettext("Valid {start} – {end}").format(
                    start=ctx.format_date(plan.valid_from), end=ctx.format_date(plan.valid_to)
                ),
            )
        )
    for number, goal in enumerate(plan.goals, start=1):
        heading = tr.gettext("Goal {number}: {text}").format(number=number, text=goal.text)
        parts.append(fl.heading2(ctx, f"{heading} ({goal.status})" if goal.status else heading))
        if not goal.actions:
            continue
        parts.append(
            fl.data_table(
                ctx,
                [
                    tr.gettext("Action"),
                    tr.gettext("Responsible"),
                    tr.gettext("Due"),
                    tr.gettext("Status"),
                ],
                [[a.text, a.responsible, ctx.format_date(a.due), a.status] for a in goal.actions],
                col_widths=(5, 2, 2, 2),
            )
        )
    return parts


def contacts_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Outreach contacts"))]
    if not data.contacts:
        parts.append(fl.body(ctx, tr.gettext("No outreach contacts recorded.")))
        return parts
    if data.contacts_total > len(data.contacts):
        parts.append(
            fl.small(
                ctx,
                tr.gettext("The latest {shown} of {total} contacts.").format(
                    shown=len(data.contacts), total=data.contacts_total
                ),
            )
        )
    rows: list[Sequence[fl.Cell]] = [
        [
            ctx.format_date(c.date),
            tr.gettext(CONTACT_KIND_LABELS[c.kind]),
            c.place,
            tr.gettext(CONTACT_OUTCOME_LABELS[c.outcome]),
            c.recorded_by,
        ]
        for c in data.contacts
    ]
    parts.append(
        fl.data_table(
            ctx,
            [
                tr.gettext("Date"),
                tr.gettext("Kind of contact"),
                tr.gettext("Place"),
                tr.gettext("Outcome"),
                tr.gettext("Recorded by"),
            ],
            rows,
            col_widths=(2, 2.5, 3, 2.5, 2.5),
        )
    )
    return parts


def _journal_text(ctx: ReportContext, entry: SummaryJournalEntry) -> str:
    tr = ctx.translator
    lines: list[str] = []
    if entry.corrects_id is not None:
        if entry.corrects_date is not None:
            lines.append(
                tr.gettext("Correction of the entry of {date}:").format(
                    date=ctx.format_date(entry.corrects_date)
                )
            )
        else:
            lines.append(tr.gettext("Correction of an earlier entry:"))
    lines.append(entry.text)
    if entry.corrected_by_ids:
        lines.append(tr.gettext("(Corrected by a later entry.)"))
    return "\n".join(lines)


def journal_section(ctx: ReportContext, data: CaseSummaryData) -> list[Flowable]:
    journal = data.journal
    if journal is None:
        return []
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Journal"))]
    period = tr.gettext("Signed entries from {start} to {end}.").format(
        start=ctx.format_date(journal.start) if journal.start else NO_VALUE,
        end=ctx.format_date(journal.end) if journal.end else NO_VALUE,
    )
    parts.append(fl.small(ctx, period))
    if not journal.entries:
        parts.append(fl.body(ctx, tr.gettext("No signed journal entries in this period.")))
        return parts
    rows: list[Sequence[fl.Cell]] = [
        [
            ctx.format_date(e.date),
            tr.gettext(JOURNAL_CATEGORY_LABELS[e.category]),
            _journal_text(ctx, e),
            e.author,
        ]
        for e in journal.entries
    ]
    parts.append(
        fl.data_table(
            ctx,
            [
                tr.gettext("Date"),
                tr.gettext("Category"),
                tr.gettext("Entry"),
                tr.gettext("Signed by"),
            ],
            rows,
            col_widths=(2, 2.2, 8, 2.4),
        )
    )
    return parts


# The order of the document; each builder returns [] when its data is missing.
SECTIONS: tuple[SectionBuilder, ...] = (
    details_section,
    housing_section,
    rating_section,
    plan_section,
    team_section,
    contacts_section,
    journal_section,
)


def case_summary_story(
    ctx: ReportContext,
    data: CaseSummaryData,
    *,
    sections: Sequence[SectionBuilder] = SECTIONS,
) -> list[Flowable]:
    """The flowables of a case summary (render with ``reports.document.pdf_bytes``)."""
    story: list[Flowable] = []
    for build in sections:
        story.extend(build(ctx, data))
    return story


def summary_context(
    language: str,
    *,
    municipality: str,
    printed_by: str,
    show_full_numbers: bool = False,
    printed_at: dt.datetime | None = None,
    logo: str = "",
) -> ReportContext:
    """The context of a case summary: title, subject and keywords in ``language``."""
    tr = translator_for(language)
    ctx = ReportContext(
        language=language,
        municipality=municipality,
        logo=logo,
        printed_by=printed_by,
        show_full_numbers=show_full_numbers,
        title=tr.gettext("Case summary"),
        subject=tr.gettext("Case summary of one client"),
    )
    return ctx if printed_at is None else replace(ctx, printed_at=printed_at)
