"""User sub-commands for IT: ``users add``, ``users deactivate``, ``users list`` and
``recovery-key --new`` (administrators only; each is logged)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from hemlos_desktop.cli.common import (
    actor_without_sign_in_entry,
    add_data_dir,
    add_user,
    location_from,
    read_new_password,
    unlock_for_command,
)
from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _

if TYPE_CHECKING:
    from hemlos_desktop.services.actor import Actor
    from hemlos_desktop.storage import Database

ENV_NEW_PASSWORD = "HEMLOS_NEW_PASSWORD"
ROLE_NAMES = {
    "admin": "admin",
    "lead": "team_lead",
    "caseworker": "caseworker",
    "auditor": "read_only",
}


def register(sub: Any) -> None:
    users = sub.add_parser("users", help="add, deactivate and list users (administrators)")
    users_sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = users_sub.add_parser("add", help="create a user with a first password")
    add.add_argument("name", metavar="NAME", help="the user name to sign in with")
    add.add_argument("--role", required=True, choices=sorted(ROLE_NAMES), help="the user's role")
    add.add_argument(
        "--team", action="append", default=[], metavar="TEAM", help="a team (repeatable)"
    )
    add.add_argument("--display-name", metavar="TEXT", help="name shown in the program")
    deactivate = users_sub.add_parser(
        "deactivate", help="deactivate a user and give the database a new key"
    )
    deactivate.add_argument("name", metavar="NAME")
    listing = users_sub.add_parser("list", help="list the users")
    listing.add_argument("--json", action="store_true", help="print one JSON array on stdout")
    for parser in (add, deactivate, listing):
        add_data_dir(parser)
        add_user(parser)
    add.set_defaults(handler=_cmd_add)
    deactivate.set_defaults(handler=_cmd_deactivate)
    listing.set_defaults(handler=_cmd_list)

    recovery = sub.add_parser("recovery-key", help="replace the recovery key (administrators)")
    recovery.add_argument(
        "--new", action="store_true", required=True, help="make a new recovery key"
    )
    add_data_dir(recovery)
    add_user(recovery)
    recovery.set_defaults(handler=_cmd_recovery_key)


@contextmanager
def _signed_in(args: argparse.Namespace) -> Iterator[tuple[Database, Actor]]:
    """The database and the acting user (no separate sign-in entry: each command logs itself)."""
    from hemlos_desktop.services.workspace import open_workspace

    location = location_from(args)
    username, key = unlock_for_command(args, location)
    db = open_workspace(location, key=key)
    try:
        yield db, actor_without_sign_in_entry(db, username)
    finally:
        db.dispose()


def _cmd_add(args: argparse.Namespace) -> int:
    from hemlos_desktop.models.people import Role
    from hemlos_desktop.services import accounts, users

    with _signed_in(args) as (db, actor):
        accounts.require_admin(actor)
        teams = {team.name.casefold(): team.id for team in users.list_teams(db)}
        unknown = [name for name in args.team if name.casefold() not in teams]
        if unknown:
            raise InvalidInputError(
                _("No team is called {name}.").format(name=unknown[0]), field="team"
            )
        password = read_new_password(
            _("First password for {name}: ").format(name=args.name),
            username=args.name,
            variable=ENV_NEW_PASSWORD,
        )
        info = accounts.add_account(
            db, actor, db.data_key, username=args.name,
            display_name=args.display_name or args.name, role=Role(ROLE_NAMES[args.role]),
            team_ids=[teams[name.casefold()] for name in args.team], password=password,
        ).value  # fmt: skip
    print(_("The user {name} was created.").format(name=info.username))
    return 0


def _cmd_deactivate(args: argparse.Namespace) -> int:
    from hemlos_desktop.services import accounts, users
    from hemlos_desktop.storage.instance import InstanceLock

    location = location_from(args)
    # The database gets a new key: no program may have it open meanwhile.
    with InstanceLock(location), _signed_in(args) as (db, actor):
        accounts.require_admin(actor)
        found = next((u for u in users.list_users(db) if u.username == args.name.casefold()), None)
        if found is None:
            raise InvalidInputError(_("No user is called {name}.").format(name=args.name))
        lost = accounts.deactivate(db, actor, found.id).value
    print(
        _("The user {name} was deactivated; the database has a new key.").format(
            name=found.username
        )
    )
    if lost:
        print(
            _("These users need a new password before they can sign in again: {names}").format(
                names=", ".join(name or _("(recovery key)") for name in lost)
            )
        )
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from hemlos_desktop.models.people import ROLE_LABELS
    from hemlos_desktop.services import accounts

    with _signed_in(args) as (db, actor):
        found = accounts.list_accounts(db, actor)
    codes = {value: key for key, value in ROLE_NAMES.items()}
    if args.json:
        rows = [
            {"name": u.username, "display_name": u.display_name, "role": codes[u.role.value],
             "active": u.active}
            for u in found
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for user in found:
        state = _("active") if user.active else _("deactivated")
        print(f"{user.username}\t{_(ROLE_LABELS[user.role])}\t{state}\t{user.display_name}")
    return 0


def _cmd_recovery_key(args: argparse.Namespace) -> int:
    from hemlos_desktop.services import accounts

    with _signed_in(args) as (db, actor):
        text = accounts.replace_recovery_key(db, actor)
    print(_("New recovery key (shown only now; print it and keep it locked away):"))
    print(text)
    print(_("The old recovery key no longer opens the database."))
    return 0
