"""Team-server sub-commands: ``server init``, ``server upgrade`` and ``server audit-verify``
(PostgreSQL)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hemlos_desktop.cli.common import read_new_password
from hemlos_desktop.i18n import gettext as _

URL_HELP = (
    "the server's database, e.g. postgresql://it-admin@db.example/hemlos?sslmode=verify-full "
    "(the password may come from PGPASSWORD or ~/.pgpass)"
)


def register(sub: Any) -> None:
    server = sub.add_parser("server", help="set up or upgrade the team server (PostgreSQL)")
    server_sub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)

    init = server_sub.add_parser(
        "init", help="create the schema and the first administrator on an empty database"
    )
    init.add_argument("--url", required=True, help=URL_HELP)
    init.add_argument("--admin", required=True, metavar="NAME", help="the administrator's name")
    init.add_argument("--display-name", default="", help="the name shown for the administrator")
    init.set_defaults(handler=_cmd_init)

    upgrade = server_sub.add_parser(
        "upgrade", help="bring the team server's schema up to this version"
    )
    upgrade.add_argument("--url", required=True, help=URL_HELP)
    upgrade.set_defaults(handler=_cmd_upgrade)

    verify = server_sub.add_parser(
        "audit-verify", help="verify the access log of every joined laptop, machine by machine"
    )
    verify.add_argument("--url", required=True, help=URL_HELP)
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler=_cmd_audit_verify)


def _cmd_init(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.team_server import init_server

    password = read_new_password(_("New password for {name}: ").format(name=args.admin.strip()))
    result = init_server(
        args.url,
        username=args.admin,
        display_name=args.display_name.strip() or args.admin.strip(),
        password=password,
    )
    print(
        _("The team server is set up (schema {revision}); administrator: {name}.").format(
            revision=result.revision, name=result.admin_username
        )
    )
    return 0


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.team_server import upgrade_server

    result = upgrade_server(args.url)
    if result.changed:
        print(
            _("The team server's schema was upgraded from {before} to {after}.").format(
                before=result.before, after=result.after
            )
        )
    else:
        print(_("The team server's schema is up to date ({after}).").format(after=result.after))
    return 0


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from hemlos_desktop.i18n import ngettext
    from hemlos_desktop.services.server_audit import verify_server_logs

    chains = verify_server_logs(args.url)
    intact = all(chain.ok for chain in chains)
    if args.json:
        machines = [
            {
                "machine": c.machine_uid,
                "entries": c.entries,
                "verified": c.verified,
                "first_entry": c.first_id,
                "last_entry": c.last_id,
                "last_at": c.last_at.isoformat() if c.last_at else None,
                "intact": c.ok,
                "first_bad_entry": c.first_bad_id,
                "problem": c.problem,
            }
            for c in chains
        ]
        print(json.dumps({"intact": intact, "machines": machines}, ensure_ascii=False))
        return 0 if intact else 1
    if not chains:
        print(_("The server holds no access log from any computer yet."))
        return 0
    for chain in chains:
        line = ngettext(
            "Computer {machine}: {count} entry (numbers {first}–{last})",
            "Computer {machine}: {count} entries (numbers {first}–{last})",
            chain.entries,
        ).format(
            machine=chain.machine_uid, count=chain.entries, first=chain.first_id, last=chain.last_id
        )
        if chain.ok:
            print(_("{line}: intact.").format(line=line))
        else:
            print(
                _("{line}: broken at entry {number} ({problem}).").format(
                    line=line, number=chain.first_bad_id, problem=_(chain.problem)
                ),
                file=sys.stderr,
            )
    return 0 if intact else 1
