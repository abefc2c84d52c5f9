"""Individual plans as pure data: snapshots, the life cycle and the rules. No database, no Qt.

A plan version is a frozen :class:`PlanSnapshot`. The life cycle is::

    draft -> agreed -> followed_up -> (followed_up again) ...
                 \\           \\
                  -> revised   -> revised          (when the next version is agreed)
    draft / agreed / followed_up -> closed

An agreed plan is never edited in place. :func:`revise` makes a new *draft* snapshot with
``version + 1`` and ``previous_version`` pointing back; the old version stays in force (and
readable) until the new one is agreed, and only then moves to ``revised`` (see :func:`agree`,
which returns both). A draft that is abandoned is closed.

Validation functions return a list of :class:`RuleProblem` ``(field, message)`` pairs with
translated messages, so a form can show each message next to its field and keep the input.
The operations (:func:`agree`, :func:`follow_up`, :func:`transition`) raise
:class:`PlanRuleError` carrying the same pairs when they refuse.

Decisions, with reasons:
- A draft may hold goals without actions and actions without dates: drafting happens with the
  client, in pieces. Agreeing needs at least one goal, an action under every goal, a responsible
  and a due date on every action, and at least one planned follow-up date: a plan is the
  answer to "who does what by when, and when do we look at it again" (KNUT: follow-up is the
  most neglected area). A goal the client holds but nobody can act on yet still gets one
  action, e.g. "talk about this goal again at the follow-up".
- Texts have limits that no real plan reaches but that stop a pasted file from landing in a
  field: a goal in the client's own words up to 4,000 characters, an action 1,000, notes and
  outcomes 4,000, names 200.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import pgettext

# The keys of the rating instrument's areas (resources/instruments/*.toml), so that a goal's
# area is the area its ratings are coded in.
RATING_AREAS: tuple[str, ...] = (
    "housing",
    "income",
    "substance_use",
    "daily_living",
    "occupation",
)
# Keys used by plan snapshots and templates written before they followed the instrument.
LEGACY_RATING_AREAS: dict[str, str] = {"substance": "substance_use", "adl": "daily_living"}
OUTSIDE_PARTIES: tuple[str, ...] = (
    "landlord",
    "psychiatry",
    "primary_care",
    "hospital",
    "addiction_treatment",
    "employment_service",
    "benefits_office",
    "prison_probation",
    "shelter",
    "network",
    "other",
)

GOAL_TEXT_MAX = 4000
ACTION_TEXT_MAX = 1000
NOTE_MAX = 4000
OUTCOME_MAX = 4000
NAME_MAX = 200
MAX_PARTICIPANTS = 50
REACHED_MIN = 0
REACHED_MAX = 4


class ResponsibleKind(StrEnum):
    TEAM_MEMBER = "team_member"
    UNIT = "unit"
    OUTSIDE = "outside"


class PlanState(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"
    FOLLOWED_UP = "followed_up"
    REVISED = "revised"
    CLOSED = "closed"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    STARTED = "started"
    DONE = "done"
    NOT_DONE = "not_done"  # dropped or did not happen; the outcome text says why


# The allowed moves between states, as data. REVISED and CLOSED are final.
TRANSITIONS: Mapping[PlanState, frozenset[PlanState]] = {
    PlanState.DRAFT: frozenset({PlanState.AGREED, PlanState.CLOSED}),
    PlanState.AGREED: frozenset({PlanState.FOLLOWED_UP, PlanState.REVISED, PlanState.CLOSED}),
    PlanState.FOLLOWED_UP: frozenset({PlanState.FOLLOWED_UP, PlanState.REVISED, PlanState.CLOSED}),
    PlanState.REVISED: frozenset(),
    PlanState.CLOSED: frozenset(),
}
# States whose content may still be edited in place.
EDITABLE_STATES = frozenset({PlanState.DRAFT})
# States in which a plan is the one in force and may be followed up or revised.
IN_FORCE_STATES = frozenset({PlanState.AGREED, PlanState.FOLLOWED_UP})


def state_label(state: PlanState) -> str:
    labels = {
        PlanState.DRAFT: pgettext("plan state", "Draft"),
        PlanState.AGREED: pgettext("plan state", "Agreed"),
        PlanState.FOLLOWED_UP: pgettext("plan state", "Followed up"),
        PlanState.REVISED: pgettext("plan state", "Revised"),
        PlanState.CLOSED: pgettext("plan state", "Closed"),
    }
    return labels[state]


def action_status_label(status: ActionStatus) -> str:
    labels = {
        ActionStatus.PLANNED: pgettext("action status", "Planned"),
        ActionStatus.STARTED: pgettext("action status", "Started"),
        ActionStatus.DONE: pgettext("action status", "Done"),
        ActionStatus.NOT_DONE: pgettext("action status", "Not done"),
    }
    return labels[status]


def responsible_kind_label(kind: ResponsibleKind) -> str:
    labels = {
        ResponsibleKind.TEAM_MEMBER: _("Team member"),
        ResponsibleKind.UNIT: _("Unit"),
        ResponsibleKind.OUTSIDE: _("Outside party"),
    }
    return labels[kind]


def outside_party_label(party: str) -> str:
    labels = {
        "landlord": _("Landlord"),
        "psychiatry": _("Psychiatry"),
        "primary_care": _("Primary care"),
        "hospital": _("Hospital"),
        "addiction_treatment": _("Addiction treatment"),
        "employment_service": _("Employment service"),
        "benefits_office": _("Benefits office"),
        "prison_probation": _("Prison and probation service"),
        "shelter": _("Shelter"),
        "network": _("Family and network"),
        "other": _("Other party"),
    }
    return labels[party]


def rating_area_label(area: str) -> str:
    labels = {
        "housing": pgettext("rating area", "Housing"),
        "income": pgettext("rating area", "Income"),
        "substance_use": pgettext("rating area", "Substance use"),
        "daily_living": pgettext("rating area", "Daily living"),
        "occupation": pgettext("rating area", "Occupation"),
    }
    return labels[area]


def reached_label(value: int) -> str:
    """Label of the 0-4 "how far is the goal reached" scale used at a follow-up."""
    labels = {
        0: _("Not yet started"),
        1: _("A little way"),
        2: _("Partly reached"),
        3: _("Mostly reached"),
        4: _("Fully reached"),
    }
    return labels[value]


# --- Snapshots --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsible:
    kind: ResponsibleKind
    name: str  # the team member's name, the unit, or the outside organisation / contact
    party: str | None = None  # a key of OUTSIDE_PARTIES when kind is OUTSIDE
    user_id: int | None = None  # the team member's user id when kind is TEAM_MEMBER


@dataclass(frozen=True)
class ActionSnapshot:
    uid: str  # stable across versions
    text: str
    responsible: Responsible | None = None
    start: date | None = None
    due: date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    note: str = ""
    phase: str | None = None  # a CTI phase key, when the plan follows CTI

    @property
    def done(self) -> bool:
        """Finished either way (done or not done): no longer due (see cti.tasks_due)."""
        return self.status in (ActionStatus.DONE, ActionStatus.NOT_DONE)


@dataclass(frozen=True)
class GoalSnapshot:
    uid: str  # stable across versions
    text: str  # in the client's own words
    rating_area: str | None = None
    actions: tuple[ActionSnapshot, ...] = ()
    # A template's wording, offered greyed in the empty field: never the client's words, never
    # printed as such (the goal's text starts empty).
    suggestion: str = ""


@dataclass(frozen=True)
class FollowUpPoint:
    """A planned follow-up: the date and what to look at then (may be empty)."""

    on: date
    text: str = ""


@dataclass(frozen=True)
class AgreementRecord:
    agreed_on: date
    present: tuple[str, ...]  # names of those present, the client included
    client_agreed: bool
    client_signed: bool  # the client signed the printed copy


@dataclass(frozen=True)
class ActionResult:
    action_uid: str
    status: ActionStatus
    outcome: str = ""  # what happened


@dataclass(frozen=True)
class GoalResult:
    goal_uid: str
    reached: int  # REACHED_MIN..REACHED_MAX, see reached_label()
    comment: str = ""


@dataclass(frozen=True)
class FollowUpRecord:
    held_on: date
    goal_results: tuple[GoalResult, ...] = ()
    action_results: tuple[ActionResult, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class PlanSnapshot:
    plan_uid: str  # the same for every version of one plan
    version: int = 1
    state: PlanState = PlanState.DRAFT
    start: date | None = None
    template_id: str | None = None
    goals: tuple[GoalSnapshot, ...] = ()
    follow_up_points: tuple[FollowUpPoint, ...] = ()
    participants: tuple[str, ...] = ()  # who took part in drawing it up
    previous_version: int | None = None
    agreement: AgreementRecord | None = None
    follow_ups: tuple[FollowUpRecord, ...] = ()

    def action(self, uid: str) -> ActionSnapshot | None:
        for goal in self.goals:
            for action in goal.actions:
                if action.uid == uid:
                    return action
        return None

    def goal(self, uid: str) -> GoalSnapshot | None:
        return next((g for g in self.goals if g.uid == uid), None)


# --- Problems and the hard error -------------------------------------------------------------


class RuleProblem(NamedTuple):
    field: str
    message: str


class PlanRuleError(HemlosError):
    """A plan operation refused by a rule; ``problems`` holds the (field, message) pairs."""

    problems: tuple[RuleProblem, ...] = ()

    def __init__(self, problems: Iterable[RuleProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"plan rule: {len(self.problems)} problem(s)")

    def title(self) -> str:
        return _("The plan cannot be saved like this")

    def message(self) -> str:
        listed = "\n".join(problem.message for problem in self.problems)
        return listed or _("The plan breaks a rule.")

    def advice(self) -> str:
        return _("Nothing has been changed. Correct what is listed and try again.")


def _too_long(text: str, limit: int) -> bool:
    return len(text) > limit


def _length_message(limit: int) -> str:
    return _("The text is too long (at most {limit} characters).").format(limit=limit)


# --- Life cycle -------------------------------------------------------------------------------


def can_transition(old: PlanState, new: PlanState) -> bool:
    return new in TRANSITIONS[old]


def check_transition(old: PlanState, new: PlanState) -> None:
    if not can_transition(old, new):
        raise PlanRuleError(
            [
                RuleProblem(
                    "state",
                    _("A plan that is '{old}' cannot become '{new}'.").format(
                        old=state_label(old), new=state_label(new)
                    ),
                )
            ]
        )


def transition(plan: PlanSnapshot, new: PlanState) -> PlanSnapshot:
    """Move a plan to another state (for closing and marking revised); checks TRANSITIONS."""
    check_transition(plan.state, new)
    return replace(plan, state=new)


def ensure_editable(plan: PlanSnapshot) -> None:
    """Raise unless the plan's content may be changed in place (only drafts)."""
    if plan.state not in EDITABLE_STATES:
        raise PlanRuleError(
            [
                RuleProblem(
                    "state",
                    _(
                        "An agreed plan is not changed in place. Make a revision: it "
                        "becomes a new version and the earlier one stays readable."
                    ),
                )
            ]
        )


