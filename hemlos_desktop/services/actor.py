"""Who is acting: the signed-in user, their role and teams. Access rules live here, not in widgets.

Every service that reads or changes client records takes an :class:`Actor`; the visibility rule
is one SQL clause (:func:`visible_clients_clause`) so lists, counts, exports and reports agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import ColumnElement, and_, false, literal_column, or_, select, true
from sqlalchemy.orm import Session

from hemlos_desktop.errors import AccessDeniedError, NotFoundError
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import Role, TeamMember, User
from hemlos_desktop.storage.database import SHARED_READ


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    display_name: str
    role: Role
    team_ids: frozenset[int]

    @property
    def can_write(self) -> bool:
        return self.role is not Role.READ_ONLY

    @property
    def sees_all_teams(self) -> bool:
        return self.role in (Role.ADMIN, Role.READ_ONLY)


def actor_for_user(session: Session, user: User) -> Actor:
    teams = frozenset(
        session.scalars(select(TeamMember.team_id).where(TeamMember.user_id == user.id))
    )
    return Actor(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team_ids=teams,
    )


def visible_clients_clause(actor: Actor) -> ColumnElement[bool]:
    """The clients ``actor`` may see.

    Administrators and auditors see every team; team leads and caseworkers see the clients of
    their own teams and the clients they are responsible for. A client with a protected identity
    is seen only by the person responsible for them.
    """
    # The columns are written as ``column + 0`` so that SQLite checks the rule on the rows it
    # reads in list order (from the sort index, which holds these columns) instead of gathering
    # the rows of each team from another index and sorting them all afterwards.
    responsible = Client.responsible_user_id + literal_column("0")
    mine = responsible == actor.user_id
    if actor.sees_all_teams:
        team_rule: ColumnElement[bool] = true()
    elif actor.team_ids:
        team = Client.team_id + literal_column("0")
        team_rule = or_(team.in_(sorted(actor.team_ids)), mine)
    else:
        team_rule = mine
    unprotected = Client.protected_identity.is_(false())
    # Likewise ``merged_into_id + 0``: almost every client is unmerged, and the index on
    # merged_into_id (there for the purge's lookups) must not replace the sort index here.
    unmerged = (Client.merged_into_id + literal_column("0")).is_(None)
    return and_(team_rule, or_(unprotected, mine), unmerged)


def require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise AccessDeniedError("read-only role")


def load_visible_client(session: Session, actor: Actor, client_id: int) -> Client:
    """The client row if ``actor`` may see it; NotFoundError otherwise (no hint it exists).

    In a shared read session (``Database.reading``: one snapshot, nothing written) the answer
    is kept for the session, so the several services that gather one document check once."""
    shared = session.info.get(SHARED_READ, False)
    key = ("hemlos_visible", actor, client_id)
    if shared and key in session.info:
        return cast(Client, session.info[key])
    client = session.scalar(
        select(Client).where(Client.id == client_id, visible_clients_clause(actor))
    )
    if client is None:
        raise NotFoundError("client not visible")
    if shared:
        session.info[key] = client
    return client
