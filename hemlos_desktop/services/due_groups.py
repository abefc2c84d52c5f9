"""What is due, grouped: by team member or by client, with counts per group.

A team lead's list of what is due for the team runs to hundreds of rows; grouped, it reads as
"who has what" (the weekly case review's question) or "what is due for whom". Pure: takes the
items :func:`services.plan_due.due_items` returned, queries nothing.

By member, an item belongs to the team member named responsible for it; a planned follow-up
(which names no one) and an action whose responsible is not a team member (a unit, an outside
party) belong to the client's responsible team member; an item with neither goes to a group of
its own, last. Groups are in the language's alphabetical order; items in a group soonest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.text import sort_key
from hemlos_desktop.services.plan_due import DueBucket, DueItem


class DueGrouping(StrEnum):
    MEMBER = "member"
    CLIENT = "client"


@dataclass(frozen=True)
class DueGroup:
    key: str  # "user:<id>", "name:<text>", "client:<id>" or "none"
    title: str
    items: tuple[DueItem, ...]

    def count(self, bucket: DueBucket) -> int:
        return sum(1 for item in self.items if item.bucket is bucket)

    @property
    def overdue(self) -> int:
        return self.count(DueBucket.OVERDUE)


def _member_of(item: DueItem) -> tuple[str, str]:
    if item.responsible_user_id is not None:
        return f"user:{item.responsible_user_id}", item.responsible_name
    if item.client_owner_id is not None:
        return f"user:{item.client_owner_id}", item.client_owner_name
    if item.responsible_name.strip():
        return f"name:{item.responsible_name.strip()}", item.responsible_name.strip()
    return "none", ""


def _client_of(item: DueItem) -> tuple[str, str]:
    return f"client:{item.client_id}", item.client_list_name or item.client_name


def group_due(items: Iterable[DueItem], by: DueGrouping, *, language: str) -> tuple[DueGroup, ...]:
    """The items in groups, each group's items in the order given (soonest first)."""
    keyed = _member_of if by is DueGrouping.MEMBER else _client_of
    members: dict[str, list[DueItem]] = {}
    titles: dict[str, str] = {}
    for item in items:
        key, title = keyed(item)
        members.setdefault(key, []).append(item)
        # A member's name from a team-member item wins over an empty one.
        if title or key not in titles:
            titles[key] = title
    groups = [
        DueGroup(
            key,
            titles[key] if key != "none" else _("No one responsible"),
            tuple(found),
        )
        for key, found in members.items()
    ]
    groups.sort(key=lambda g: (g.key == "none", sort_key(g.title, language), g.key))
    return tuple(groups)