# --- Validation -------------------------------------------------------------------------------


def validate_action(action: ActionSnapshot) -> list[RuleProblem]:
    """Problems in one action, with bare field names (text, responsible, due, note)."""
    problems: list[RuleProblem] = []
    if not action.text.strip():
        problems.append(RuleProblem("text", _("Describe the action.")))
    elif _too_long(action.text, ACTION_TEXT_MAX):
        problems.append(RuleProblem("text", _length_message(ACTION_TEXT_MAX)))
    responsible = action.responsible
    if responsible is None or not responsible.name.strip():
        problems.append(RuleProblem("responsible", _("Choose who is responsible.")))
    else:
        if _too_long(responsible.name, NAME_MAX):
            problems.append(RuleProblem("responsible", _length_message(NAME_MAX)))
        if responsible.party is not None and responsible.party not in OUTSIDE_PARTIES:
            problems.append(RuleProblem("responsible", _("Unknown kind of outside party.")))
    if action.start is not None and action.due is not None and action.due < action.start:
        problems.append(RuleProblem("due", _("The due date is before the start date.")))
    if _too_long(action.note, NOTE_MAX):
        problems.append(RuleProblem("note", _length_message(NOTE_MAX)))
    return problems


def validate_goal(goal: GoalSnapshot) -> list[RuleProblem]:
    """Problems in the goal itself (not its actions), with bare field names."""
    problems: list[RuleProblem] = []
    if not goal.text.strip():
        problems.append(RuleProblem("text", _("Write the goal, in the client's own words.")))
    elif _too_long(goal.text, GOAL_TEXT_MAX):
        problems.append(RuleProblem("text", _length_message(GOAL_TEXT_MAX)))
    if goal.rating_area is not None and goal.rating_area not in RATING_AREAS:
        problems.append(RuleProblem("rating_area", _("Unknown rating area.")))
    return problems


