"""User administration with passwords: the administrator creates users, resets passwords and
deactivates accounts; every user changes their own password.

The user row lives in the database, the password in the key file (one key slot per user, which
wraps the database's data key). Both are changed together here. A data folder without a key
file (a plain database from before encryption) keeps only the user rows.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.people import Role, TeamMember, User
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.users import UserInfo, create_user
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.crypto import KeyStore, NoSuchUserSlot, normalize_username

log = logging.getLogger(__name__)


_USERS = ChangeSet.of(ChangeKind.USERS)


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise AccessDeniedError("administrators only")


def _store(db: Database) -> KeyStore | None:
    return KeyStore.load(db.location) if KeyStore.exists(db.location) else None


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.display_name, Role(user.role), user.active)


def add_account(
    db: Database,
    actor: Actor,
    data_key: bytes | None,
    *,
    username: str,
    display_name: str,
    role: Role,
    team_ids: list[int],
    password: str,
) -> Outcome[UserInfo]:
    """Create a user with an initial password (administrators only)."""
    require_admin(actor)
    name = normalize_username(username)
    if not name:
        raise InvalidInputError(_("Enter a user name."), field="username")
    if not display_name.strip():
        raise InvalidInputError(_("Enter the name to show for the user."), field="display_name")
    if not password:
        raise InvalidInputError(_("Enter a password."), field="password")
    store = _store(db)
    with db.begin() as session:
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise InvalidInputError(_("A user with this name exists already."), field="username")
        user = create_user(
            session, username=name, display_name=display_name.strip(), role=role, team_ids=team_ids
        )
        if store is not None:
            if data_key is None:
                raise AccessDeniedError("no data key")
            store.add_slot(data_key, name, password)
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="user created")
        return Outcome(_info(user), _USERS)


def update_account(
    db: Database, actor: Actor, user_id: int, *, display_name: str, role: Role, team_ids: list[int]
) -> Outcome[UserInfo]:
    """Change a user's shown name, role and teams (administrators only)."""
    require_admin(actor)
    with db.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("no such user")
        if user.id == actor.user_id and role is not Role.ADMIN:
            raise InvalidInputError(
                _("You cannot take the administrator role from yourself."), field="role"
            )
        user.display_name = display_name.strip() or user.display_name
        user.role = role.value
        session.execute(delete(TeamMember).where(TeamMember.user_id == user.id))
        for team_id in team_ids:
            session.add(TeamMember(team_id=team_id, user_id=user.id))
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="user changed")
        # A new role or other teams change which clients the user sees.
        return Outcome(_info(user), ChangeSet.of({ChangeKind.USERS, ChangeKind.TEAM}))


def reset_password(
    db: Database, actor: Actor, data_key: bytes | None, user_id: int, password: str
) -> Outcome[None]:
    """Give a user a new password, and reactivate the account (administrators only)."""
    require_admin(actor)
    if not password:
        raise InvalidInputError(_("Enter a password."), field="password")
    store = _store(db)
    with db.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("no such user")
        user.active = True
        if store is not None:
            if data_key is None:
                raise AccessDeniedError("no data key")
            store.set_password(data_key, user.username, password)
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="password reset")
    return Outcome(None, _USERS)


def deactivate(db: Database, actor: Actor, user_id: int) -> Outcome[None]:
    """Deactivate an account and remove its password (administrators only; not oneself)."""
    require_admin(actor)
    if user_id == actor.user_id:
        raise InvalidInputError(_("You cannot deactivate your own account."), field="user")
    store = _store(db)
    with db.begin() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("no such user")
        user.active = False
        if store is not None:
            try:
                store.remove_slot(user.username)
            except NoSuchUserSlot:
                pass
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="user deactivated")
    return Outcome(None, _USERS)


def change_own_password(
    db: Database, actor: Actor, old_password: str, new_password: str
) -> Outcome[None]:
    """The signed-in user changes their password (WrongPasswordError for a wrong old one)."""
    if not new_password:
        raise InvalidInputError(_("Enter a password."), field="password")
    store = _store(db)
    if store is None:
        return Outcome(None)
    store.change_password(actor.username, old_password, new_password)
    log.info("a user changed their password")
    return Outcome(None, _USERS)
