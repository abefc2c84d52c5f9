"""Signing in: unlock the data folder's key, open the database, find the acting user.

One function serves the GUI, the command line, tools and tests. A data folder without a key
file (``hemlos.keys``) holds a plain database from before encryption (or a test's): it opens as
before and the password is not needed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.base import utcnow
from hemlos_desktop.models.people import User
from hemlos_desktop.services import audit
from hemlos_desktop.services.actor import Actor, actor_for_user
from hemlos_desktop.services.unlock import (
    DEMO_MARKER_FILE,
    is_demo_folder,
    is_encrypted_folder,
    throttle_remaining,
    unlock_key,
)
from hemlos_desktop.services.workspace import open_existing_workspace
from hemlos_desktop.storage import Database, DataLocation
from hemlos_desktop.storage.crypto import (
    PRODUCTION_PARAMS,
    Argon2Params,
    UnlockError,
    normalize_username,
)

log = logging.getLogger(__name__)

# The sign-in dialog's part lives in services.unlock (no SQLAlchemy); these names stay here too.
__all__ = [
    "DEMO_MARKER_FILE",
    "InactiveAccountError",
    "SignedIn",
    "is_demo_folder",
    "is_encrypted_folder",
    "throttle_remaining",
    "unlock_key",
]


class InactiveAccountError(UnlockError):
    """The password opened a slot, but the account is deactivated or missing in the database."""

    def title(self) -> str:
        return _("Account not active")

    def message(self) -> str:
        return _("This account has been deactivated or does not exist in the database.")

    def advice(self) -> str:
        return _("Ask your administrator to activate the account.")


@dataclass(frozen=True)
class SignedIn:
    """An open database, the signed-in user and the data key (None for a plain database)."""

    db: Database
    actor: Actor
    data_key: bytes | None


def check_password(
    location: DataLocation, username: str, password: str, *, held_key: bytes | None
) -> None:
    """Raise a known error unless ``password`` is ``username``'s *and* opens the key the program
    holds (``held_key``), the lock screen's check: a missing key file (KeyFileMissingError), a
    foreign one or a plain database (WrongPasswordError) never unlocks."""
    import hmac

    from hemlos_desktop.storage.crypto import WrongPasswordError

    if held_key is None:
        raise WrongPasswordError("no key held: a plain database never unlocks")
    key = unlock_key(location, username, password, wait=False)
    if not hmac.compare_digest(key, held_key):
        raise WrongPasswordError("the key file is not this database's")


def actor_for_login(db: Database, username: str) -> Actor:
    """The active user ``username`` (normalised); records the time of the sign-in."""
    name = normalize_username(username)
    with db.begin() as session:
        user = session.scalar(select(User).where(User.username == name))
        if user is None or not user.active:
            raise InactiveAccountError("no active user for the slot")
        user.last_login_at = utcnow()
        actor = actor_for_user(session, user)
        audit.record(session, actor, AuditAction.LOGIN)
        return actor


def find_login_actor(db: Database, username: str) -> Actor:
    """The active user ``username`` (normalised), read only. The program shows the client list
    with it at once and records the sign-in with :func:`record_login` in the background: that
    write waits for the start's integrity check, which reads the whole file."""
    name = normalize_username(username)
    with db.read() as session:
        user = session.scalar(select(User).where(User.username == name))
        if user is None or not user.active:
            raise InactiveAccountError("no active user for the slot")
        return actor_for_user(session, user)


def record_login(db: Database, actor: Actor) -> None:
    """Record the sign-in of ``actor`` (found by :func:`find_login_actor`): its time and the
    access-log entry, as :func:`actor_for_login` does in one step."""
    with db.begin() as session:
        user = session.get(User, actor.user_id)
        if user is None or not user.active:
            raise InactiveAccountError("no active user for the slot")
        user.last_login_at = utcnow()
        audit.record(session, actor, AuditAction.LOGIN)


def record_unlock(db: Database, actor: Actor) -> None:
    """Log that ``actor`` unlocked the locked program with their password."""
    with db.begin() as session:
        audit.record(session, actor, AuditAction.UNLOCK)


def open_with_key(location: DataLocation, username: str, data_key: bytes | None) -> SignedIn:
    """Open the database with a key already unlocked and find the user."""
    from hemlos_desktop.services.users import ensure_local_actor

    db = open_existing_workspace(location, key=data_key)
    try:
        if data_key is None and not username:
            actor = ensure_local_actor(db)
        else:
            actor = actor_for_login(db, username)
    except BaseException:
        db.dispose()
        raise
    db.acting_user = (actor.user_id, actor.username)
    return SignedIn(db=db, actor=actor, data_key=data_key)


def unlock(
    location: DataLocation,
    username: str,
    password: str,
    *,
    params: Argon2Params = PRODUCTION_PARAMS,
    wait: bool = True,
) -> SignedIn:
    """Sign in: unlock the key (if the folder has one), open the database, find the user.

    Without a key file the database opens plain and the password is ignored; an empty
    ``username`` then means the first administrator (databases from before sign-in).
    """
    key: bytes | None = None
    if is_encrypted_folder(location):
        key = unlock_key(location, username, password, params=params, wait=wait)
    try:
        return open_with_key(location, username, key)
    except HemlosError as exc:
        log.info("sign-in failed after unlocking: %s", type(exc).__name__)
        raise
