"""The follow-up report PDF: the group follow-up figures of the independence ratings.

Figures only, never a client: for a team, a caseworker or the whole register in a period, per
rating area the number assessed and followed up, the mean level at the first and the latest
rating, the mean change and the moves into and out of the qualifying range, each in total and
split by gender; then the instrument's whole qualification rule. A bar chart compares the mean
level at the first and the latest rating per area. Every label is in the document's language
(sv or da), independent of the UI language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from reportlab.platypus import Flowable, KeepTogether, Spacer

from hemlos_desktop.i18n import Translator
from hemlos_desktop.models.client import CLOSURE_REASON_LABELS, ClosureReason
from hemlos_desktop.models.followup import (
    GROUP_LABELS,
    GROUPS,
    TOTAL,
    AreaFigures,
    FollowupFigures,
    shown_count,
    shown_mean,
)
from hemlos_desktop.models.instrument import Instrument
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.bar_chart import BarSeries, grouped_bar_chart
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import pdf_bytes

NO_VALUE = "–"
# Relative column widths: the figure's name, then one column per group.
COLUMN_WIDTHS: tuple[float, ...] = (2.6, 1.0, 1.0, 1.0, 1.0, 1.15)


def _mean(tr: Translator, value: float | None) -> str:
    return NO_VALUE if value is None else tr.format_decimal(value, 1)


def _change(tr: Translator, value: float | None) -> str:
    """A mean change with its sign: '+0,5', '−0,3', '0,0'."""
    if value is None:
        return NO_VALUE
    text = tr.format_decimal(abs(value), 1)
    if round(value, 1) > 0:
        return "+" + text
    if round(value, 1) < 0:
        return "\u2212" + text
    return text


def _count(tr: Translator, value: int) -> str:
    shown = shown_count(value)
    return shown if isinstance(shown, str) else tr.format_number(shown)


def _group_header(tr: Translator, first: str) -> list[str]:
    return [first, *(tr.gettext(GROUP_LABELS[group]) for group in GROUPS)]


def _area_rows(tr: Translator, area: AreaFigures) -> list[list[str]]:
    groups = [area.groups[group] for group in GROUPS]
    return [
        [tr.gettext("Assessed"), *(_count(tr, g.assessed) for g in groups)],
        [tr.gettext("Followed up"), *(_count(tr, g.followed_up) for g in groups)],
        [
            tr.gettext("Mean at first"),
            *(_mean(tr, shown_mean(g.first_mean, g.assessed)) for g in groups),
        ],
        [
            tr.gettext("Mean at latest"),
            *(_mean(tr, shown_mean(g.latest_mean, g.assessed)) for g in groups),
        ],
        [
            tr.gettext("Mean change"),
            *(_change(tr, shown_mean(g.mean_change, g.followed_up)) for g in groups),
        ],
        [tr.gettext("Moved into qualification"), *(_count(tr, g.moved_into) for g in groups)],
        [tr.gettext("Moved out of qualification"), *(_count(tr, g.moved_out) for g in groups)],
    ]


def _qualification_rows(tr: Translator, figures: FollowupFigures) -> list[list[str]]:
    groups = [figures.qualification[group] for group in GROUPS]
    return [
        [tr.gettext("Clients rated"), *(_count(tr, q.clients) for q in groups)],
        [tr.gettext("Followed up"), *(_count(tr, q.followed_up) for q in groups)],
        [tr.gettext("Qualifying at first"), *(_count(tr, q.qualified_first) for q in groups)],
        [tr.gettext("Qualifying at latest"), *(_count(tr, q.qualified_latest) for q in groups)],
        [tr.gettext("Moved into qualification"), *(_count(tr, q.moved_into) for q in groups)],
        [tr.gettext("Moved out of qualification"), *(_count(tr, q.moved_out) for q in groups)],
    ]


def _closure_rows(tr: Translator, figures: FollowupFigures) -> list[list[str]]:
    rows: list[list[str]] = []
    for reason in ClosureReason:
        counts = figures.closures.get(reason.value)
        if counts is None:
            continue
        label = tr.gettext(CLOSURE_REASON_LABELS[reason])
        rows.append([label, *(_count(tr, counts.get(group, 0)) for group in GROUPS)])
    total = {group: sum(row.get(group, 0) for row in figures.closures.values()) for group in GROUPS}
    rows.append([tr.gettext("All reasons"), *(_count(tr, total[group]) for group in GROUPS)])
    return rows


def _closures(context: ReportContext, figures: FollowupFigures) -> list[Flowable]:
    """Cases closed in the period per reason and gender (counts of 1-4 shown as "<5")."""
    if not figures.closures:
        return []
    tr = context.translator
    return [
        KeepTogether(
            [
                fl.heading1(context, tr.gettext("Cases closed in the period")),
                fl.body(
                    context,
                    tr.gettext(
                        "Cases whose closure is dated within the period, by the reason given "
                        "when the case was closed. A count of one to four people is shown as <5."
                    ),
                ),
                fl.data_table(
                    context,
                    _group_header(tr, tr.gettext("Reason")),
                    _closure_rows(tr, figures),
                    col_widths=COLUMN_WIDTHS,
                ),
            ]
        )
    ]


def _explanation(context: ReportContext, instrument: Instrument) -> list[Flowable]:
    tr = context.translator
    limit = tr.format_number(instrument.rule.qualify_max_level)
    items = [
        tr.gettext(
            "Only signed ratings dated within the period count; a corrected rating counts "
            "in its corrected form."
        ),
        tr.gettext(
            "Assessed: clients with at least one rating of the area in the period. "
            "Followed up: clients rated at least twice in the area."
        ),
        tr.gettext(
            "Mean at first and at latest: the mean level of the earliest and the latest rating "
            "in the period (from {lowest} to {highest}; a higher level means more independent)."
        ).format(
            lowest=tr.format_number(instrument.lowest),
            highest=tr.format_number(instrument.highest),
        ),
        tr.gettext(
            "Mean change: the mean of the latest minus the first level of the clients "
            "followed up; a positive change means more independent."
        ),
        tr.gettext(
            "Moved into qualification: followed-up clients whose first level was above {limit} "
            "and whose latest is {limit} or below; moved out of it: the other way round."
        ).format(limit=limit),
        tr.gettext(
            "The figures contain no personal data. Small groups can still point to single "
            "persons: share the report with care."
        ),
    ]
    return [
        fl.heading2(context, tr.gettext("What the figures mean")),
        fl.bullet_list(context, items),
    ]


def followup_story(
    context: ReportContext,
    instrument: Instrument,
    figures: FollowupFigures,
    *,
    scope_text: str,
) -> list[Flowable]:
    """The flowables of the report, in the context's language."""
    tr = context.translator
    lang = context.language
    total = figures.qualification[TOTAL]
    period = tr.gettext("{start} – {end}").format(
        start=context.format_date(figures.period_start),
        end=context.format_date(figures.period_end),
    )
    story: list[Flowable] = [
        fl.title(context, tr.gettext("Follow-up of independence ratings")),
        fl.facts_table(
            context,
            [
                (tr.gettext("Instrument"), instrument.label(lang)),
                (tr.gettext("Covers"), scope_text),
                (tr.gettext("Period"), period),
                (tr.gettext("Clients rated in the period"), _count(tr, total.clients)),
                (tr.gettext("Clients followed up"), _count(tr, total.followed_up)),
            ],
        ),
        Spacer(1, 6),
        *_explanation(context, instrument),
        Spacer(1, 6),
    ]
    names = [instrument.area_name(area.area_key, lang) for area in figures.areas]
    firsts = [area.groups[TOTAL].first_mean for area in figures.areas]
    latests = [area.groups[TOTAL].latest_mean for area in figures.areas]
    chart = grouped_bar_chart(
        context,
        names,
        [
            BarSeries(tr.gettext("Mean at first rating"), firsts),
            BarSeries(tr.gettext("Mean at latest rating"), latests),
        ],
        value_title=tr.gettext("Mean level, all clients"),
        decimals=1,
    )
    story.append(
        KeepTogether([fl.heading1(context, tr.gettext("Mean level per area")), chart, Spacer(1, 4)])
    )
    for index, (area, name) in enumerate(zip(figures.areas, names, strict=True)):
        # The section heading stays with the first area's table.
        heading = [fl.heading1(context, tr.gettext("Figures per area and gender"))]
        story.append(
            KeepTogether(
                [
                    *(heading if index == 0 else []),
                    fl.heading2(context, name),
                    fl.data_table(
                        context,
                        _group_header(tr, tr.gettext("Figure")),
                        _area_rows(tr, area),
                        col_widths=COLUMN_WIDTHS,
                    ),
                    Spacer(1, 6),
                ]
            )
        )
    story.append(
        KeepTogether(
            [
                fl.heading1(context, tr.gettext("Whole rating (qualification rule)")),
                fl.body(
                    context,
                    tr.gettext(
                        "The instrument's whole rule applied to each client's first and latest "
                        "rating in the period (clients rated at least twice)."
                    ),
                ),
                fl.data_table(
                    context,
                    _group_header(tr, tr.gettext("Figure")),
                    _qualification_rows(tr, figures),
                    col_widths=COLUMN_WIDTHS,
                ),
            ]
        )
    )
    story.extend(_closures(context, figures))
    return story


