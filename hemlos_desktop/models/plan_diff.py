"""Compare two versions of a plan, side by side.

Goals and actions keep their ``uid`` across versions, so the comparison matches by uid, not by
position or text. :func:`diff` returns rows in display order, ready for a two-column view:

- first one PLAN row (start date, follow-up dates, participants, template);
- then each goal, followed by its actions. The order is the new version's order; an item that
  was removed is placed right after the item that preceded it in the old version (or first,
  if nothing preceded it), so each row sits where the reader expects it.

An action moved to another goal is shown once, under its new goal, as CHANGED with the field
``goal`` (old and new goal uid). The state, version, agreement and follow-up records are not
compared: they always differ between versions and are shown elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from hemlos_desktop import i18n
from hemlos_desktop.i18n import pgettext
from hemlos_desktop.models.plan_rules import (
    ActionSnapshot,
    ActionStatus,
    FollowUpPoint,
    GoalSnapshot,
    PlanSnapshot,
    Responsible,
    action_status_label,
    outside_party_label,
    rating_area_label,
    responsible_kind_label,
)

PLAN_FIELDS: tuple[str, ...] = ("start", "follow_up_points", "participants", "template_id")
GOAL_FIELDS: tuple[str, ...] = ("text", "rating_area")
ACTION_FIELDS: tuple[str, ...] = (
    "text",
    "responsible",
    "start",
    "due",
    "status",
    "note",
    "phase",
)


class RowKind(StrEnum):
    PLAN = "plan"
    GOAL = "goal"
    ACTION = "action"


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


def change_label(change: Change) -> str:
    labels = {
        Change.ADDED: pgettext("plan comparison", "Added"),
        Change.REMOVED: pgettext("plan comparison", "Removed"),
        Change.CHANGED: pgettext("plan comparison", "Changed"),
        Change.UNCHANGED: pgettext("plan comparison", "Unchanged"),
    }
    return labels[change]


@dataclass(frozen=True)
class FieldChange:
    field: str  # a name from PLAN_FIELDS, GOAL_FIELDS, ACTION_FIELDS, or "goal"
    old: object
    new: object


Item = PlanSnapshot | GoalSnapshot | ActionSnapshot


@dataclass(frozen=True)
class DiffRow:
    kind: RowKind
    change: Change
    uid: str  # plan_uid, goal uid or action uid
    goal_uid: str | None  # for ACTION rows: the goal it is shown under; None otherwise
    old: Item | None  # left column (None when ADDED)
    new: Item | None  # right column (None when REMOVED)
    fields: tuple[FieldChange, ...] = ()  # only for CHANGED


def _field_changes(old: object, new: object, names: Sequence[str]) -> list[FieldChange]:
    changes = []
    for name in names:
        old_value, new_value = getattr(old, name), getattr(new, name)
        if old_value != new_value:
            changes.append(FieldChange(name, old_value, new_value))
    return changes


def _row(
    kind: RowKind,
    uid: str,
    goal_uid: str | None,
    *,
    old: Item,
    new: Item,
    changes: list[FieldChange],
) -> DiffRow:
    change = Change.CHANGED if changes else Change.UNCHANGED
    return DiffRow(kind, change, uid, goal_uid, old, new, tuple(changes))


K = TypeVar("K", GoalSnapshot, ActionSnapshot)


def _merge_order(old: Sequence[K], new: Sequence[K], removed: set[str]) -> list[tuple[str, K]]:
    """New items in new order, with removed old items after their old predecessor.

    Returns ("new", item) or ("old", item) pairs.
    """
    new_uids = {item.uid for item in new}
    after: dict[str | None, list[K]] = {}
    anchor: str | None = None
    for item in old:
        if item.uid in removed:
            after.setdefault(anchor, []).append(item)
        elif item.uid in new_uids:
            anchor = item.uid
    merged: list[tuple[str, K]] = [("old", item) for item in after.get(None, [])]
    for item in new:
        merged.append(("new", item))
        merged += [("old", gone) for gone in after.get(item.uid, [])]
    return merged


def diff(old: PlanSnapshot, new: PlanSnapshot) -> tuple[DiffRow, ...]:
    """Side-by-side rows comparing ``old`` with ``new`` (see the module description)."""
    rows = [
        _row(
            RowKind.PLAN,
            new.plan_uid,
            None,
            old=old,
            new=new,
            changes=_field_changes(old, new, PLAN_FIELDS),
        )
    ]
    old_goals = {goal.uid: goal for goal in old.goals}
    new_goal_uids = {goal.uid for goal in new.goals}
    old_actions: dict[str, tuple[str, ActionSnapshot]] = {
        action.uid: (goal.uid, action) for goal in old.goals for action in goal.actions
    }
    new_action_uids = {action.uid for goal in new.goals for action in goal.actions}
    removed_goals = {uid for uid in old_goals if uid not in new_goal_uids}

    for side, goal in _merge_order(old.goals, new.goals, removed_goals):
        if side == "old":
            rows.append(DiffRow(RowKind.GOAL, Change.REMOVED, goal.uid, None, goal, None))
            for action in goal.actions:
                if action.uid not in new_action_uids:
                    rows.append(
                        DiffRow(RowKind.ACTION, Change.REMOVED, action.uid, goal.uid, action, None)
                    )
            continue
        before = old_goals.get(goal.uid)
        if before is None:
            rows.append(DiffRow(RowKind.GOAL, Change.ADDED, goal.uid, None, None, goal))
            previous_actions: tuple[ActionSnapshot, ...] = ()
        else:
            rows.append(
                _row(
                    RowKind.GOAL,
                    goal.uid,
                    None,
                    old=before,
                    new=goal,
                    changes=_field_changes(before, goal, GOAL_FIELDS),
                )
            )
            previous_actions = before.actions
        removed_actions = {a.uid for a in previous_actions if a.uid not in new_action_uids}
        for a_side, action in _merge_order(previous_actions, goal.actions, removed_actions):
            if a_side == "old":
                rows.append(
                    DiffRow(RowKind.ACTION, Change.REMOVED, action.uid, goal.uid, action, None)
                )
                continue
            found = old_actions.get(action.uid)
            if found is None:
                rows.append(
                    DiffRow(RowKind.ACTION, Change.ADDED, action.uid, goal.uid, None, action)
                )
                continue
            old_goal_uid, old_action = found
            changes = _field_changes(old_action, action, ACTION_FIELDS)
            if old_goal_uid != goal.uid:
                changes.insert(0, FieldChange("goal", old_goal_uid, goal.uid))
            rows.append(
                _row(
                    RowKind.ACTION,
                    action.uid,
                    goal.uid,
                    old=old_action,
                    new=action,
                    changes=changes,
                )
            )
    return tuple(rows)


def changed_rows(rows: Sequence[DiffRow]) -> tuple[DiffRow, ...]:
    """Only the rows that differ (for a "show changes only" view)."""
    return tuple(row for row in rows if row.change is not Change.UNCHANGED)


# A comparison with more rows than this opens showing only the changes: in a long plan the few
# that changed are lost among the ones that did not.
LONG_COMPARISON = 10


def only_changes_by_default(rows: Sequence[DiffRow]) -> bool:
    """Whether a comparison opens showing only changes (long, and something did change)."""
    return len(rows) > LONG_COMPARISON and bool(changed_rows(rows))


def field_label(name: str) -> str:
    """The translated name of a compared field, for the comparison view's captions."""
    labels = {
        "start": pgettext("plan field", "Start date"),
        "follow_up_points": pgettext("plan field", "Follow-up dates"),
        "participants": pgettext("plan field", "Took part"),
        "template_id": pgettext("plan field", "Method"),
        "text": pgettext("plan field", "Text"),
        "rating_area": pgettext("plan field", "Rating area"),
        "responsible": pgettext("plan field", "Responsible"),
        "due": pgettext("plan field", "Due date"),
        "status": pgettext("plan field", "Status"),
        "note": pgettext("plan field", "Note"),
        "phase": pgettext("plan field", "Phase"),
        "goal": pgettext("plan field", "Goal"),
    }
    return labels[name]


def display_value(value: object) -> str:
    """A compared value as text in the active language (dates, labels, lists)."""
    if value is None:
        return ""
    if isinstance(value, ActionStatus):
        return action_status_label(value)
    if isinstance(value, date):
        return i18n.active().format_date(value, "short")
    if isinstance(value, Responsible):
        kind = responsible_kind_label(value.kind)
        party = outside_party_label(value.party) if value.party else ""
        return ", ".join(part for part in (value.name, party or kind) if part)
    if isinstance(value, FollowUpPoint):
        when = display_value(value.on)
        return f"{when} {value.text}".strip()
    if isinstance(value, tuple):
        return "; ".join(display_value(item) for item in value)
    return str(value)


def display_field(name: str, value: object) -> str:
    """Like :func:`display_value`, with the rating-area key shown by its label."""
    if name == "rating_area" and isinstance(value, str):
        return rating_area_label(value)
    return display_value(value)