def _prefixed(prefix: str, problems: Iterable[RuleProblem]) -> list[RuleProblem]:
    return [RuleProblem(f"{prefix}.{p.field}", p.message) for p in problems]


def validate_plan(plan: PlanSnapshot) -> list[RuleProblem]:
    """Problems in a draft as it stands (what a draft may not hold even while being drafted).

    Fields are ``goals.<uid>.<field>`` and ``actions.<uid>.<field>``.
    """
    problems: list[RuleProblem] = []
    seen: set[str] = set()
    for goal in plan.goals:
        problems += _prefixed(f"goals.{goal.uid}", validate_goal(goal))
        if goal.uid in seen:
            problems.append(RuleProblem(f"goals.{goal.uid}", _("Two items have the same id.")))
        seen.add(goal.uid)
        for action in goal.actions:
            problems += _prefixed(f"actions.{action.uid}", validate_action(action))
            if action.uid in seen:
                problems.append(
                    RuleProblem(f"actions.{action.uid}", _("Two items have the same id."))
                )
            seen.add(action.uid)
    for index, point in enumerate(plan.follow_up_points):
        if _too_long(point.text, ACTION_TEXT_MAX):
            problems.append(
                RuleProblem(f"follow_up_points.{index}.text", _length_message(ACTION_TEXT_MAX))
            )
    if len(plan.participants) > MAX_PARTICIPANTS:
        problems.append(RuleProblem("participants", _("Too many participants.")))
    if any(_too_long(name, NAME_MAX) for name in plan.participants):
        problems.append(RuleProblem("participants", _length_message(NAME_MAX)))
    return problems


