"""Who a new client belongs to, and whether a save would hide a client from its author."""

from __future__ import annotations

from dataclasses import dataclass

from hemlos_desktop.models.client_rules import ClientInput
from hemlos_desktop.services.actor import Actor


@dataclass(frozen=True)
class Assignment:
    """Who is responsible for a client and which team holds them."""

    responsible_user_id: int | None
    team_id: int | None


def author_defaults(actor: Actor) -> Assignment:
    """What a new client starts with: a caseworker or team lead who registers (or imports) a
    client is responsible for them, in their own team (the lowest-numbered if several), so the
    client never vanishes from the list of the person who registered them. Administrators see
    every team and start with no one and no team (they assign)."""
    if actor.sees_all_teams:
        return Assignment(None, None)
    team = min(actor.team_ids) if actor.team_ids else None
    return Assignment(actor.user_id, team)


def hides_from_author(actor: Actor, data: ClientInput, *, new: bool) -> bool:
    """Whether saving ``data`` would leave a client that ``actor`` can no longer see (the
    visibility rule of ``visible_clients_clause``, applied before the save; a new client gets
    ``author_defaults`` for what is left empty)."""
    responsible, team = data.responsible_user_id, data.team_id
    if new:
        defaults = author_defaults(actor)
        team = defaults.team_id if team is None else team
        if responsible is None and (data.protected_identity or defaults.responsible_user_id):
            responsible = actor.user_id
    mine = responsible == actor.user_id
    if data.protected_identity and not mine:
        return True
    if actor.sees_all_teams:
        return False
    return not mine and team not in actor.team_ids
