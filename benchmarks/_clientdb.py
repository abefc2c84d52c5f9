"""The 20,000-client demo database the client benchmarks share (made once under build/bench/)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hemlos_desktop.storage import DataLocation

ROOT = Path(__file__).resolve().parent.parent
BENCH_CLIENTS = 20_000


def offscreen() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def demo_location(clients: int = BENCH_CLIENTS) -> DataLocation:
    """The demo database folder, created with a fixed seed if it is not there yet."""
    from hemlos_desktop.demo.data import create_demo_database

    location = DataLocation(ROOT / "build" / "bench" / f"clients-{clients}")
    if not location.database.exists():
        location.folder.mkdir(parents=True, exist_ok=True)
        print(f"creating a {clients}-client demo database in {location.folder}", file=sys.stderr)
        # Plain (not encrypted): the search is compared with plain sqlite3 on the same file;
        # the cost of encryption is the encryption benchmark's figure.
        create_demo_database(location, clients=clients, seed=1, encrypted=False)
    return location


def rss_mb() -> float:
    """Resident memory of this process (VmRSS) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
