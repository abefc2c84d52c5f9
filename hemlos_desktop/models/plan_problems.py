"""Problems that name where they are: "Action 3 'Apply for housing allowance': choose who is
responsible." A plan from a template can lack a dozen things before it is agreed; a list of the
same bare message a dozen times sends the worker hunting. Pure: no database, no Qt.

:func:`locate` turns the ``(field, message)`` pairs of :mod:`.plan_rules` into one problem per
goal or action (numbered as they stand in the plan, actions counted through the whole plan),
keeping the field of the first problem so that a form can go to it (:func:`item_uid`).
Plan-wide problems (no goal, no follow-up date) keep their message as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.plan_rules import (
    PlanSnapshot,
    RuleProblem,
    validate_for_agreement,
)

# An action's or goal's text is shortened to this many characters when it names the item.
NAME_LENGTH = 60


def item_uid(field: str) -> str | None:
    """The uid of the goal or action a problem's field points at (``actions.<uid>.due``)."""
    parts = field.split(".")
    if len(parts) >= 2 and parts[0] in ("goals", "actions"):  # noqa: PLR2004
        return parts[1]
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= NAME_LENGTH:
        return text
    return text[: NAME_LENGTH - 1].rstrip() + "…"


def _lower_first(message: str) -> str:
    message = message.strip().rstrip(".")
    return message[:1].lower() + message[1:]


def _names(plan: PlanSnapshot) -> dict[str, str]:
    """What each goal and action is called in a problem, by uid."""
    names: dict[str, str] = {}
    action_number = 0
    for goal_number, goal in enumerate(plan.goals, start=1):
        goal_text = _short(goal.text or goal.suggestion)
        if goal_text:
            names[goal.uid] = _("Goal {number} '{text}'").format(number=goal_number, text=goal_text)
        else:
            names[goal.uid] = _("Goal {number}").format(number=goal_number)
        for action in goal.actions:
            action_number += 1
            action_text = _short(action.text)
            if action_text:
                names[action.uid] = _("Action {number} '{text}'").format(
                    number=action_number, text=action_text
                )
            else:
                names[action.uid] = _("Action {number}").format(number=action_number)
    return names


def locate(plan: PlanSnapshot, problems: Iterable[RuleProblem]) -> list[RuleProblem]:
    """One problem per goal or action that lacks something, naming it, in the plan's order;
    the plan-wide problems after them."""
    names = _names(plan)
    order = list(names)
    by_item: dict[str, list[RuleProblem]] = {}
    general: list[RuleProblem] = []
    for problem in problems:
        uid = item_uid(problem.field)
        if uid is None or uid not in names:
            general.append(problem)
        else:
            by_item.setdefault(uid, []).append(problem)
    located: list[RuleProblem] = []
    for uid in sorted(by_item, key=order.index):
        found = by_item[uid]
        what = "; ".join(dict.fromkeys(_lower_first(p.message) for p in found))
        located.append(
            RuleProblem(
                found[0].field,
                _("{item}: {problems}.").format(item=names[uid], problems=what),
            )
        )
    return located + general


def agreement_problems(plan: PlanSnapshot) -> list[RuleProblem]:
    """What the plan lacks before it can be agreed, each goal and action named."""
    return locate(plan, validate_for_agreement(plan))
