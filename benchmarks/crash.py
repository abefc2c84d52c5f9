"""Crash benchmark: kill a writing process with SIGKILL at random moments, many times.

    python benchmarks/crash.py [--kills 200] [--seed 1]

Each round starts ``tests/crash_probe.py``, which saves records one
transaction at a time and prints each number after its commit returns; the round kills it at a
random moment and reopens the database like a fresh start. Every number that was printed must be
in the database, and ``PRAGMA integrity_check`` must say ``ok`` after every kill.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

# The harness is test code: it lives in tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from crash_probe import crash_test  # noqa: E402

TARGET_KILLS = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=TARGET_KILLS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.25, help="seconds of writing at most")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hemlos-crash-") as tmp:
        result = crash_test(
            Path(tmp) / "data", args.kills, seed=args.seed, max_delay=args.max_delay
        )
    elapsed = time.monotonic() - started
    figures = {
        "kills": result.kills,
        "lost_commits": result.lost_commits,
        "integrity_errors": result.integrity_errors,
        "reported_commits": result.reported,
        "seconds": round(elapsed, 1),
    }
    targets = {"lost_commits": 0, "integrity_errors": 0, "kills": TARGET_KILLS}
    passed = (
        result.kills >= TARGET_KILLS and result.lost_commits == 0 and result.integrity_errors == 0
    )
    for key, value in figures.items():
        print(f"{key}: {value}")
    for problem in result.problems[:10]:
        print(f"  integrity: {problem}")
    print(
        json.dumps(
            {"benchmark": "crash", "figures": figures, "targets": targets, "pass": passed},
            sort_keys=True,
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
