"""Storage: where data lives, how the database is opened, migrated, checked and backed up.

``open_database`` is the one way the program opens its database: every connection goes through
``storage.connection.connect`` so that encryption keys and pragmas apply to all of them.
"""

from hemlos_desktop.storage.database import Database, open_database
from hemlos_desktop.storage.paths import DataLocation

__all__ = ["DataLocation", "Database", "open_database"]
