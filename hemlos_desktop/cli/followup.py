"""``followup-report``: the group follow-up figures of the independence ratings as a PDF."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from hemlos_desktop.cli.common import add_data_dir, add_user, open_for_command
from hemlos_desktop.i18n import gettext as _


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(sub: Any) -> None:
    cmd = sub.add_parser(
        "followup-report",
        help="write the follow-up figures of the independence ratings as PDF (figures only)",
    )
    cmd.add_argument("--from", dest="period_start", type=_date, required=True, metavar="DATE")
    cmd.add_argument("--to", dest="period_end", type=_date, required=True, metavar="DATE")
    who = cmd.add_mutually_exclusive_group()
    who.add_argument("--team", metavar="NAME", help="only the clients of this team")
    who.add_argument("--caseworker", metavar="USERNAME", help="only the clients of this caseworker")
    # Its own dest, so that it does not replace the top-level --lang (language of messages).
    cmd.add_argument(
        "--lang",
        dest="document_language",
        choices=("sv", "da"),
        help="language of the document (sv or da; required)",
    )
    cmd.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    add_data_dir(cmd)
    add_user(cmd)
    cmd.set_defaults(handler=_cmd_followup_report)


def _cmd_followup_report(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.assessments import FollowupScope
    from hemlos_desktop.services.followup_report import export_followup_pdf
    from hemlos_desktop.services.users import list_teams, list_users
    from hemlos_desktop.settings import SettingsStore
    from hemlos_desktop.storage.crypto import normalize_username

    language = getattr(args, "document_language", None)
    if language not in ("sv", "da"):
        print(
            _("Choose the language of the document with --lang sv or --lang da."), file=sys.stderr
        )
        return 2
    settings = SettingsStore().load()
    db, actor = open_for_command(args)
    try:
        scope, scope_id = FollowupScope.ALL, None
        if args.team:
            wanted = args.team.strip().casefold()
            teams = [t.id for t in list_teams(db) if t.name.casefold() == wanted]
            scope, scope_id = FollowupScope.TEAM, teams[0] if teams else None
        elif args.caseworker:
            wanted = normalize_username(args.caseworker)
            users = [u.id for u in list_users(db) if u.username == wanted]
            scope, scope_id = FollowupScope.CASEWORKER, users[0] if users else None
        if scope is not FollowupScope.ALL and scope_id is None:
            print(_("No such team or caseworker."), file=sys.stderr)
            return 2
        export_followup_pdf(
            db,
            actor,
            args.output,
            period_start=args.period_start,
            period_end=args.period_end,
            scope=scope,
            scope_id=scope_id,
            language=language,
            municipality=settings.municipality_name,
            municipality_logo=settings.municipality_logo,
        )
    finally:
        db.dispose()
    print(_("PDF written: {path}").format(path=args.output))
    return 0
