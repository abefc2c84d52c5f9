"""Team sub-commands: ``teams add``/``teams list``, ``import-evictions`` and ``goals``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from hemlos_desktop.cli.common import (
    add_data_dir,
    add_user,
    open_for_command,
    print_import_problems,
)
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(sub: Any) -> None:
    teams = sub.add_parser("teams", help="set up and list teams")
    teams_sub = teams.add_subparsers(dest="teams_command", metavar="ACTION", required=True)
    add = teams_sub.add_parser("add", help="add a team (administrators)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--municipality", default="", metavar="TEXT")
    add.add_argument(
        "--no-units", action="store_true", help="do not add the suggested units of seed 001"
    )
    add_data_dir(add)
    add_user(add)
    add.set_defaults(handler=_cmd_teams_add)
    lst = teams_sub.add_parser("list", help="list the teams with their members and clients")
    lst.add_argument("--json", action="store_true", help="print one JSON array")
    add_data_dir(lst)
    add_user(lst)
    lst.set_defaults(handler=_cmd_teams_list)

    imp = sub.add_parser(
        "import-evictions", help="import eviction cases from a CSV or XLSX file (all or nothing)"
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and report, import nothing"
    )
    add_data_dir(imp)
    add_user(imp)
    imp.set_defaults(handler=_cmd_import_evictions)

    goals = sub.add_parser("goals", help="write the goals figures (split by gender)")
    goals.add_argument("--from", dest="period_start", type=_date, required=True, metavar="DATE")
    goals.add_argument("--to", dest="period_end", type=_date, required=True, metavar="DATE")
    goals.add_argument("--team", metavar="NAME", help="only the clients of this team")
    # Its own dest, so that it does not replace the top-level --lang (language of messages).
    goals.add_argument(
        "--lang",
        dest="document_language",
        choices=("sv", "da", "en"),
        default=None,
        help="language of titles in the file (a PDF is sv or da)",
    )
    goals.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    add_data_dir(goals)
    add_user(goals)
    goals.set_defaults(handler=_cmd_goals)


def _cmd_teams_add(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.team_org import add_team

    db, actor = open_for_command(args)
    try:
        add_team(
            db,
            actor,
            args.name,
            municipality=args.municipality,
            suggested_units=not args.no_units,
        )
    finally:
        db.dispose()
    print(_("Team added: {name}").format(name=" ".join(args.name.split())))
    return 0


def _cmd_teams_list(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.team_org import list_team_summaries

    db, actor = open_for_command(args)
    try:
        teams = list_team_summaries(db, actor)
    finally:
        db.dispose()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": t.name,
                        "municipality": t.municipality,
                        "members": t.members,
                        "active_clients": t.active_clients,
                        "caseload_ceiling": t.caseload_ceiling,
                    }
                    for t in teams
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not teams:
        print(_("No teams yet. Add one with: hemlos-desktop teams add NAME"))
    for t in teams:
        place = f" ({t.municipality})" if t.municipality else ""
        print(
            f"{t.name}{place}: "
            + ngettext("{count} member", "{count} members", t.members).format(count=t.members)
            + ", "
            + ngettext("{count} active client", "{count} active clients", t.active_clients).format(
                count=t.active_clients
            )
        )
    return 0


def _cmd_import_evictions(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.eviction_io import import_evictions

    db, actor = open_for_command(args)
    try:
        report = import_evictions(db, actor, args.file, dry_run=args.dry_run)
    finally:
        db.dispose()
    if print_import_problems(report.problems):
        return 1
    for line in report.skipped:
        print(f"line {line}: " + _("the client has this case already, skipped"))
    if report.dry_run:
        message = ngettext(
            "Checked: {count} eviction case would be imported.",
            "Checked: {count} eviction cases would be imported.",
            report.imported,
        )
    else:
        message = ngettext(
            "{count} eviction case imported.", "{count} eviction cases imported.", report.imported
        )
    print(message.format(count=report.imported))
    return 0


def _cmd_goals(args: argparse.Namespace) -> int:
    from hemlos_desktop.i18n import translator_for
    from hemlos_desktop.services.goals import GoalScope
    from hemlos_desktop.services.team_org import find_team_id
    from hemlos_desktop.services.team_reports import export_goals_file
    from hemlos_desktop.settings import SettingsStore

    language = args.document_language or "en"
    if args.output.suffix.casefold() == ".pdf" and language not in ("sv", "da"):
        print(
            _("A PDF is written in Swedish or Danish: add --lang sv or --lang da."), file=sys.stderr
        )
        return 2
    db, actor = open_for_command(args)
    try:
        team_id = None
        tr = translator_for(language)
        scope_text = tr.gettext("Every client you may see")
        if args.team:
            team_id = find_team_id(db, args.team)
            if team_id is None:
                print(_("No such team."), file=sys.stderr)
                return 2
            scope_text = tr.gettext("Team {name}").format(name=args.team.strip())
        export_goals_file(
            db,
            actor,
            args.output,
            GoalScope(args.period_start, args.period_end, team_id),
            language=language,
            scope_text=scope_text,
            municipality=SettingsStore().load().municipality_name,
        )
    finally:
        db.dispose()
    print(_("Written: {path}").format(path=args.output))
    return 0