def report_title(language: str) -> str:
    """The document title in ``language`` (also the PDF's metadata title)."""
    return ReportContext(language=language, municipality="", printed_by="").gettext(
        "Follow-up of independence ratings"
    )


def followup_report_bytes(
    instrument: Instrument,
    figures: FollowupFigures,
    *,
    language: str,
    municipality: str,
    printed_by: str,
    scope_text: str,
    period_start: dt.date,
    period_end: dt.date,
    printed_at: dt.datetime | None = None,
    municipality_logo: str = "",
) -> bytes:
    """The follow-up report as PDF bytes in ``language`` ("sv" or "da").

    ``scope_text`` says whom the figures cover, already in ``language`` (see
    :func:`scope_description`). The period shown is ``period_start``..``period_end``.
    """
    if (period_start, period_end) != (figures.period_start, figures.period_end):
        raise ValueError("the period does not match the figures")
    context = ReportContext(
        language=language,
        municipality=municipality,
        logo=municipality_logo,
        printed_by=printed_by,
        title=report_title(language),
        subject=instrument.label(language),
        personal_data=False,  # figures only, no person named
    )
    if printed_at is not None:
        context = replace(context, printed_at=printed_at)
    return pdf_bytes(followup_story(context, instrument, figures, scope_text=scope_text), context)


def scope_description(language: str, kind: str, name: str = "") -> str:
    """Whom the figures cover, in ``language``: ``kind`` is "all", "team" or "caseworker"."""
    tr = ReportContext(language=language, municipality="", printed_by="").translator
    if kind == "team":
        return tr.gettext("Team {name}").format(name=name)
    if kind == "caseworker":
        return tr.gettext("Clients of caseworker {name}").format(name=name)
    return tr.gettext("The whole register")


__all__: Sequence[str] = (
    "followup_report_bytes",
    "followup_story",
    "report_title",
    "scope_description",
)
