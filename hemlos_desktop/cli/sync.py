"""Team-server sub-commands on a laptop: ``join``, ``sync`` and ``conflicts``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from typing import Any

from hemlos_desktop.cli.common import (
    UserNeededError,
    add_data_dir,
    add_user,
    location_from,
    read_password,
    username_from,
)
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext

ENV_PREVIOUS_PASSWORD = "HEMLOS_PREVIOUS_PASSWORD"


class ServerAddressNeededError(HemlosError):
    exit_code = 2

    def title(self) -> str:
        return _("Server address needed")

    def message(self) -> str:
        return _("No team server address was given and none is set up on this computer.")

    def advice(self) -> str:
        return _("Give it with --server postgresql://host/database, or ask IT to set it up.")


def register(sub: Any) -> None:
    join = sub.add_parser("join", help="join this computer to a team server (PostgreSQL)")
    join.add_argument(
        "--server",
        metavar="URL",
        help="the team server, e.g. postgresql://db.example/hemlos?sslmode=verify-full "
        "(default: the team_server_url setting)",
    )
    add_user(join)
    add_data_dir(join)
    join.set_defaults(handler=_cmd_join)

    sync = sub.add_parser("sync", help="send this computer's changes and receive the team's")
    add_user(sync)
    add_data_dir(sync)
    sync.set_defaults(handler=_cmd_sync)

    conflicts = sub.add_parser("conflicts", help="list values two people changed while apart")
    conflicts.add_argument("--json", action="store_true", help="one JSON array on stdout")
    conflicts.add_argument(
        "--all", action="store_true", help="include conflicts that have been decided"
    )
    add_user(conflicts)
    add_data_dir(conflicts)
    conflicts.set_defaults(handler=_cmd_conflicts)


def _username(args: argparse.Namespace) -> str:
    name = username_from(args)
    if name:
        return name
    if not sys.stdin.isatty():
        raise UserNeededError("no user name")
    return input(_("User name: ")).strip()


class _Progress:
    """Progress on a terminal (stderr), nothing when output goes to a file."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()

    def __call__(self, progress: Any) -> None:
        if not self.shown:
            return
        if progress.phase.value == "push":
            text = _("Sending: {done} of {total}").format(done=progress.done, total=progress.total)
        elif progress.phase.value == "pull":
            text = _("Receiving: {done}").format(done=progress.done)
        else:
            text = _("Copying the team's records: step {done} of {total}").format(
                done=progress.done, total=progress.total
            )
        print(f"\r{text}   ", end="", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def _cmd_join(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.sync_join import join
    from hemlos_desktop.settings import SettingsStore

    url = args.server or SettingsStore().load().team_server_url
    if not url:
        raise ServerAddressNeededError("no address")
    location = location_from(args)
    username = _username(args)
    password = read_password()
    progress = _Progress()
    try:
        result = join(location, url=url, username=username, password=password, progress=progress)
    finally:
        progress.end()
    result.signed_in.db.dispose()
    print(
        ngettext(
            "This computer joined the team server; {count} client was copied.",
            "This computer joined the team server; {count} clients were copied.",
            result.clients,
        ).format(count=result.clients)
    )
    print(_("Recovery key (shown only now; print it and keep it locked away):"))
    print(result.recovery_key)
    return 0


def _cmd_sync(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.session import open_with_key, unlock_key
    from hemlos_desktop.services.sync import credentials_for, sync

    location = location_from(args)
    username = _username(args)
    password = read_password()
    signed_in = open_with_key(location, username, unlock_key(location, username, password))
    progress = _Progress()
    try:
        credentials = credentials_for(signed_in.db, signed_in.actor.username, password)
        # After a new password (changed, or reset with the recovery key) and before a sync has
        # taken it to the server, the server still knows the previous one.
        previous = os.environ.get(ENV_PREVIOUS_PASSWORD) or None
        credentials = dataclasses.replace(credentials, previous_password=previous)
        result = sync(signed_in.db, credentials, progress=progress).value
    finally:
        progress.end()
        signed_in.db.dispose()
    print(
        _("In step with the team server: {sent} sent, {received} received.").format(
            sent=result.sent, received=result.received
        )
    )
    if result.new_conflicts:
        print(
            ngettext(
                "{count} value was changed on two computers: see hemlos-desktop conflicts.",
                "{count} values were changed on two computers: see hemlos-desktop conflicts.",
                result.new_conflicts,
            ).format(count=result.new_conflicts)
        )
    if result.refused:
        print(
            ngettext(
                "The server refused {count} change (not allowed for this user).",
                "The server refused {count} changes (not allowed for this user).",
                result.refused,
            ).format(count=result.refused)
        )
    return 0


def _cmd_conflicts(args: argparse.Namespace) -> int:
    from hemlos_desktop.cli.common import open_for_command
    from hemlos_desktop.services.sync_conflicts import ConflictSide, list_conflicts

    db, actor = open_for_command(args)
    try:
        conflicts = list_conflicts(db, actor, include_resolved=args.all)
    finally:
        db.dispose()

    def side(value: ConflictSide) -> dict[str, Any]:
        return {
            "value": value.value,
            "display": value.display,
            "username": value.username,
            "machine_uid": value.machine_uid,
            "changed_at": value.changed_at.isoformat(),
            "this_machine": value.this_machine,
        }

    if args.json:
        rows = [
            {
                "uid": c.uid,
                "table": c.table,
                "field": c.field,
                "record_uid": c.record_uid,
                "client_id": c.client_id,
                "kind": c.kind.value,
                "resolved": c.resolved,
                "current": side(c.current),
                "held": side(c.held),
            }
            for c in conflicts
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not conflicts:
        print(_("No conflicts."))
        return 0
    for c in conflicts:
        print(
            _("{uid}: {table}.{field} (client {client})").format(
                uid=c.uid, table=c.table, field=c.field, client=c.client_id or "-"
            )
        )
        print(
            "  "
            + _("now: {value} ({user}, {at}, computer {machine})").format(
                value=c.current.display,
                user=c.current.username,
                at=c.current.changed_at,
                machine=c.current.machine_uid[:8],
            )
        )
        print(
            "  "
            + _("held back: {value} ({user}, {at}, computer {machine})").format(
                value=c.held.display,
                user=c.held.username,
                at=c.held.changed_at,
                machine=c.held.machine_uid[:8],
            )
        )
    return 0
