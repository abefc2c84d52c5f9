"""Command line: ``hemlos-desktop`` opens the GUI; sub-commands do admin work. Thin: calls services.

Exit status: 0 success, 1 a known failure (message on stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence

from hemlos_desktop import APP_NAME, __version__, i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.storage import DataLocation, paths

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def _add_data_dir(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        # On sub-commands the option must not reset a value given before the sub-command.
        default=None if top_level else argparse.SUPPRESS,
        help="data folder (default: $HEMLOS_DATA_DIR or the platform's user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hemlos-desktop",
        description=f"{APP_NAME}: case work for housing-focused social services.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--lang",
        choices=i18n.SUPPORTED_LANGUAGES,
        help="language of the user interface and messages (sv, da or en)",
    )
    _add_data_dir(parser, top_level=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo database in its own folder, creating it first if it is missing",
    )
    parser.add_argument("--verbose", action="store_true", help="log debugging detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo-data", help="create a fictitious demo database")
    demo.add_argument("--clients", type=int, required=True, metavar="N", help="number of clients")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default 1)")
    _add_data_dir(demo)
    demo.set_defaults(handler=_cmd_demo_data)

    check = sub.add_parser("check", help="check the database's integrity and report counts")
    check.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    _add_data_dir(check)
    check.set_defaults(handler=_cmd_check)
    return parser


def _location(args: argparse.Namespace, *, demo: bool = False) -> DataLocation:
    return DataLocation.resolve(args.data_dir, fallback=paths.demo_data_dir() if demo else None)


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.demo_data import create_demo_database

    location = _location(args, demo=True)
    summary = create_demo_database(location, clients=args.clients, seed=args.seed)
    print(
        _("Demo database with {count} clients created in {folder}").format(
            count=summary.clients, folder=location.folder
        )
    )
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.maintenance import check_database

    location = _location(args)
    report = check_database(location)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, sort_keys=True))
    else:
        status = _("healthy") if report.healthy else _("NOT healthy")
        print(_("Database: {status}").format(status=status))
        print(_("Program version: {version}").format(version=report.program_version))
        print(
            _("Schema: {current} (newest {head})").format(
                current=report.schema_revision or "-", head=report.schema_head
            )
        )
        print(_("Integrity: {result}").format(result=report.integrity))
        for problem in report.problems:
            print(f"  {problem}")
        for table, count in sorted(report.counts.items()):
            print(f"  {table}: {count}")
    return 0 if report.healthy else 1


def _init_language(args: argparse.Namespace) -> None:
    from hemlos_desktop.settings import SettingsStore

    lang = args.lang or SettingsStore().load().language
    i18n.set_language(i18n.normalise_language(lang))


def main(argv: Sequence[str] | None = None) -> int:
    from hemlos_desktop.logging_setup import configure_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    _init_language(args)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        from hemlos_desktop.app import run_gui

        return run_gui(args)
    try:
        return handler(args)
    except HemlosError as exc:
        print(f"hemlos-desktop: {exc.full_text()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
