"""Report sub-commands: ``export-pdf`` writes one client's document (case summary) as PDF, or
with ``--team NAME --out-dir DIR`` the documents of every client of a team that the user may see
(the batch export's worker processes; progress on a terminal, one line per failed client)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hemlos_desktop.cli.common import add_data_dir, add_user, open_for_command
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext

if TYPE_CHECKING:
    from hemlos_desktop.services.pdf_export import PdfOptions


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
        "export-pdf",
        help="write one client's case summary (or other document) as PDF, or those of a team",
    )
    which = exp.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--client",
        metavar="ID",
        help="the client's full identity number or reserve number (with -o FILE)",
    )
    which.add_argument(
        "--team",
        metavar="NAME",
        help="every client of this team that the user may see (with --out-dir DIR)",
    )
    # Its own dest, so that it does not replace the top-level --lang (language of messages).
    exp.add_argument(
        "--lang",
        dest="document_language",
        choices=("sv", "da"),
        help="language of the document (sv or da; required)",
    )
    exp.add_argument("-o", "--output", type=Path, metavar="FILE")
    exp.add_argument(
        "--out-dir", type=Path, metavar="DIR", help="folder for the documents of --team"
    )
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
    if args.team is not None:
        if args.out_dir is None or args.output is not None:
            print(_("With --team, give the folder with --out-dir DIR."), file=sys.stderr)
            return 2
        return _export_team(args, options)
    if args.output is None or args.out_dir is not None:
        print(_("With --client, give the file with -o FILE."), file=sys.stderr)
        return 2
    db, actor = open_for_command(args)
    try:
        export_pdf_by_number(db, actor, args.client, args.output, options, kind=args.kind)
    finally:
        db.dispose()
    print(_("PDF written: {path}").format(path=args.output))
    return 0


def _export_team(args: argparse.Namespace, options: PdfOptions) -> int:
    """The batch export of one team: 0 when every document was written, 1 when any failed."""
    from hemlos_desktop.services.batch_export import export_batch, team_client_ids, team_id_by_name

    db, actor = open_for_command(args)
    try:
        ids = team_client_ids(db, actor, team_id_by_name(db, args.team))
        location, key = db.location, db.data_key
    finally:
        db.dispose()
    terminal = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if terminal:
            end = "\n" if done == total else ""
            text = _("{done} of {total} clients").format(done=done, total=total)
            print(f"\r{text}", end=end, file=sys.stderr, flush=True)

    report = export_batch(
        location,
        actor,
        ids,
        args.out_dir,
        options,
        kind=args.kind,
        key=key,
        checked=True,  # open_for_command ran the integrity check
        progress=progress,
    )
    for failure in report.failures:
        print(
            _("Client {number}: {reason}").format(number=failure.client_id, reason=failure.reason),
            file=sys.stderr,
        )
    print(
        ngettext(
            "{count} PDF written to {folder}.",
            "{count} PDFs written to {folder}.",
            len(report.written),
        ).format(count=len(report.written), folder=report.folder)
    )
    return 1 if report.failures else 0
