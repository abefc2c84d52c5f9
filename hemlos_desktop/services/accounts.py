"""User administration with passwords: the administrator creates users, resets passwords and
deactivates accounts; every user changes their own password.

The user row lives in the database, the password in the key file (one key slot per user, which
opens the database's data key). Both are changed together here; deactivating a user and an
administrator's password reset also give the database a new data key (revocation). A data
folder without a key file (a plain database from before encryption) keeps only the user rows.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError, NotFoundError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.password_rules import password_problem
from hemlos_desktop.models.people import Role, TeamMember, User
from hemlos_desktop.services import audit, server_roles
from hemlos_desktop.services.actor import Actor
from hemlos_desktop.services.changes import ChangeKind, ChangeSet, Outcome
from hemlos_desktop.services.users import UserInfo, create_user
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.crypto import KeyStore, normalize_username
from hemlos_desktop.storage.crypto.revocation import Progress, rekey_database

log = logging.getLogger(__name__)


_USERS = ChangeSet.of(ChangeKind.USERS)


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise AccessDeniedError("administrators only")


def _check_password(password: str, username: str) -> None:
    """InvalidInputError (for the password field) when ``password`` breaks a password rule."""
    if not password:
        raise InvalidInputError(_("Enter a password."), field="password")
    problem = password_problem(password, username)
    if problem:
        raise InvalidInputError(problem, field="password")


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
    _check_password(password, name)
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
        server_roles.queue_login(session, user.id, password=password, login=True)
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
    db: Database,
    actor: Actor,
    data_key: bytes | None,
    user_id: int,
    password: str,
    *,
    progress: Progress | None = None,
) -> Outcome[tuple[str, ...]]:
    """Give a user a new password and reactivate the account (administrators only).

    The database gets a new data key: the user's old password, and any copy of the key file
    holding it, no longer opens it. Returns the users whose slots could not follow the new key
    (slots from before key pairs that were never unlocked since; they need a reset too).
    """
    require_admin(actor)
    store = _store(db)
    with db.read() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("no such user")
        username = user.username
    _check_password(password, username)
    lost: tuple[str, ...] = ()
    if store is not None:
        if data_key is None or db.data_key is None:
            raise AccessDeniedError("no data key")
        lost = rekey_database(db, store, new_password=(username, password), progress=progress).lost
    with db.begin() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.active = True
            server_roles.queue_login(session, user.id, password=password, login=True)
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="password reset")
    return Outcome(lost, _USERS)


def deactivate(
    db: Database, actor: Actor, user_id: int, *, progress: Progress | None = None
) -> Outcome[tuple[str, ...]]:
    """Deactivate an account and revoke its password (administrators only; not oneself).

    The slot is removed and the database gets a new data key, so neither the password nor a
    copy of the key file from before opens it. Returns the users whose slots could not follow
    the new key (see :func:`reset_password`).
    """
    require_admin(actor)
    if user_id == actor.user_id:
        raise InvalidInputError(_("You cannot deactivate your own account."), field="user")
    store = _store(db)
    with db.read() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError("no such user")
        username = user.username
    lost: tuple[str, ...] = ()
    if store is not None and db.data_key is not None:
        lost = rekey_database(db, store, remove_user=username, progress=progress).lost
    with db.begin() as session:
        user = session.get(User, user_id)
        if user is not None:
            user.active = False
            server_roles.queue_login(session, user.id, password=None, login=False)
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="user deactivated")
    return Outcome(lost, _USERS)


def change_own_password(
    db: Database, actor: Actor, old_password: str, new_password: str
) -> Outcome[None]:
    """The signed-in user changes their password (WrongPasswordError for a wrong old one)."""
    _check_password(new_password, actor.username)
    store = _store(db)
    if store is None:
        return Outcome(None)
    store.change_password(actor.username, old_password, new_password)
    with db.begin() as session:
        server_roles.queue_login(session, actor.user_id, password=new_password, login=True)
        audit.record(session, actor, AuditAction.PASSWORD, detail="own password changed")
    log.info("a user changed their password")
    return Outcome(None, _USERS)


def list_accounts(db: Database, actor: Actor) -> list[UserInfo]:
    """Every user with role and state (administrators only; the listing is logged)."""
    from hemlos_desktop.services.users import list_users

    require_admin(actor)
    found = list_users(db)
    with db.begin() as session:
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="users listed")
    return found


def replace_recovery_key(db: Database, actor: Actor) -> str:
    """A new recovery key (the old one stops opening the database); administrators only.
    Returns its text, to be shown once for printing."""
    require_admin(actor)
    store = _store(db)
    if store is None or db.data_key is None:
        raise AccessDeniedError("no key file")
    text = store.replace_recovery_key(db.data_key)
    with db.begin() as session:
        audit.record(session, actor, AuditAction.USER_ADMIN, detail="recovery key replaced")
    return text