def validate_for_agreement(plan: PlanSnapshot) -> list[RuleProblem]:
    """Everything :func:`validate_plan` checks, plus what an agreed plan must have."""
    problems = validate_plan(plan)
    if not plan.goals:
        problems.append(
            RuleProblem("goals", _("A plan needs at least one goal before it can be agreed."))
        )
    for goal in plan.goals:
        if not goal.actions:
            problems.append(
                RuleProblem(
                    f"goals.{goal.uid}.actions",
                    _("Add at least one action to this goal: who does what, by when."),
                )
            )
        for action in goal.actions:
            if action.due is None:
                problems.append(RuleProblem(f"actions.{action.uid}.due", _("Set a due date.")))
    if not plan.follow_up_points:
        problems.append(
            RuleProblem("follow_up_points", _("Plan at least one date to follow the plan up."))
        )
    return problems


def validate_agreement(record: AgreementRecord, today: date) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    if record.agreed_on > today:
        problems.append(RuleProblem("agreed_on", _("The date of agreement is in the future.")))
    if not [name for name in record.present if name.strip()]:
        problems.append(RuleProblem("present", _("Record who was present.")))
    if len(record.present) > MAX_PARTICIPANTS:
        problems.append(RuleProblem("present", _("Too many participants.")))
    if any(_too_long(name, NAME_MAX) for name in record.present):
        problems.append(RuleProblem("present", _length_message(NAME_MAX)))
    if not record.client_agreed:
        problems.append(
            RuleProblem(
                "client_agreed",
                _(
                    "The plan can only be agreed when the client agrees to it. Keep it as a "
                    "draft and talk it through again."
                ),
            )
        )
    if record.client_signed and not record.client_agreed:
        problems.append(
            RuleProblem("client_signed", _("A signed copy needs the client's agreement."))
        )
    return problems


def validate_follow_up(
    plan: PlanSnapshot, record: FollowUpRecord, today: date
) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    if record.held_on > today:
        problems.append(RuleProblem("held_on", _("The follow-up date is in the future.")))
    if plan.agreement is not None and record.held_on < plan.agreement.agreed_on:
        problems.append(
            RuleProblem("held_on", _("The follow-up date is before the plan was agreed."))
        )
    if _too_long(record.note, NOTE_MAX):
        problems.append(RuleProblem("note", _length_message(NOTE_MAX)))
    seen_actions: set[str] = set()
    for result in record.action_results:
        where = f"actions.{result.action_uid}"
        if plan.action(result.action_uid) is None:
            problems.append(
                RuleProblem(
                    where,
                    _(
                        "This action is no longer in the plan, so it cannot be followed up. "
                        "It may have been removed in a revision."
                    ),
                )
            )
        if result.action_uid in seen_actions:
            problems.append(RuleProblem(where, _("This action is followed up twice.")))
        seen_actions.add(result.action_uid)
        if _too_long(result.outcome, OUTCOME_MAX):
            problems.append(RuleProblem(f"{where}.outcome", _length_message(OUTCOME_MAX)))
    seen_goals: set[str] = set()
    for goal_result in record.goal_results:
        where = f"goals.{goal_result.goal_uid}"
        if plan.goal(goal_result.goal_uid) is None:
            problems.append(
                RuleProblem(
                    where, _("This goal is no longer in the plan, so it cannot be followed up.")
                )
            )
        if goal_result.goal_uid in seen_goals:
            problems.append(RuleProblem(where, _("This goal is followed up twice.")))
        seen_goals.add(goal_result.goal_uid)
        if not REACHED_MIN <= goal_result.reached <= REACHED_MAX:
            problems.append(
                RuleProblem(
                    f"{where}.reached",
                    _("Choose a value from {low} to {high}.").format(
                        low=REACHED_MIN, high=REACHED_MAX
                    ),
                )
            )
        if _too_long(goal_result.comment, OUTCOME_MAX):
            problems.append(RuleProblem(f"{where}.comment", _length_message(OUTCOME_MAX)))
    return problems
