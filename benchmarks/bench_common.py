"""Shared by the PDF benchmarks: the cached 20,000-client demo database under ``build/bench/``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hemlos_desktop.services.demo_data import create_demo_database
from hemlos_desktop.storage import DataLocation

CLIENTS = 20_000
BENCH_DIR = Path(__file__).resolve().parent.parent / "build" / "bench"


def demo_location(clients: int = CLIENTS) -> DataLocation:
    """The cached demo database (made on first use; built aside and moved in when complete)."""
    folder = BENCH_DIR / f"demo-{clients}"
    if (folder / DataLocation(folder).database.name).exists():
        return DataLocation(folder)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"demo-{clients}-", dir=BENCH_DIR))
    try:
        create_demo_database(DataLocation(work), clients=clients)
        shutil.rmtree(folder, ignore_errors=True)
        work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return DataLocation(folder)
