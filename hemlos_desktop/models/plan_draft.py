"""Instantiation: a plan template becomes a plain draft with dates, and then the snapshot
a new plan starts from. The templates themselves are read by :mod:`.plan_template`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from hemlos_desktop.i18n import SUPPORTED_LANGUAGES
from hemlos_desktop.models.cti import CtiPhaseKey, cti_phases
from hemlos_desktop.models.plan_rules import (
    ActionSnapshot,
    FollowUpPoint,
    GoalSnapshot,
    PlanSnapshot,
    Responsible,
    ResponsibleKind,
)
from hemlos_desktop.models.plan_template import PlanTemplate


@dataclass(frozen=True)
class DraftAction:
    key: str  # the template's action key
    text: str
    responsible: ResponsibleKind
    suggested_party: str | None
    phase: str | None
    start: date
    due: date


@dataclass(frozen=True)
class DraftGoal:
    key: str  # the template's goal key
    text: str
    rating_area: str | None
    actions: tuple[DraftAction, ...]


@dataclass(frozen=True)
class DraftFollowUp:
    on: date
    text: str


@dataclass(frozen=True)
class DraftPhase:
    key: str
    name: str
    start: date
    end: date  # last day of the phase (inclusive)


@dataclass(frozen=True)
class PlanDraft:
    template_id: str
    template_version: int
    language: str
    start: date
    phases: tuple[DraftPhase, ...]
    goals: tuple[DraftGoal, ...]
    follow_ups: tuple[DraftFollowUp, ...]


def instantiate(template: PlanTemplate, start: date, language: str) -> PlanDraft:
    """Turn a template into draft goals, actions and follow-ups with concrete dates.

    Offsets are whole days from ``start`` (day 0 is the start date itself; negative offsets
    are days before it). Pure: no database. The texts are the template's texts in ``language``
    ("sv", "da" or "en"). A template whose phases are the three CTI phases gets the phase dates
    of :func:`hemlos_desktop.models.cti.cti_phases` (calendar months), so the draft and the CTI
    status of the plan always agree; other phases use their day offsets.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {language!r}")

    def day(offset: int) -> date:
        return start + timedelta(days=offset)

    cti_keys = [key.value for key in CtiPhaseKey]
    if [p.key for p in template.phases] == cti_keys:
        phases = tuple(
            DraftPhase(p.key, p.name.get(language), calendar.start, calendar.end)
            for p, calendar in zip(template.phases, cti_phases(start), strict=True)
        )
    else:
        phases = tuple(
            DraftPhase(
                p.key,
                p.name.get(language),
                day(p.start_offset_days),
                day(p.start_offset_days + p.length_days - 1),
            )
            for p in template.phases
        )
    goals = tuple(
        DraftGoal(
            key=goal.key,
            text=goal.text.get(language),
            rating_area=goal.rating_area,
            actions=tuple(
                DraftAction(
                    key=action.key,
                    text=action.text.get(language),
                    responsible=action.responsible,
                    suggested_party=action.suggested_party,
                    phase=action.phase,
                    start=day(action.start_offset_days),
                    due=day(action.due_offset_days),
                )
                for action in goal.actions
            ),
        )
        for goal in template.goals
    )
    follow_ups = tuple(
        DraftFollowUp(day(f.offset_days), f.text.get(language)) for f in template.follow_ups
    )
    return PlanDraft(template.id, template.version, language, start, phases, goals, follow_ups)


def _new_uid() -> str:
    return uuid.uuid4().hex


def draft_snapshot(
    draft: PlanDraft, *, plan_uid: str, new_uid: Callable[[], str] = _new_uid
) -> PlanSnapshot:
    """A version-1 draft plan from an instantiated template, with fresh uids.

    Each action's responsible keeps the template's kind and suggested party with an empty name,
    so :func:`plan_rules.validate_action` asks the worker to name who is responsible. A goal's
    text starts empty: the template's wording is only its ``suggestion`` (shown greyed in the
    field), so nothing is put in the client's mouth; agreeing asks for the client's words.
    """
    goals = tuple(
        GoalSnapshot(
            uid=new_uid(),
            text="",
            suggestion=goal.text,
            rating_area=goal.rating_area,
            actions=tuple(
                ActionSnapshot(
                    uid=new_uid(),
                    text=action.text,
                    responsible=Responsible(action.responsible, "", action.suggested_party),
                    start=action.start,
                    due=action.due,
                    phase=action.phase,
                )
                for action in goal.actions
            ),
        )
        for goal in draft.goals
    )
    return PlanSnapshot(
        plan_uid=plan_uid,
        start=draft.start,
        template_id=draft.template_id,
        goals=goals,
        follow_up_points=tuple(FollowUpPoint(f.on, f.text) for f in draft.follow_ups),
    )
