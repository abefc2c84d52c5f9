"""What a service changed, so the UI refreshes only that."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    client_ids: frozenset[int] = field(default_factory=frozenset)
    # True when so much changed (import, restore) that every view should reload.
    everything: bool = False

    @classmethod
    def for_clients(cls, *ids: int) -> Changes:
        return cls(client_ids=frozenset(ids))
