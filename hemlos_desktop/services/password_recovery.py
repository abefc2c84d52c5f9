"""Resetting a password with the recovery key (the printed key from the first start).

Used by the sign-in dialog's "Forgot the password?" and by ``hemlos-desktop reset-password``.
The recovery key is checked first, without changing anything; then, in one transaction, the
reset is written to the access log and the account's key slot gets the new password. The data
key is returned so that the person can go on to sign in.

An administrator's reset of another user's password (with the data key of a signed-in
session) is :func:`hemlos_desktop.services.accounts.reset_password`.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.audit import AuditAction
from hemlos_desktop.models.people import User
from hemlos_desktop.services import audit, server_roles
from hemlos_desktop.services.actor import actor_for_user
from hemlos_desktop.services.session import InactiveAccountError
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import (
    PRODUCTION_PARAMS,
    Argon2Params,
    KeyStore,
    normalize_username,
)

log = logging.getLogger(__name__)

AUDIT_DETAIL = "password reset with recovery key"


def validate_new_password(password: str, repeat: str | None = None, *, username: str = "") -> None:
    """InvalidInputError (translated, naming the field) for an empty or mistyped new password,
    or one that breaks a password rule."""
    from hemlos_desktop.models.password_rules import password_problem

    if not password:
        raise InvalidInputError(_("Enter a user name and a new password."), field="password")
    problem = password_problem(password, username)
    if problem:
        raise InvalidInputError(problem, field="password")
    if repeat is not None and password != repeat:
        raise InvalidInputError(_("The two passwords are not the same."), field="repeat")


def reset_password_with_recovery_key(
    location: DataLocation,
    username: str,
    recovery_key: str,
    new_password: str,
    *,
    params: Argon2Params = PRODUCTION_PARAMS,
    wait: bool = True,
) -> bytes:
    """Give ``username`` the password ``new_password``, proven by the recovery key.

    Returns the data key. Raises RecoveryKeyTypoError / WrongRecoveryKeyError for a bad key
    (nothing changed), InactiveAccountError when the account is missing or deactivated,
    InvalidInputError for an empty user name or password, and the key store's errors
    (KeyFileMissingError, UnlockThrottledError with ``wait=False``).
    """
    name = normalize_username(username)
    if not name:
        raise InvalidInputError(_("Enter a user name and a new password."), field="username")
    validate_new_password(new_password, username=name)
    store = KeyStore.load(location, params=params)
    data_key = store.unlock_with_recovery(recovery_key, wait=wait)
    db = open_workspace(location, key=data_key)
    try:
        with db.begin() as session:
            user = session.scalar(select(User).where(User.username == name))
            if user is None or not user.active:
                raise InactiveAccountError("no active user for the reset")
            actor = actor_for_user(session, user)
            audit.record(session, actor, AuditAction.USER_ADMIN, detail=AUDIT_DETAIL)
            # The team server's role gets the new password with the next sync, as for a
            # password changed by the person (services/server_roles.py).
            server_roles.queue_login(session, user.id, password=new_password, login=True)
            # Last inside the transaction: if the key file cannot be written, the log entry is
            # rolled back with it.
            store.set_password(data_key, name, new_password)
    finally:
        db.dispose()
    log.info("a password was reset with the recovery key")
    return data_key
