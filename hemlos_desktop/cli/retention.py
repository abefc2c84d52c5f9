"""Retention sub-command: ``purge`` previews or carries out the retention purge (gallring)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hemlos_desktop.cli.common import add_data_dir, add_user, open_for_command
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.i18n import ngettext


def register(sub: Any) -> None:
    purge = sub.add_parser(
        "purge", help="remove records whose retention time has run out (gallring)"
    )
    mode = purge.add_mutually_exclusive_group(required=True)
    mode.add_argument("--preview", action="store_true", help="list what would be removed")
    mode.add_argument("--yes", action="store_true", help="remove them now")
    add_data_dir(purge)
    add_user(purge)
    purge.set_defaults(handler=_cmd_purge)


def _cmd_purge(args: argparse.Namespace) -> int:
    from hemlos_desktop import i18n
    from hemlos_desktop.services import retention

    db, actor = open_for_command(args)
    try:
        if args.preview:
            candidates = retention.preview(db, actor)
            fmt = i18n.active().format_date
            for c in candidates:
                mark = _(" (held)") if c.held else ""
                print(
                    _("client {number}: purge date {date}{held}").format(
                        number=c.client_id, date=fmt(c.purge_on), held=mark
                    )
                )
            due = sum(1 for c in candidates if not c.held)
            print(
                ngettext(
                    "{count} record would be removed.", "{count} records would be removed.", due
                ).format(count=due)
            )
            return 0
        result = retention.purge(db, actor).value
    finally:
        db.dispose()
    print(
        ngettext("{count} record removed.", "{count} records removed.", result.purged).format(
            count=result.purged
        ),
        file=sys.stdout,
    )
    return 0
