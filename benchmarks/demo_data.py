"""demo_data: ``demo-data --clients 200000`` as the command makes it (encrypted, the demo
accounts' key slots with production argon2 costs), timed from start to the finished folder,
with the process's peak memory, and the CPU seconds of this process and of the second process
that makes the rows (compare those on a busy machine: wall seconds grow with the load).

The database is made beside the benchmark cache (``_clientdb``); when the cache has no
200,000-client register yet, this one becomes it, so ``make bench`` (which runs this script
first) builds the large register the other benchmarks open through this path. The last line
printed is one JSON object (benchmarks/README.md).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _clientdb import CACHE, LARGE_CLIENTS, SEED

TARGET_SECONDS = 60.0


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    from hemlos_desktop.demo.data import create_demo_database
    from hemlos_desktop.storage import DataLocation
    from hemlos_desktop.storage.migrate import head_revision

    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"clients-{LARGE_CLIENTS}-seed-{SEED}-schema-{head_revision()}"
    work = Path(tempfile.mkdtemp(prefix=f"clients-{LARGE_CLIENTS}-", dir=CACHE))
    try:
        made = DataLocation(work / "data")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        own, children = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        create_demo_database(made, clients=LARGE_CLIENTS, seed=SEED)
        seconds = time.perf_counter() - start
        own = _cpu(resource.RUSAGE_SELF) - own
        children = _cpu(resource.RUSAGE_CHILDREN) - children
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = sum(p.stat().st_size for p in made.folder.iterdir() if p.is_file()) / 2**20
        if not cached.exists():
            made.folder.rename(cached)
            print(f"cached as {cached.name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"demo-data --clients {LARGE_CLIENTS}: {seconds:.1f} s (target {TARGET_SECONDS:.0f}), "
        f"peak RSS {peak:.0f} MB (before: {before:.0f} MB; rows' process {child_peak:.0f} MB), "
        f"{size:.0f} MB on disk; CPU {own:.1f} s here + {children:.1f} s in the rows' process, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    figures = {
        "demo_data_seconds_200k": round(seconds, 1),
        "peak_rss_mb_200k": round(peak),
        "size_mb_200k": round(size),
        "cpu_seconds_200k": round(own, 1),
        "worker_cpu_seconds_200k": round(children, 1),
        "worker_peak_rss_mb_200k": round(child_peak),
    }
    targets = {"demo_data_seconds_200k": TARGET_SECONDS}
    print(
        json.dumps(
            {
                "benchmark": "demo_data",
                "figures": figures,
                "targets": targets,
                "pass": seconds < TARGET_SECONDS,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
