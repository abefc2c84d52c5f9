"""Administrative sub-commands: ``demo-data`` and ``check``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from hemlos_desktop.cli.common import add_data_dir, add_user, key_for_command, location_from
from hemlos_desktop.i18n import gettext as _


def register(sub: Any) -> None:
    demo = sub.add_parser("demo-data", help="create a fictitious demo database")
    demo.add_argument("--clients", type=int, required=True, metavar="N", help="number of clients")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    add_data_dir(demo)
    demo.set_defaults(handler=_cmd_demo_data)

    init = sub.add_parser(
        "init", help="first start: create the administrator and encrypt the database"
    )
    init.add_argument("--admin", required=True, metavar="NAME", help="administrator's user name")
    init.add_argument("--display-name", metavar="TEXT", help="name shown in the program")
    add_data_dir(init)
    init.set_defaults(handler=_cmd_init)

    check = sub.add_parser("check", help="check the database's integrity and report counts")
    check.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    add_data_dir(check)
    add_user(check)
    check.set_defaults(handler=_cmd_check)


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from hemlos_desktop.demo.data import create_demo_database

    location = location_from(args, demo=True)
    summary = create_demo_database(
        location, clients=args.clients, seed=args.seed, today=dt.date.today()
    )
    print(
        _("Demo database with {count} clients created in {folder}").format(
            count=summary.clients, folder=location.folder
        )
    )
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from hemlos_desktop.cli.common import read_new_password
    from hemlos_desktop.services.setup import configured_backup_folders, create_administrator
    from hemlos_desktop.settings import SettingsStore

    location = location_from(args)
    password = read_new_password(
        _("New password for {name}: ").format(name=args.admin), username=args.admin
    )
    result = create_administrator(
        location,
        username=args.admin,
        display_name=args.display_name or args.admin,
        password=password,
        backup_folders=configured_backup_folders(SettingsStore().load().backup_dir),
    )
    result.signed_in.db.dispose()
    print(
        _("The administrator {name} was created and the database is encrypted.").format(
            name=result.signed_in.actor.username
        )
    )
    print(_("Recovery key (shown only now; print it and keep it locked away):"))
    print(result.recovery_key)
    print(
        _("Back up the key file {path} together with the database.").format(path=location.keyslots)
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.maintenance import check_database, integrity_text
    from hemlos_desktop.settings import SettingsStore

    location = location_from(args)
    key = key_for_command(args, location, allow_plain=True) if location.database.exists() else None
    report = check_database(location, key=key)
    # Problems in the settings files are reported too; they do not make the database unhealthy.
    settings_problems = SettingsStore().load_report().problems
    if report.error_text:
        print(f"hemlos-desktop: {report.error_text}", file=sys.stderr)
    if args.json:
        # Exactly one JSON object on stdout; logging goes to stderr.
        result = report.as_json()
        result["settings_problems"] = [problem.to_json() for problem in settings_problems]
        print(json.dumps(result, ensure_ascii=False, sort_keys=True))
        return 0 if report.healthy else 1
    status = _("healthy") if report.healthy else _("NOT healthy")
    print(_("Database: {status}").format(status=status))
    print(_("Program version: {version}").format(version=report.program_version))
    print(
        _("Schema: {current} (newest {head})").format(
            current=report.schema_revision or "-", head=report.schema_head
        )
    )
    print(_("Integrity: {result}").format(result=integrity_text(report.integrity)))
    if report.error_text:
        print(report.error_text)
    # SQLite's findings name tables, indexes and row numbers, never the data in them.
    for problem in report.problems:
        print(f"  {problem}")
    if report.counts:
        print(_("Records per table:"))
    for table, count in sorted(report.counts.items()):
        print(f"  {table}: {count}")
    if settings_problems:
        print(_("Settings:"))
    for settings_problem in settings_problems:
        print(f"  {settings_problem.message()}")
    return 0 if report.healthy else 1
