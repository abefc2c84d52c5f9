"""The record extract (registerutdrag / indsigt): everything held about one client.

The case summary's details and housing sections, every signed rating (with corrections), every
version of every plan (goals, actions, agreement, follow-ups, SIP parties), every outreach
contact, the whole signed journal, and the access log of the record (who read or changed it,
when), in Swedish or Danish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable, KeepTogether, Spacer

from hemlos_desktop.i18n import Translator, translator_for
from hemlos_desktop.models.audit import AUDIT_ACTION_LABELS
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.case_summary import (
    contacts_section,
    details_section,
    housing_section,
    journal_section,
)
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.plan_pdf import (
    _action_row,
    _phase_label,
    _state_label,
    _status_label,
)
from hemlos_desktop.reports.summary_data import (
    ExtractRating,
    ExtractRatingArea,
    RecordExtractData,
)

if TYPE_CHECKING:
    from hemlos_desktop.models.plan_info import PlanVersionInfo


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


def _yes_no(tr: Translator, value: bool) -> str:
    return tr.gettext("Yes") if value else tr.gettext("No")


def _rating_status(tr: Translator, rating: ExtractRating, numbers: dict[int, int]) -> str:
    parts = [tr.gettext("Signed")]
    if rating.corrects_id is not None and rating.corrects_id in numbers:
        parts.append(
            tr.gettext("corrects rating {number}").format(number=numbers[rating.corrects_id])
        )
    later = [numbers[i] for i in rating.corrected_by_ids if i in numbers]
    if later:
        parts.append(
            tr.gettext("replaced by the correction in rating {numbers}").format(
                numbers=", ".join(str(n) for n in later)
            )
        )
    return "; ".join(parts)


def _area_level(ctx: ReportContext, area: ExtractRatingArea) -> str:
    tr = ctx.translator
    if area.level is None:
        reason = area.not_assessed_reason.strip()
        return (
            tr.gettext("Not assessed: {reason}").format(reason=reason)
            if reason
            else tr.gettext("Not assessed")
        )
    number = ctx.format_number(area.level)
    return f"{number} – {area.level_label}" if area.level_label else number


def ratings_section(ctx: ReportContext, data: RecordExtractData) -> list[Flowable]:
    """Every signed rating, oldest first: who rated, when, with which instrument, and per area
    the level (or why it was not assessed) and the comment; corrections say what they correct."""
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Ratings"))]
    parts.append(
        fl.small(
            ctx,
            tr.gettext(
                "All signed ratings, oldest first. A correction replaces the rating it "
                "corrects; both are shown. Ratings that are still being written (drafts) "
                "are not included."
            ),
        )
    )
    if not data.ratings:
        parts.append(fl.body(ctx, tr.gettext("No signed ratings.")))
        return parts
    numbers = {rating.id: number for number, rating in enumerate(data.ratings, start=1)}
    header = [tr.gettext("Area"), tr.gettext("Level"), tr.gettext("Comment")]
    for rating in data.ratings:
        heading = tr.gettext("Rating {number}, {date}").format(
            number=numbers[rating.id], date=ctx.format_date(rating.rated_on)
        )
        facts: list[tuple[str, fl.Cell]] = [
            (tr.gettext("Rated by"), rating.rater),
            (tr.gettext("Client took part"), _yes_no(tr, rating.client_took_part)),
            (
                tr.gettext("Instrument"),
                tr.gettext("{name}, version {version}").format(
                    name=rating.instrument, version=rating.instrument_version
                ),
            ),
            (tr.gettext("Status"), _rating_status(tr, rating, numbers)),
        ]
        rows: list[Sequence[fl.Cell]] = [
            [area.name, _area_level(ctx, area), area.comment] for area in rating.areas
        ]
        # One rating (a heading, its facts and its areas) is kept on one page when it fits.
        parts.append(
            KeepTogether(
                [
                    fl.heading2(ctx, heading),
                    fl.facts_table(ctx, facts),
                    Spacer(1, fl.styles_of(ctx).base_size * 0.5),
                    fl.data_table(ctx, header, rows, col_widths=(3, 3.5, 5)),
                ]
            )
        )
    return parts


def _reached_label(tr: Translator, value: int) -> str:
    labels = {
        0: tr.gettext("Not yet started"),
        1: tr.gettext("A little way"),
        2: tr.gettext("Partly reached"),
        3: tr.gettext("Mostly reached"),
        4: tr.gettext("Fully reached"),
    }
    return labels.get(value, str(value))


def _plan_version_facts(ctx: ReportContext, info: PlanVersionInfo) -> Flowable:
    tr = ctx.translator
    snap = info.snapshot
    facts: list[tuple[str, fl.Cell]] = [
        (tr.gettext("Status"), _state_label(tr, info.state)),
        (tr.gettext("Start date"), ctx.format_date(snap.start)),
    ]
    if snap.previous_version is not None:
        facts.append((tr.gettext("Revision of version"), str(snap.previous_version)))
    if snap.participants:
        facts.append((tr.gettext("Took part in drawing it up"), ", ".join(snap.participants)))
    agreement = snap.agreement
    if agreement is not None:
        facts.append((tr.gettext("Agreed on"), ctx.format_date(agreement.agreed_on)))
        if agreement.present:
            facts.append((tr.gettext("Present"), ", ".join(agreement.present)))
        facts.append((tr.gettext("The client agreed"), _yes_no(tr, agreement.client_agreed)))
        facts.append(
            (tr.gettext("The client signed the plan"), _yes_no(tr, agreement.client_signed))
        )
    facts.append(
        (
            tr.gettext("Last changed"),
            tr.format_datetime(info.updated_at.replace(tzinfo=dt.UTC).astimezone(), "short"),
        )
    )
    return fl.facts_table(ctx, facts)


def _plan_goals(ctx: ReportContext, info: PlanVersionInfo) -> list[Flowable]:
    tr = ctx.translator
    styles = fl.styles_of(ctx)
    parts: list[Flowable] = []
    header = [tr.gettext("What"), tr.gettext("Who"), tr.gettext("When"), tr.gettext("Status")]
    for number, goal in enumerate(info.snapshot.goals, start=1):
        label = tr.gettext("Goal {number}").format(number=number)
        block: list[Flowable] = [
            Spacer(1, styles.base_size * 0.5),
            fl.text_paragraph(f"{label}: {goal.text}", styles.label),
        ]
        if goal.actions:
            rows = []
            for action in goal.actions:
                row = _action_row(ctx, tr, action)
                phase = _phase_label(tr, action.phase)
                if phase and isinstance(row[0], str):
                    row[0] = f"{row[0]}\n({phase})"
                rows.append(row)
            block.append(fl.data_table(ctx, header, rows, col_widths=(4, 2.4, 2.2, 1.6)))
        parts.append(KeepTogether(block))
    if not info.snapshot.goals:
        parts.append(fl.body(ctx, tr.gettext("No goals.")))
    return parts


def _plan_follow_ups(ctx: ReportContext, info: PlanVersionInfo) -> list[Flowable]:
    tr = ctx.translator
    styles = fl.styles_of(ctx)
    snap = info.snapshot
    parts: list[Flowable] = []
    if snap.follow_up_points:
        points = [f"{ctx.format_date(p.on)} {p.text}".strip() for p in snap.follow_up_points]
        parts.append(
            KeepTogether(
                [
                    Spacer(1, styles.base_size * 0.5),
                    fl.text_paragraph(tr.gettext("Follow-up dates"), styles.label),
                    fl.bullet_list(ctx, points),
                ]
            )
        )
    goal_numbers = {goal.uid: number for number, goal in enumerate(snap.goals, start=1)}
    actions = {a.uid: a.text for goal in snap.goals for a in goal.actions}
    for record in snap.follow_ups:
        block: list[Flowable] = []
        block.append(Spacer(1, styles.base_size * 0.5))
        block.append(
            fl.text_paragraph(
                tr.gettext("Follow-up on {date}").format(date=ctx.format_date(record.held_on)),
                styles.label,
            )
        )
        if record.goal_results:
            block.append(
                fl.data_table(
                    ctx,
                    [tr.gettext("Goal"), tr.gettext("How far reached"), tr.gettext("Comment")],
                    [
                        [
                            tr.gettext("Goal {number}").format(
                                number=goal_numbers.get(result.goal_uid, "?")
                            ),
                            _reached_label(tr, result.reached),
                            result.comment,
                        ]
                        for result in record.goal_results
                    ],
                    col_widths=(2, 3, 5),
                )
            )
        if record.action_results:
            block.append(Spacer(1, styles.base_size * 0.3))
            block.append(
                fl.data_table(
                    ctx,
                    [tr.gettext("What"), tr.gettext("Status"), tr.gettext("What happened")],
                    [
                        [
                            actions.get(result.action_uid, ""),
                            _status_label(tr, result.status),
                            result.outcome,
                        ]
                        for result in record.action_results
                    ],
                    col_widths=(4, 1.8, 4),
                )
            )
        if record.note:
            block.append(fl.body(ctx, record.note))
        parts.append(KeepTogether(block))
    return parts


def _plan_sip(ctx: ReportContext, info: PlanVersionInfo) -> list[Flowable]:
    tr = ctx.translator
    if not info.sip.parties:
        return []
    styles = fl.styles_of(ctx)
    return [
        Spacer(1, styles.base_size * 0.5),
        fl.text_paragraph(tr.gettext("Coordinated plan (SIP): who takes part"), styles.label),
        fl.data_table(
            ctx,
            [tr.gettext("Organisation"), tr.gettext("Contact person"), tr.gettext("Commitments")],
            [[p.organisation, p.contact, p.commitments] for p in info.sip.parties],
            col_widths=(2.5, 2.2, 5),
        ),
        Spacer(1, styles.base_size * 0.3),
        fl.text_paragraph(
            tr.gettext("Leads the coordination: {party}").format(party=info.sip.lead),
            styles.table_cell,
        ),
    ]


def plans_section(ctx: ReportContext, data: RecordExtractData) -> list[Flowable]:
    """Every version of every plan, oldest first: state and dates, the agreement, goals and
    actions, follow-up dates and the follow-ups held, and the SIP parties."""
    tr = ctx.translator
    parts: list[Flowable] = [fl.heading1(ctx, tr.gettext("Individual plans"))]
    if not data.plans:
        parts.append(fl.body(ctx, tr.gettext("No individual plan.")))
        return parts
    plan_numbers: dict[int, int] = {}
    for info in data.plans:
        plan_numbers.setdefault(info.plan_id, len(plan_numbers) + 1)
    several = len(plan_numbers) > 1
    for info in data.plans:
        state = _state_label(tr, info.state)
        if several:
            heading = tr.gettext("Plan {plan}, version {version} ({state})").format(
                plan=plan_numbers[info.plan_id], version=info.version, state=state
            )
        else:
            heading = tr.gettext("Plan version {version} ({state})").format(
                version=info.version, state=state
            )
        parts.append(KeepTogether([fl.heading2(ctx, heading), _plan_version_facts(ctx, info)]))
        parts.extend(_plan_goals(ctx, info))
        parts.extend(_plan_follow_ups(ctx, info))
        parts.extend(_plan_sip(ctx, info))
    return parts


def record_extract_story(ctx: ReportContext, data: RecordExtractData) -> list[Flowable]:
    summary = data.summary
    details = details_section(ctx, summary)
    # The title ("Record extract – name") first, then what the extract is, then the details.
    story: list[Flowable] = [*details[:1], *_intro(ctx, data), *details[1:]]
    story.extend(housing_section(ctx, summary))
    story.extend(ratings_section(ctx, data))
    story.extend(plans_section(ctx, data))
    for build in (contacts_section, journal_section):
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
