"""What a use case changed, so each open view refreshes only its own kind of data.

Every mutating service returns an ``Outcome``: its plain result (``value``; ``None`` when it has
nothing to give back) and a ``ChangeSet`` naming the kinds of data it changed and for which
clients. The UI's operation runner publishes the change set through the change notifier; views
subscribe to the kinds they show.

    def sign_entry(db, actor, draft_id) -> Outcome[None]:
        ...
        return Outcome(None, ChangeSet.of(ChangeKind.JOURNAL, entry.client_id))
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


class ChangeKind(enum.Enum):
    """A kind of data a view may show; a view subscribes to the kinds it shows."""

    HEADER = "header"
    """A client's details: name, number, status, responsible person, team, target groups."""
    HOUSING = "housing"
    """Housing periods (and so the current housing shown in lists and headers)."""
    JOURNAL = "journal"
    """Journal entries and drafts."""
    CONTACTS = "contacts"
    """Outreach contacts and the linking of an unidentified person to a client."""
    RATING = "rating"
    """Independence ratings (assessments)."""
    INSTRUMENT = "instrument"
    """Rating instruments (not client data)."""
    PLAN = "plan"
    """Individual plans and their versions."""
    DUE = "due"
    """What is due: plan actions and follow-ups with dates."""
    USERS = "users"
    """User accounts and passwords."""
    TEAM = "team"
    """Teams and their members (the team area)."""
    BACKUPS = "backups"
    """The backups on disk."""
    RETENTION = "retention"
    """Retention rules, holds and purges."""


def _kinds(kinds: ChangeKind | Iterable[ChangeKind]) -> frozenset[ChangeKind]:
    return frozenset((kinds,) if isinstance(kinds, ChangeKind) else kinds)


@dataclass(frozen=True)
class ChangeSet:
    """The kinds of data a use case changed, for which clients.

    ``client_ids`` empty means the change is not about particular clients (users, rules);
    ``everything`` means so much changed (an import, a restore, a purge) that every view
    should reload.
    """

    kinds: frozenset[ChangeKind] = field(default_factory=frozenset)
    client_ids: frozenset[int] = field(default_factory=frozenset)
    everything: bool = False

    @classmethod
    def of(cls, kinds: ChangeKind | Iterable[ChangeKind], *client_ids: int) -> ChangeSet:
        return cls(kinds=_kinds(kinds), client_ids=frozenset(client_ids))

    @classmethod
    def all(cls) -> ChangeSet:
        return cls(kinds=frozenset(ChangeKind), everything=True)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.kinds

    def touches(
        self, kinds: ChangeKind | Iterable[ChangeKind], client_id: int | None = None
    ) -> bool:
        """True when this changes any of ``kinds`` (for ``client_id``, when one is given)."""
        if self.everything:
            return True
        if not self.kinds & _kinds(kinds):
            return False
        return client_id is None or not self.client_ids or client_id in self.client_ids

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(
            kinds=self.kinds | other.kinds,
            client_ids=self.client_ids | other.client_ids,
            everything=self.everything or other.everything,
        )


NO_CHANGES = ChangeSet()


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a mutating service returns: its plain result and what it changed."""

    value: T
    changes: ChangeSet = NO_CHANGES
