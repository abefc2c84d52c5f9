"""Helpers shared by the sub-command modules: common options, locating and opening the database."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from hemlos_desktop.storage import DataLocation, paths

Handler = Callable[[argparse.Namespace], int]


def add_data_dir(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        # On sub-commands the option must not reset a value given before the sub-command.
        default=None if top_level else argparse.SUPPRESS,
        help="data folder (default: $HEMLOS_DATA_DIR or the platform's user data folder)",
    )


def location_from(args: argparse.Namespace, *, demo: bool = False) -> DataLocation:
    """The data folder a command works on, in the same order as the GUI: --data-dir,
    $HEMLOS_DATA_DIR, ``data_dir`` from the settings (user or system-wide), the default."""
    if demo:
        fallback = paths.demo_data_dir()
    else:
        from hemlos_desktop.settings import SettingsStore

        configured = SettingsStore().load().data_dir
        fallback = Path(configured).expanduser() if configured else paths.default_data_dir()
    return DataLocation.resolve(getattr(args, "data_dir", None), fallback=fallback)
