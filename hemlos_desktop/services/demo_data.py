"""A realistic, clearly fictitious demo database (``hemlos-desktop demo-data``).

Every person in it is invented; names are drawn from common Swedish and Danish names and
identity numbers are generated so that they cannot belong to real people where the number
rules allow it (Swedish numbers use test-number ranges where possible).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from hemlos_desktop.errors import InvalidInputError
from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import database_info
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
MAX_CLIENTS = 200_000


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    seed: int


def create_demo_database(
    location: DataLocation,
    *,
    clients: int,
    seed: int = 1,
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Create the demo database in ``location`` (which must not hold a database yet)."""
    if clients < 0 or clients > MAX_CLIENTS:
        raise InvalidInputError(
            _("The number of clients must be between 0 and {maximum}.").format(maximum=MAX_CLIENTS),
            field="clients",
        )
    if location.database.exists():
        raise InvalidInputError(
            _("The folder already holds a database. Choose an empty folder for demo data."),
            field="data_dir",
        )
    rng = random.Random(seed)
    db = open_workspace(location)
    try:
        with db.begin() as session:
            database_info.set_value(session, database_info.IS_DEMO, "1")
        generators: list[Callable[[random.Random], None]] = []
        for step, generate in enumerate(generators, start=1):
            generate(rng)
            if progress is not None:
                progress(step, len(generators))
    finally:
        db.dispose()
    log.info("demo database created with %d clients", clients)
    return DemoSummary(clients=clients, seed=seed)
