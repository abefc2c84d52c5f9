"""Demo databases the client benchmarks share, cached under build/bench-cache/.

Every benchmark runs on encrypted databases, as production does. A database is made once per
size, seed and schema revision (the folder name holds all three, so a new migration makes a new
one), built aside and moved into place when complete. The 200,000-client database takes a few
minutes to make; afterwards every benchmark opens it in a second.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from hemlos_desktop.storage import DataLocation

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "build" / "bench-cache"
BENCH_CLIENTS = 20_000
LARGE_CLIENTS = 200_000
SEED = 1


def offscreen() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def demo_location(clients: int = BENCH_CLIENTS, *, seed: int = SEED) -> DataLocation:
    """The cached encrypted demo database (demo accounts, password ``demo``)."""
    from hemlos_desktop.demo.data import create_demo_database
    from hemlos_desktop.storage.migrate import head_revision

    folder = CACHE / f"clients-{clients}-seed-{seed}-schema-{head_revision()}"
    location = DataLocation(folder)
    if location.database.exists():
        return location
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"creating a {clients}-client demo database in {folder}", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix=f"clients-{clients}-", dir=CACHE))
    try:
        made = DataLocation(work)
        create_demo_database(made, clients=clients, seed=seed)
        if not (made.database.exists() and made.keyslots.exists()):
            raise RuntimeError("the demo database was not made")
        try:
            work.rename(folder)
        except OSError:  # made by another benchmark in the meantime
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return location


def rss_mb() -> float:
    """Resident memory of this process (VmRSS) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
