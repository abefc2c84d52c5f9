"""Client register sub-commands: ``import-clients`` and ``export-clients``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
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


def register(sub: Any) -> None:
    imp = sub.add_parser(
        "import-clients", help="import clients from a CSV or XLSX file (all or nothing)"
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument(
        "--dry-run", action="store_true", help="check the file and report, import nothing"
    )
    add_data_dir(imp)
    add_user(imp)
    imp.set_defaults(handler=_cmd_import)

    exp = sub.add_parser("export-clients", help="export the clients you may see to CSV or XLSX")
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exp.add_argument(
        "--lang",
        dest="header_language",
        choices=("sv", "da", "en"),
        default="en",
        help="language of the column headers",
    )
    add_data_dir(exp)
    add_user(exp)
    exp.set_defaults(handler=_cmd_export)


def _cmd_import(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.client_io import import_clients

    db, actor = open_for_command(args)
    try:
        report = import_clients(
            db, actor, args.file, dry_run=args.dry_run, progress=_terminal_progress()
        ).value
    finally:
        db.dispose()
    if print_import_problems(report.problems):
        return 1
    for skipped in report.skipped:
        print(f"line {skipped.line}: " + skipped.text())
    if report.dry_run:
        message = ngettext(
            "Checked: {count} client would be imported.",
            "Checked: {count} clients would be imported.",
            report.imported,
        )
    else:
        message = ngettext("{count} client imported.", "{count} clients imported.", report.imported)
    print(message.format(count=report.imported))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.client_io import export_clients

    db, actor = open_for_command(args)
    try:
        count = export_clients(db, actor, args.output, lang=args.header_language)
    finally:
        db.dispose()
    print(
        ngettext("{count} client exported.", "{count} clients exported.", count).format(count=count)
    )
    return 0


def _terminal_progress() -> Callable[[int, int], None] | None:
    """Progress on one line of a terminal (nothing when stderr is a file or a pipe)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        text = _("Importing clients: {done} of {total}").format(done=done, total=total)
        print(f"\r{text}", end=end, file=sys.stderr, flush=True)

    return show
