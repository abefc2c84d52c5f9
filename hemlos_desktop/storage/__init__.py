"""Storage: where data lives, how the database is opened, migrated, checked and backed up.

``open_database`` is the one way the program opens its database: every connection goes through
``storage.connection.connect`` so that encryption keys and pragmas apply to all of them.

The names are loaded on first use, so that the light parts (``storage.paths``,
``storage.instance``) can be imported at start-up without loading SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hemlos_desktop.storage.database import Database, open_database
    from hemlos_desktop.storage.paths import DataLocation

_WHERE = {
    "Database": "hemlos_desktop.storage.database",
    "open_database": "hemlos_desktop.storage.database",
    "DataLocation": "hemlos_desktop.storage.paths",
}

__all__ = ["DataLocation", "Database", "open_database"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
