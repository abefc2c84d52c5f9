"""First start: create the administrator, the key file and the encrypted database."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from hemlos_desktop import APP_NAME
from hemlos_desktop.errors import HemlosError, InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.password_rules import password_problem
from hemlos_desktop.models.people import Role, User
from hemlos_desktop.services.session import SignedIn, actor_for_login
from hemlos_desktop.services.users import create_user
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import (
    PRODUCTION_PARAMS,
    Argon2Params,
    KeyStore,
    encrypt_database_in_place,
    normalize_username,
)
from hemlos_desktop.storage.errors import classify
from hemlos_desktop.storage.files import write_text_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SetupResult:
    signed_in: SignedIn
    recovery_key: str  # shown once, for printing; never stored by the program


def configured_backup_folders(backup_dir: str) -> list[Path]:
    """The configured backup folder (the ``backup_dir`` setting) as a list, empty if unset."""
    return [Path(backup_dir.strip()).expanduser()] if backup_dir.strip() else []


def needs_setup(location: DataLocation) -> bool:
    """Whether the data folder has no key file yet (first start, or a database from before
    encryption)."""
    return not KeyStore.exists(location)


def validate_new_account(username: str, display_name: str, password: str, repeat: str) -> str:
    """The first problem with the entered account details, or '' when they are fine."""
    if not normalize_username(username):
        return _("Enter a user name.")
    if not display_name.strip():
        return _("Enter the name to show for the user.")
    if not password:
        return _("Enter a password.")
    problem = password_problem(password, username)
    if problem:
        return problem
    if password != repeat:
        return _("The two passwords are not the same.")
    return ""


def create_administrator(
    location: DataLocation,
    *,
    username: str,
    display_name: str,
    password: str,
    params: Argon2Params = PRODUCTION_PARAMS,
    backup_folders: Sequence[Path] = (),
) -> SetupResult:
    """Create the key file with the administrator's slot and the recovery key, encrypt the
    database (a new one, or an existing plain one in place, with its plain backups, also those
    in ``backup_folders``, and files kept aside) and sign the administrator in."""
    name = normalize_username(username)
    if not name or not display_name.strip():
        raise InvalidInputError(_("Enter a user name."), field="username")
    data_key, recovery = KeyStore.create(
        location, admin_username=name, password=password, params=params
    )
    if location.database.exists():
        encrypt_database_in_place(location, data_key, backup_folders=backup_folders)
    db = open_workspace(location, key=data_key)
    try:
        with db.begin() as session:
            user = session.scalar(select(User).where(User.username == name))
            if user is None:
                create_user(
                    session,
                    username=name,
                    display_name=display_name.strip(),
                    role=Role.ADMIN,
                    team_ids=[],
                )
            else:
                user.role = Role.ADMIN.value
                user.active = True
        actor = actor_for_login(db, name)
    except BaseException:
        db.dispose()
        raise
    log.info("administrator and key file created")
    return SetupResult(SignedIn(db=db, actor=actor, data_key=data_key), recovery)


class RecoveryKeyFileError(HemlosError):
    """The recovery key could not be saved to the chosen file."""

    def title(self) -> str:
        return _("The recovery key could not be saved")

    def message(self) -> str:
        return _("The file could not be written to the chosen place.")

    def advice(self) -> str:
        return _("Choose another folder or file name, or write the key down by hand.")


def save_recovery_key(path: Path, recovery_key: str) -> None:
    """Write the recovery key to a text file the person chose (atomically)."""
    text = _("{app} recovery key").format(app=APP_NAME) + "\n\n" + recovery_key + "\n"
    try:
        write_text_atomic(path, text)
    except HemlosError:
        raise
    except OSError as exc:
        known = classify(exc)
        raise known if known is not None else RecoveryKeyFileError(f"errno {exc.errno}") from exc
