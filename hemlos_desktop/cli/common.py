"""Helpers shared by the sub-command modules: common options, locating and opening the database,
and reading the user's credentials (``--user``/$HEMLOS_USER, $HEMLOS_PASSWORD or a prompt)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hemlos_desktop import ENV_PASSWORD, ENV_USER
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext
from hemlos_desktop.storage import paths
from hemlos_desktop.storage.paths import DataLocation

if TYPE_CHECKING:
    from hemlos_desktop.services.actor import Actor
    from hemlos_desktop.storage import Database


Handler = Callable[[argparse.Namespace], int]


class PasswordNeededError(HemlosError):
    """The database is encrypted, no password was given and there is no terminal to ask."""

    def title(self) -> str:
        return _("Password needed")

    def message(self) -> str:
        return _("The database is encrypted and no password was given.")

    def advice(self) -> str:
        return _(
            "Set HEMLOS_PASSWORD, or run the command in a terminal to be asked for the password."
        )


class UserNeededError(HemlosError):
    def title(self) -> str:
        return _("User name needed")

    def message(self) -> str:
        return _("The database is encrypted and no user name was given.")

    def advice(self) -> str:
        return _("Give the user name with --user or HEMLOS_USER.")


def add_data_dir(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        # On sub-commands the option must not reset a value given before the sub-command.
        default=None if top_level else argparse.SUPPRESS,
        help="data folder (default: $HEMLOS_DATA_DIR or the platform's user data folder)",
    )


def location_from(args: argparse.Namespace, *, demo: bool = False) -> DataLocation:
    """The data folder a command works on, in the same order as the GUI: --data-dir,
    $HEMLOS_DATA_DIR, ``data_dir`` from the settings (user or system-wide), the default."""
    if demo:
        fallback = paths.demo_data_dir()
    else:
        from hemlos_desktop.settings import SettingsStore

        configured = SettingsStore().load().data_dir
        fallback = Path(configured).expanduser() if configured else paths.default_data_dir()
    return DataLocation.resolve(getattr(args, "data_dir", None), fallback=fallback)


def add_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="user name to act as (default: $HEMLOS_USER)",
    )


def username_from(args: argparse.Namespace) -> str:
    return str(getattr(args, "user", None) or os.environ.get(ENV_USER, ""))


def read_password(prompt: str = "") -> str:
    """$HEMLOS_PASSWORD, or a prompt only when standard input is a terminal (asked once).

    PasswordNeededError when neither is available.
    """
    from_env = os.environ.get(ENV_PASSWORD)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise PasswordNeededError("no password and no terminal")
    import getpass

    return getpass.getpass(prompt or _("Password: "))


def read_new_password(prompt: str, *, username: str = "", variable: str = ENV_PASSWORD) -> str:
    """A new password: from ``variable`` ($HEMLOS_PASSWORD), or typed twice at a terminal (a
    mismatch exits 1). One that breaks a password rule exits 1 with the rule."""
    from hemlos_desktop.errors import InvalidInputError
    from hemlos_desktop.models.password_rules import password_problem

    if variable in os.environ:
        first = os.environ[variable]
    else:
        if not sys.stdin.isatty():
            raise PasswordNeededError("no password and no terminal")
        import getpass

        first = getpass.getpass(prompt)
        if getpass.getpass(_("Repeat the password: ")) != first:
            raise InvalidInputError(_("The two passwords are not the same."), field="password")
    problem = password_problem(first, username)
    if problem:
        raise InvalidInputError(problem, field="password")
    return first


def unlock_for_command(
    args: argparse.Namespace, location: DataLocation, *, allow_plain: bool = False
) -> tuple[str, bytes | None]:
    """(user name, data key) for a command.

    A missing database raises NoDatabaseError (commands never create one; ``init --admin``
    does). A plain database from before encryption raises NotEncryptedError unless
    ``allow_plain`` (``check`` only reads it; the key is then None). A wrong password raises
    WrongPasswordError (exit 1), never asks again.
    """
    from hemlos_desktop.services.session import is_encrypted_folder, unlock_key
    from hemlos_desktop.storage.crypto import NoDatabaseError, NotEncryptedError

    username = username_from(args)
    if not is_encrypted_folder(location):
        if not location.database.exists():
            raise NoDatabaseError("no database and no key file")
        if not allow_plain:
            raise NotEncryptedError("plain database")
        return username, None
    if not username:
        raise UserNeededError("no user name")
    password = read_password()
    return username, unlock_key(location, username, password)


def key_for_command(
    args: argparse.Namespace, location: DataLocation, *, allow_plain: bool = False
) -> bytes | None:
    """The data key for a command that needs no user record (check, verify)."""
    return unlock_for_command(args, location, allow_plain=allow_plain)[1]


def actor_without_sign_in_entry(db: Database, username: str) -> Actor:
    """The active user ``username`` of an open database, for a command that logs its own
    action (backup, restore) and so writes no separate sign-in entry. A plain database (from
    before sign-in) acts as its first administrator."""
    from hemlos_desktop.services.session import InactiveAccountError
    from hemlos_desktop.services.users import actor_by_username, ensure_local_actor

    if db.data_key is None:
        return ensure_local_actor(db)
    try:
        return actor_by_username(db, username)
    except HemlosError as exc:
        raise InactiveAccountError("no active user for the slot") from exc


def open_for_command(args: argparse.Namespace) -> tuple[Database, Actor]:
    """Open the (encrypted) database of a command and sign in the acting user (--user or
    $HEMLOS_USER; the password from $HEMLOS_PASSWORD or a terminal prompt). Never creates a
    database and never opens a plain one."""
    from hemlos_desktop.services.session import open_with_key

    location = location_from(args)
    username, key = unlock_for_command(args, location)
    signed_in = open_with_key(location, username, key)
    return signed_in.db, signed_in.actor


def print_import_problems(problems: Sequence[object]) -> bool:
    """Print an all-or-nothing import's problems (the first ones) and the "Nothing was
    imported" count to stderr; True when there were any (the command then exits 1)."""
    from hemlos_desktop.services.client_io import MAX_PROBLEMS_SHOWN

    if not problems:
        return False
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        # The "line N: column:" prefix is a fixed, machine-readable format; the reason is
        # translated.
        print(str(problem), file=sys.stderr)
    print(
        ngettext(
            "Nothing was imported: {count} problem in the file.",
            "Nothing was imported: {count} problems in the file.",
            len(problems),
        ).format(count=len(problems)),
        file=sys.stderr,
    )
    return True
