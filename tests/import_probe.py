"""The import kill test's child (test code, not part of the program): imports a CSV file into
a demo database as its administrator, printing each progress step (flushed), until it is
killed with SIGKILL.

    python tests/import_probe.py DATA_DIR FILE.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

from hemlos_desktop.demo.data import open_demo
from hemlos_desktop.services import client_io
from hemlos_desktop.storage import DataLocation
from hemlos_desktop.storage.crypto import TEST_PARAMS


def main(argv: list[str]) -> int:
    db, actor = open_demo(DataLocation(Path(argv[0])), params=TEST_PARAMS)
    out = sys.stdout

    def progress(done: int, _total: int) -> None:
        out.write(f"{done}\n")
        out.flush()

    try:
        report = client_io.import_clients(db, actor, Path(argv[1]), progress=progress).value
    finally:
        db.dispose()
    out.write(f"imported {report.imported}\n")
    out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
