"""Helpers shared by the sub-command modules: common options, locating and opening the database."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hemlos_desktop.storage import paths
from hemlos_desktop.storage.paths import DataLocation

if TYPE_CHECKING:
    from hemlos_desktop.services.actor import Actor
    from hemlos_desktop.storage import Database

ENV_USER = "HEMLOS_USER"

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


def add_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="user name to act as (default: $HEMLOS_USER)",
    )


def open_for_command(args: argparse.Namespace, *, create: bool = False) -> tuple[Database, Actor]:
    """Open the database of a command and find the acting user (--user or $HEMLOS_USER)."""
    from hemlos_desktop.errors import CorruptDatabaseError
    from hemlos_desktop.services.users import actor_by_username, ensure_local_actor
    from hemlos_desktop.services.workspace import open_workspace

    location = location_from(args)
    if not create and not location.database.exists():
        raise CorruptDatabaseError("database file missing")
    db = open_workspace(location)
    try:
        username = getattr(args, "user", None) or os.environ.get(ENV_USER, "")
        actor = actor_by_username(db, username) if username else ensure_local_actor(db)
    except BaseException:
        db.dispose()
        raise
    return db, actor
