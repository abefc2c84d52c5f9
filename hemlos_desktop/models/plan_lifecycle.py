"""The operations of a plan's life cycle, as pure functions on snapshots: agreeing a version,
following it up and starting a revision. Each checks the rules of :mod:`.plan_rules` first and
raises :class:`~hemlos_desktop.models.plan_rules.PlanRuleError` with every problem at once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.plan_problems import agreement_problems
from hemlos_desktop.models.plan_rules import (
    IN_FORCE_STATES,
    AgreementRecord,
    FollowUpRecord,
    PlanRuleError,
    PlanSnapshot,
    PlanState,
    RuleProblem,
    _prefixed,
    check_transition,
    validate_agreement,
    validate_follow_up,
)


@dataclass(frozen=True)
class AgreeResult:
    plan: PlanSnapshot  # the newly agreed version
    superseded: PlanSnapshot | None  # the previous version, now REVISED (None for version 1)


def agree(
    plan: PlanSnapshot,
    record: AgreementRecord,
    today: date,
    *,
    previous: PlanSnapshot | None = None,
) -> AgreeResult:
    """Agree a draft. For a revision pass the version in force as ``previous``: it becomes
    REVISED in the same step, so there is always exactly one plan in force."""
    check_transition(plan.state, PlanState.AGREED)
    problems = agreement_problems(plan) + _prefixed("agreement", validate_agreement(record, today))
    superseded = None
    if plan.previous_version is not None:
        if (
            previous is None
            or previous.version != plan.previous_version
            or (previous.plan_uid != plan.plan_uid)
        ):
            problems.append(
                RuleProblem("previous_version", _("The earlier version of this plan is missing."))
            )
        elif previous.state not in IN_FORCE_STATES:
            problems.append(
                RuleProblem(
                    "previous_version",
                    _("The earlier version has already been revised or closed."),
                )
            )
        else:
            superseded = replace(previous, state=PlanState.REVISED)
    if problems:
        raise PlanRuleError(problems)
    return AgreeResult(replace(plan, state=PlanState.AGREED, agreement=record), superseded)


def follow_up(plan: PlanSnapshot, record: FollowUpRecord, today: date) -> PlanSnapshot:
    """Record a follow-up: the plan becomes FOLLOWED_UP and each action takes its new status.

    The texts of goals and actions are not touched (that would need a revision); the outcome
    of each action and how far each goal is reached live in the follow-up record.
    """
    check_transition(plan.state, PlanState.FOLLOWED_UP)
    problems = validate_follow_up(plan, record, today)
    if problems:
        raise PlanRuleError(problems)
    statuses = {result.action_uid: result.status for result in record.action_results}
    goals = tuple(
        replace(
            goal,
            actions=tuple(
                replace(action, status=statuses.get(action.uid, action.status))
                for action in goal.actions
            ),
        )
        for goal in plan.goals
    )
    return replace(
        plan,
        state=PlanState.FOLLOWED_UP,
        goals=goals,
        follow_ups=(*plan.follow_ups, record),
    )


def revise(plan: PlanSnapshot) -> PlanSnapshot:
    """A new draft version of a plan in force: same goals and actions (same uids), version + 1.

    The agreement and the follow-up records belong to the old version and are not copied.
    Actions that are done or not done are carried over with their status, so the worker sees
    them and can remove them from the new version.
    """
    if plan.state not in IN_FORCE_STATES:
        raise PlanRuleError(
            [
                RuleProblem(
                    "state",
                    _("Only an agreed or followed-up plan can be revised."),
                )
            ]
        )
    return replace(
        plan,
        version=plan.version + 1,
        state=PlanState.DRAFT,
        previous_version=plan.version,
        agreement=None,
        follow_ups=(),
    )
