"""The individual plan as a PDF for the client: large clear type, the client's own words.

The plan printed is the one the caller passes (services.pdf_export chooses the client's current
plan: the latest agreed or followed-up version, or else the draft, which is then marked as a
draft on every page). Every label is taken from the
document's own language (sv or da), independent of the UI language.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from hemlos_desktop.i18n import Translator
from hemlos_desktop.models.cti import CtiPhaseKey, cti_phases
from hemlos_desktop.models.identity import IdKind
from hemlos_desktop.models.plan_info import PlanVersionInfo
from hemlos_desktop.models.plan_rules import (
    ActionSnapshot,
    ActionStatus,
    PlanState,
    Responsible,
    ResponsibleKind,
)
from hemlos_desktop.reports import flowables as fl
from hemlos_desktop.reports.context import ReportContext
from hemlos_desktop.reports.document import pdf_bytes


def _state_label(tr: Translator, state: PlanState) -> str:
    labels = {
        PlanState.DRAFT: tr.pgettext("plan state", "Draft"),
        PlanState.AGREED: tr.pgettext("plan state", "Agreed"),
        PlanState.FOLLOWED_UP: tr.pgettext("plan state", "Followed up"),
        PlanState.REVISED: tr.pgettext("plan state", "Revised"),
        PlanState.CLOSED: tr.pgettext("plan state", "Closed"),
    }
    return labels[state]


def _status_label(tr: Translator, status: ActionStatus) -> str:
    labels = {
        ActionStatus.PLANNED: tr.pgettext("action status", "Planned"),
        ActionStatus.STARTED: tr.pgettext("action status", "Started"),
        ActionStatus.DONE: tr.pgettext("action status", "Done"),
        ActionStatus.NOT_DONE: tr.pgettext("action status", "Not done"),
    }
    return labels[status]


def _party_label(tr: Translator, party: str) -> str:
    labels = {
        "landlord": tr.gettext("Landlord"),
        "psychiatry": tr.gettext("Psychiatry"),
        "primary_care": tr.gettext("Primary care"),
        "hospital": tr.gettext("Hospital"),
        "addiction_treatment": tr.gettext("Addiction treatment"),
        "employment_service": tr.gettext("Employment service"),
        "benefits_office": tr.gettext("Benefits office"),
        "prison_probation": tr.gettext("Prison and probation service"),
        "shelter": tr.gettext("Shelter"),
        "network": tr.gettext("Family and network"),
        "other": tr.gettext("Other party"),
    }
    return labels.get(party, "")


def _phase_label(tr: Translator, key: str | None) -> str:
    labels = {
        CtiPhaseKey.TRANSITION.value: tr.pgettext("CTI phase", "Transition to the new home"),
        CtiPhaseKey.TRY_OUT.value: tr.pgettext("CTI phase", "Try-out"),
        CtiPhaseKey.TRANSFER.value: tr.pgettext("CTI phase", "Transfer of care"),
    }
    return labels.get(key or "", "")


def _who(tr: Translator, responsible: Responsible | None) -> str:
    if responsible is None:
        return ""
    party = _party_label(tr, responsible.party) if responsible.party else ""
    kinds = {
        ResponsibleKind.TEAM_MEMBER: tr.gettext("Team member"),
        ResponsibleKind.UNIT: tr.gettext("Unit"),
        ResponsibleKind.OUTSIDE: tr.gettext("Outside party"),
    }
    return ", ".join(p for p in (responsible.name, party or kinds[responsible.kind]) if p)


def _action_row(
    context: ReportContext, tr: Translator, action: ActionSnapshot
) -> list[str | Flowable | None]:
    when = context.format_date(action.due)
    if action.start is not None and action.start != action.due:
        when = f"{context.format_date(action.start)} – {when}"
    text = action.text
    if action.note:
        text = f"{text}\n{action.note}"
    return [text, _who(tr, action.responsible), when, _status_label(tr, action.status)]


def plan_story(
    context: ReportContext, info: PlanVersionInfo, client_name: str, identity: str
) -> list[Flowable]:
    """The flowables of a printed plan (no database: for tests and previews)."""
    tr = context.translator
    snap = info.snapshot
    story: list[Flowable] = [fl.title(context, tr.gettext("My plan"))]
    facts: list[tuple[str, str | Flowable | None]] = [
        (tr.gettext("Full name"), client_name),
        (tr.gettext("Identity number"), identity),
        (tr.gettext("Plan version"), str(info.version)),
        (tr.gettext("Status"), _state_label(tr, info.state)),
        (tr.gettext("Start date"), context.format_date(snap.start)),
    ]
    if snap.agreement is not None:
        facts.append((tr.gettext("Agreed on"), context.format_date(snap.agreement.agreed_on)))
    if snap.participants:
        facts.append((tr.gettext("Took part in drawing it up"), ", ".join(snap.participants)))
    story.append(fl.facts_table(context, facts, label_width=0.42))
    if info.is_cti and snap.start is not None:
        story.append(fl.heading1(context, tr.gettext("Phases")))
        story.append(
            fl.bullet_list(
                context,
                [
                    f"{_phase_label(tr, p.key.value)}: {context.format_date(p.start)} – "
                    f"{context.format_date(p.end)}"
                    for p in cti_phases(snap.start)
                ],
            )
        )
    header = [tr.gettext("What"), tr.gettext("Who"), tr.gettext("When"), tr.gettext("Status")]
    for number, goal in enumerate(snap.goals, start=1):
        story.append(fl.heading1(context, tr.gettext("Goal {number}").format(number=number)))
        story.append(fl.small(context, tr.gettext("In my own words:")))
        story.append(fl.body(context, goal.text))
        if goal.actions:
            story.append(fl.heading2(context, tr.gettext("What we will do")))
            rows = [_action_row(context, tr, action) for action in goal.actions]
            story.append(fl.data_table(context, header, rows, col_widths=(4, 2.4, 2.2, 1.6)))
    if snap.follow_up_points:
        story.append(fl.heading1(context, tr.gettext("When we look at the plan again")))
        story.append(
            fl.bullet_list(
                context,
                [f"{context.format_date(p.on)} {p.text}".strip() for p in snap.follow_up_points],
            )
        )
    if info.sip.parties:
        story.append(fl.heading1(context, tr.gettext("Coordinated plan (SIP): who takes part")))
        rows_sip: list[list[str | Flowable | None]] = [
            [p.organisation, p.contact, p.commitments] for p in info.sip.parties
        ]
        story.append(
            fl.data_table(
                context,
                [
                    tr.gettext("Organisation"),
                    tr.gettext("Contact person"),
                    tr.gettext("Commitments"),
                ],
                rows_sip,
                col_widths=(2.5, 2.2, 5),
            )
        )
        story.append(Spacer(1, 6))
        story.append(
            fl.body(
                context,
                tr.gettext("Leads the coordination: {party}").format(party=info.sip.lead),
            )
        )
    story.append(Spacer(1, 12))
    story.append(fl.signature_lines(context, (tr.gettext("Client"), tr.gettext("Caseworker"))))
    return story


@dataclass(frozen=True)
class PlanDocument:
    """Everything a printed plan shows: the version and who it belongs to."""

    info: PlanVersionInfo
    client_name: str
    id_number: str  # canonical; printed masked unless full numbers were chosen
    id_kind: IdKind


def plan_pdf_bytes(
    document: PlanDocument,
    language: str,
    *,
    printed_by: str,
    full_numbers: bool = False,
    municipality: str = "",
) -> bytes:
    """The plan as PDF bytes in ``language`` (sv or da); a draft is marked as a draft."""
    info = document.info
    tr_title = ReportContext(language=language, municipality="", printed_by="").translator
    context = ReportContext(
        language=language,
        municipality=municipality,
        printed_by=printed_by,
        show_full_numbers=full_numbers,
        large_type=True,
        draft=info.state is PlanState.DRAFT,
        title=tr_title.gettext("My plan"),
    )
    identity = context.identity_text(document.id_number, document.id_kind)
    story = plan_story(context, info, document.client_name, identity)
    return pdf_bytes(story, context)
