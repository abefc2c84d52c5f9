"""Command line: ``hemlos-desktop`` opens the GUI; sub-commands do admin work. Thin: calls services.

Exit status: 0 success, 1 a known failure (message on stderr), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from collections.abc import Sequence

from hemlos_desktop import APP_NAME, __version__, i18n
from hemlos_desktop.cli.common import Handler, add_data_dir
from hemlos_desktop.errors import HemlosError

log = logging.getLogger(__name__)

# Each module registers its sub-commands with ``register(subparsers)``; one module per feature.
COMMAND_MODULES: tuple[str, ...] = (
    "admin",
    "accounts",
    "clients",
    "audit",
    "retention",
    "backup",
    "reports",
    "followup",
    "team",
    "users",
    "settings",
    "server",
    "sync",
)


def _top_level_parser() -> argparse.ArgumentParser:
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
    add_data_dir(parser, top_level=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo database in its own folder, creating it first if it is missing",
    )
    parser.add_argument("--verbose", action="store_true", help="log debugging detail")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = _top_level_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(f"hemlos_desktop.cli.{module}").register(sub)
    return parser


# What a start of the program's window may say (``--lang`` and ``--data-dir`` take a value).
_GUI_FLAGS = frozenset({"--demo", "--verbose"})
_GUI_OPTIONS = frozenset({"--lang", "--data-dir"})


def is_plain_gui_launch(argv: Sequence[str]) -> bool:
    """Whether ``argv`` only opens the window (no sub-command, help or version): then the
    top-level options are parsed without importing the modules of the sub-commands, which
    the window does not need before its sign-in dialog is painted."""
    index = 0
    while index < len(argv):
        word = argv[index]
        name, equals, _value = word.partition("=")
        if word in _GUI_FLAGS:
            index += 1
        elif name in _GUI_OPTIONS and (equals or index + 1 < len(argv)):
            index += 1 if equals else 2
        else:
            return False
    return True


def _init_language(args: argparse.Namespace) -> None:
    from hemlos_desktop.settings import SettingsStore

    # A language locked by IT's system-wide settings file wins over --lang.
    lang = SettingsStore().load_report({"language": args.lang}).settings.language
    i18n.set_language(i18n.normalise_language(lang))


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    from hemlos_desktop.logging_setup import configure_logging

    words = sys.argv[1:] if argv is None else list(argv)
    parser = _top_level_parser() if is_plain_gui_launch(words) else build_parser()
    args = parser.parse_args(words)
    args.started = started
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
