"""Users and teams: who works in the program and in which team."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemlos_desktop.errors import NotFoundError
from hemlos_desktop.i18n import current_language
from hemlos_desktop.models.people import Role, Team, TeamMember, User
from hemlos_desktop.services.actor import Actor, actor_for_user
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.crypto import normalize_username

LOCAL_ADMIN = "admin"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str


def create_user(
    session: Session, *, username: str, display_name: str, role: Role, team_ids: list[int]
) -> User:
    user = User(username=normalize_username(username), display_name=display_name, role=role.value)
    session.add(user)
    session.flush()
    for team_id in team_ids:
        session.add(TeamMember(team_id=team_id, user_id=user.id))
    return user


def create_team(session: Session, name: str) -> Team:
    team = Team(name=name)
    session.add(team)
    session.flush()
    return team


def ensure_local_actor(db: Database, *, display_name: str = "Administrator") -> Actor:
    """The acting user on a database without sign-in: the first active administrator.

    A new database gets one administrator account; sign-in replaces this when it is enabled.
    """
    with db.begin() as session:
        user = session.scalar(
            select(User)
            .where(User.role == Role.ADMIN.value, User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        )
        if user is None:
            user = create_user(
                session,
                username=LOCAL_ADMIN,
                display_name=display_name,
                role=Role.ADMIN,
                team_ids=[],
            )
        return actor_for_user(session, user)


def actor_by_username(db: Database, username: str) -> Actor:
    with db.read() as session:
        name = normalize_username(username)
        user = session.scalar(select(User).where(User.username == name, User.active))
        if user is None:
            raise NotFoundError("no such user")
        return actor_for_user(session, user)


def list_users(db: Database) -> list[UserInfo]:
    with db.read() as session:
        return [
            UserInfo(u.id, u.username, u.display_name, Role(u.role), u.active)
            for u in session.scalars(
                select(User).order_by(func.hemlos_sort_key(User.display_name, current_language()))
            )
        ]


def list_teams(db: Database) -> list[TeamInfo]:
    with db.read() as session:
        return [
            TeamInfo(t.id, t.name)
            for t in session.scalars(
                select(Team).order_by(func.hemlos_sort_key(Team.name, current_language()))
            )
        ]
