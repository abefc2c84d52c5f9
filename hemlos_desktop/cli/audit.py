"""Audit sub-commands: ``audit verify`` checks the access log's hash chain; ``audit export``
writes the log (or part of it) as CSV for data-protection officers and IT."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from hemlos_desktop.cli.common import add_data_dir, add_user, key_for_command, location_from
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="check the access and change log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="verify the log's hash chain")
    add_data_dir(verify)
    add_user(verify)
    add_data_dir(audit)
    verify.set_defaults(handler=_cmd_verify)

    export = audit_sub.add_parser(
        "export", help="write the log as CSV (administrators and auditors only)"
    )
    export.add_argument(
        "--from", dest="since", type=_iso_date, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    export.add_argument(
        "--to", dest="until", type=_iso_date, metavar="DATE", help="last day (YYYY-MM-DD)"
    )
    export.add_argument(
        "--client", type=int, metavar="ID", help="only the entries of this client (internal id)"
    )
    export.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.csv", help="the CSV file"
    )
    add_data_dir(export)
    add_user(export)
    export.set_defaults(handler=_cmd_export)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _cmd_verify(args: argparse.Namespace) -> int:
    from hemlos_desktop.errors import CorruptDatabaseError
    from hemlos_desktop.services.audit import EMPTY_LOG, verify_chain
    from hemlos_desktop.storage import open_database

    location = location_from(args)
    if not location.database.exists():
        raise CorruptDatabaseError("database file missing")
    key = key_for_command(args, location, allow_plain=True)
    db = open_database(location, create=False, migrate=False, key=key)
    try:
        report = verify_chain(db)
    finally:
        db.dispose()
    if report.ok:
        print(
            ngettext(
                "The log is intact: {count} entry verified.",
                "The log is intact: {count} entries verified.",
                report.verified,
            ).format(count=report.verified)
        )
        return 0
    if report.verified == 0 and report.problem == EMPTY_LOG:
        print(
            _("The log has been tampered with: it is empty, although the register has clients."),
            file=sys.stderr,
        )
        return 1
    print(
        _(
            "The log has been tampered with: entry {entry} does not fit the chain "
            "({count} entries before it verified)."
        ).format(entry=report.first_bad_id, count=report.verified),
        file=sys.stderr,
    )
    return 1


def _cmd_export(args: argparse.Namespace) -> int:
    from hemlos_desktop.cli.common import open_for_command
    from hemlos_desktop.errors import InvalidInputError
    from hemlos_desktop.services import audit

    if args.since is not None and args.until is not None and args.since > args.until:
        raise InvalidInputError(_("The first day is after the last day."), field="from")
    db, actor = open_for_command(args)
    try:
        query = audit.AuditQuery(client_id=args.client, since=args.since, until=args.until)
        count = audit.export_entries(db, actor, query, args.output)
    finally:
        db.dispose()
    print(
        ngettext(
            "{count} entry of the access log written to {path}.",
            "{count} entries of the access log written to {path}.",
            count,
        ).format(count=count, path=args.output)
    )
    return 0
