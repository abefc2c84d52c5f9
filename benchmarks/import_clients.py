"""Import a generated client register (about 50 MB of CSV by default) and print the seconds
and the peak memory (RSS) of the check and of the import (information figures; no target is
asserted anywhere).

    .venv/bin/python benchmarks/import_clients.py [--megabytes 50] [--rows N] [--keep DIR]

The file has one person a line with a unique personnummer, a name, a gender, an address, a
phone number and e-mail; the import is the same use case the program and ``import-clients``
run (all or nothing, in batches inside one transaction).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from stdnum import luhn

from hemlos_desktop.services import client_io
from hemlos_desktop.services.users import ensure_local_actor
from hemlos_desktop.storage import DataLocation, open_database

HEADER = "personnummer;förnamn;efternamn;kön;adress;telefon;e-post;målgrupper"
FIRST = ("Anna", "Erik", "Maja", "Omar", "Sara", "Nils", "Leila", "Karl", "Åsa", "Jens")
LAST = ("Andersson", "Söderström", "Öberg", "Nilsson", "Åberg", "Hansen", "Mørch", "Berg")


def pnr(born: dt.date, serial3: str) -> str:
    nine = f"{born:%y%m%d}{serial3}"
    return f"{born:%Y%m%d}-{serial3}{luhn.calc_check_digit(nine)}"


def line(n: int) -> str:
    born = dt.date(1930, 1, 1) + dt.timedelta(days=n // 900)
    first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
    gender = "kvinna" if n % 2 else "man"
    return (
        f"{pnr(born, f'{n % 900 + 100:03d}')};{first};{last};{gender};"
        f"Storgatan {n % 200 + 1}, lgh {n % 1300 + 1001}, 118 {n % 90 + 10:02d} Stockholm;"
        f"070-{n % 1000:03d} {n % 100:02d} {n % 97:02d};{first.lower()}.{n}@example.se;"
        + ("missbruk" if n % 3 == 0 else "")
    )


def write_file(path: Path, *, megabytes: float, rows: int | None) -> int:
    limit = int(megabytes * 1024 * 1024)
    written = len(HEADER.encode("utf-8")) + 1  # the whole file counts towards the limit
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(HEADER + "\n")
        while (rows is None and written < limit) or (rows is not None and count < rows):
            text = line(count) + "\n"
            size = len(text.encode("utf-8"))
            if rows is None and written + size > limit:
                break  # the import takes files of at most 50 MB: --megabytes 50 stays under
            handle.write(text)
            written += size
            count += 1
    return count


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="hemlos-import-bench-"))
    path = folder / "register.csv"
    rows = write_file(path, megabytes=args.megabytes, rows=args.rows)
    size = path.stat().st_size / 1024 / 1024
    print(f"file: {rows} rows, {size:.1f} MB; memory before: {peak_mb():.0f} MB peak RSS")
    db = open_database(DataLocation(folder / "data"))
    actor = ensure_local_actor(db)
    try:
        start = time.perf_counter()
        check = client_io.import_clients(db, actor, path, dry_run=True).value
        checked = time.perf_counter() - start
        assert check.ok, check.problems[:3]
        print(f"check: {checked:.1f} s, peak RSS {peak_mb():.0f} MB")

        def progress(done: int, total: int) -> None:
            if done % 50_000 < client_io.BATCH_ROWS or done == total:
                print(
                    f"  {done}/{total} after {time.perf_counter() - start:.1f} s", file=sys.stderr
                )

        start = time.perf_counter()
        # As the program does after its check: the checked rows are passed on.
        report = client_io.import_clients(
            db, actor, path, progress=progress, checked=check.checked
        ).value
        seconds = time.perf_counter() - start
        assert report.ok and report.imported == rows
        print(f"import: {rows} clients in {seconds:.1f} s ({rows / seconds:.0f} a second), "
              f"peak RSS {peak_mb():.0f} MB")  # fmt: skip
    finally:
        db.dispose()
    figures = {
        "rows": rows,
        "megabytes": round(size, 1),
        "check_seconds": round(checked, 1),
        "import_seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_mb()),
    }
    # Information (issue 15 asks for "about a minute" at 50 MB; not a target of this script).
    print(
        json.dumps({"benchmark": "import_clients", "figures": figures, "targets": {}, "pass": True})
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
