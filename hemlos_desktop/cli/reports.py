"""Report sub-commands: ``export-pdf`` writes one client's document (case summary) as PDF."""

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


# The names of services.pdf_export.DOCUMENT_KINDS, written out so that parsing the command line
# does not load the report services (a test keeps the two in step).
DOCUMENT_KIND_NAMES: tuple[str, ...] = ("summary", "plan", "extract")
DEFAULT_KIND = "summary"


def register(sub: Any) -> None:
    exp = sub.add_parser(
        "export-pdf", help="write one client's case summary (or other document) as PDF"
    )
    exp.add_argument(
        "--client",
        required=True,
        metavar="ID",
        help="the client's full identity number or reserve number",
    )
    # Its own dest, so that it does not replace the top-level --lang (language of messages).
    exp.add_argument(
        "--lang",
        dest="document_language",
        choices=("sv", "da"),
        help="language of the document (sv or da; required)",
    )
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exp.add_argument("--kind", choices=DOCUMENT_KIND_NAMES, default=DEFAULT_KIND)
    exp.add_argument(
        "--full-numbers", action="store_true", help="print identity numbers in full (logged)"
    )
    exp.add_argument(
        "--journal-from", type=_date, metavar="DATE", help="include signed journal entries from"
    )
    exp.add_argument(
        "--journal-to", type=_date, metavar="DATE", help="include signed journal entries up to"
    )
    add_data_dir(exp)
    add_user(exp)
    exp.set_defaults(handler=_cmd_export_pdf)


def _cmd_export_pdf(args: argparse.Namespace) -> int:
    from hemlos_desktop.services.pdf_export import PdfOptions, export_pdf_by_number
    from hemlos_desktop.settings import SettingsStore

    language = getattr(args, "document_language", None)
    if language not in ("sv", "da"):
        print(
            _("Choose the language of the document with --lang sv or --lang da."), file=sys.stderr
        )
        return 2
    settings = SettingsStore().load()
    options = PdfOptions(
        language=language,
        show_full_numbers=args.full_numbers,
        journal_from=args.journal_from,
        journal_to=args.journal_to,
        municipality=settings.municipality_name,
        municipality_logo=settings.municipality_logo,
    )
    db, actor = open_for_command(args)
    try:
        export_pdf_by_number(db, actor, args.client, args.output, options, kind=args.kind)
    finally:
        db.dispose()
    print(_("PDF written: {path}").format(path=args.output))
    return 0
