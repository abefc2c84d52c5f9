"""Account sub-commands: ``reset-password NAME`` with the recovery key."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from hemlos_desktop.cli.common import add_data_dir, location_from
from hemlos_desktop.errors import CorruptDatabaseError, HemlosError, InvalidInputError
from hemlos_desktop.i18n import gettext as _

ENV_RECOVERY_KEY = "HEMLOS_RECOVERY_KEY"
ENV_NEW_PASSWORD = "HEMLOS_NEW_PASSWORD"


class RecoveryKeyNeededError(HemlosError):
    """No recovery key was given and there is no terminal to ask for it."""

    def title(self) -> str:
        return _("Recovery key needed")

    def message(self) -> str:
        return _("No recovery key was given.")

    def advice(self) -> str:
        return _(
            "Set HEMLOS_RECOVERY_KEY, or run the command in a terminal to be asked for the key."
        )


class NewPasswordNeededError(HemlosError):
    """No new password was given and there is no terminal to ask for it."""

    def title(self) -> str:
        return _("New password needed")

    def message(self) -> str:
        return _("No new password was given.")

    def advice(self) -> str:
        return _(
            "Set HEMLOS_NEW_PASSWORD, or run the command in a terminal to be asked for the "
            "new password."
        )


class NoPasswordsError(HemlosError):
    """The data folder holds a database from before sign-in: there is no password to reset."""

    def title(self) -> str:
        return _("No passwords in this data folder")

    def message(self) -> str:
        return _("This database has no passwords, so there is no password to reset.")

    def advice(self) -> str:
        return _("Set up sign-in with hemlos-desktop init --admin NAME.")


def register(sub: Any) -> None:
    reset = sub.add_parser(
        "reset-password", help="give an account a new password with the recovery key"
    )
    reset.add_argument("name", metavar="NAME", help="user name of the account")
    add_data_dir(reset)
    reset.set_defaults(handler=_cmd_reset_password)


def _read_recovery_key() -> str:
    from_env = os.environ.get(ENV_RECOVERY_KEY)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise RecoveryKeyNeededError("no recovery key and no terminal")
    import getpass

    return getpass.getpass(_("Recovery key: "))


def _read_new_password(name: str) -> str:
    from_env = os.environ.get(ENV_NEW_PASSWORD)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise NewPasswordNeededError("no new password and no terminal")
    import getpass

    first = getpass.getpass(_("New password for {name}: ").format(name=name))
    if getpass.getpass(_("Repeat the password: ")) != first:
        raise InvalidInputError(_("The two passwords are not the same."), field="password")
    return first


def _cmd_reset_password(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.password_recovery import reset_password_with_recovery_key
    from hemlos_desktop.services.session import is_encrypted_folder

    location = location_from(args)
    if not location.database.exists():
        raise CorruptDatabaseError("database file missing")
    if not is_encrypted_folder(location):
        raise NoPasswordsError("no key file")
    recovery_key = _read_recovery_key()
    password = _read_new_password(args.name)
    reset_password_with_recovery_key(location, args.name, recovery_key, password, wait=False)
    print(_("The password of {name} was reset.").format(name=args.name.strip()))
    return 0
