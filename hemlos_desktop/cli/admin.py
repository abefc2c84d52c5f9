"""Administrative sub-commands: ``demo-data`` and ``check``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hemlos_desktop.cli.common import add_data_dir, location_from
from hemlos_desktop.i18n import gettext as _


def register(sub: Any) -> None:
    demo = sub.add_parser("demo-data", help="create a fictitious demo database")
    demo.add_argument("--clients", type=int, required=True, metavar="N", help="number of clients")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    add_data_dir(demo)
    demo.set_defaults(handler=_cmd_demo_data)

    check = sub.add_parser("check", help="check the database's integrity and report counts")
    check.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    add_data_dir(check)
    check.set_defaults(handler=_cmd_check)


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.demo_data import create_demo_database

    location = location_from(args, demo=True)
    summary = create_demo_database(location, clients=args.clients, seed=args.seed)
    print(
        _("Demo database with {count} clients created in {folder}").format(
            count=summary.clients, folder=location.folder
        )
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.maintenance import check_database, integrity_text

    report = check_database(location_from(args))
    if report.error_text:
        print(f"hemlos-desktop: {report.error_text}", file=sys.stderr)
    if args.json:
        # Exactly one JSON object on stdout; logging goes to stderr.
        print(json.dumps(report.as_json(), ensure_ascii=False, sort_keys=True))
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
    return 0 if report.healthy else 1
