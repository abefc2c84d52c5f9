"""journal_save: saving a ~2,000-character journal draft against a bare SQLite commit.

Both write the same row of the same file (a copy of the 20,000-client demo database) with the
same pragmas (WAL, synchronous=FULL), in the same run and interleaved, so disk and machine speed
cancel out. Prints readable lines and, last,
one JSON line: ``{"benchmark": "journal_save", "figures": {"ratio_to_bare_commit": ...}, ...}``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from hemlos_desktop.demo.data import open_demo
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.services import journal
from hemlos_desktop.services.clients import ClientQuery, search_ids
from hemlos_desktop.storage import DataLocation

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _clientdb import ROOT, demo_location  # noqa: E402

BENCH_DIR = ROOT / "build" / "bench"

BLOCKS = 6
BLOCK = 25
WARM = 3
TARGET = 2.0


def main() -> int:
    demo = demo_location()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="journal-save-", dir=BENCH_DIR) as tmp:
        copy = DataLocation(Path(tmp))
        shutil.copy2(demo.database, copy.database)
        if demo.keyslots.exists():
            shutil.copy2(demo.keyslots, copy.keyslots)
        db, actor = open_demo(copy)
        try:
            client_id = search_ids(db, actor, ClientQuery())[100]
            base = ("Hembesök hos klienten. Samtal om boende och ekonomi. " * 40)[:2000]
            today = dt.date.today()
            draft_id = journal.save_draft(
                db,
                actor,
                client_id,
                draft_id=None,
                entry_date=today,
                category=JournalCategory.HOME_VISIT,
                text=base,
            ).value
            bare = db.raw_connection()
            service_ms: list[float] = []
            bare_ms: list[float] = []
            try:
                # Blocks of each kind in turn: a write by one connection empties the other's
                # page cache, which would not happen in the program (one connection writes).
                for block in range(BLOCKS):
                    for round_no in range(BLOCK):
                        text = base[:-8] + f"{block:03d}{round_no:05d}"
                        start = time.perf_counter()
                        journal.save_draft(
                            db,
                            actor,
                            client_id,
                            draft_id=draft_id,
                            entry_date=today,
                            category=JournalCategory.HOME_VISIT,
                            text=text,
                        )
                        if round_no >= WARM:
                            service_ms.append((time.perf_counter() - start) * 1000)
                    for round_no in range(BLOCK):
                        text = base[:-8] + f"b{block:02d}{round_no:05d}"
                        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
                        start = time.perf_counter()
                        bare.execute("BEGIN")
                        bare.execute(
                            "UPDATE journal_entries SET text = ?, updated_at = ? WHERE id = ?",
                            (text, now, draft_id),
                        )
                        bare.execute("COMMIT")
                        if round_no >= WARM:
                            bare_ms.append((time.perf_counter() - start) * 1000)
                mode = bare.execute("PRAGMA journal_mode").fetchone()[0]
                sync = bare.execute("PRAGMA synchronous").fetchone()[0]
            finally:
                bare.close()
        finally:
            db.dispose()
    service = statistics.median(service_ms)
    baseline = statistics.median(bare_ms)
    ratio = service / baseline
    print(f"journal mode {mode}, synchronous {sync} (2 = FULL), {BLOCKS} x {BLOCK} rounds each")
    print(f"save_draft of ~2,000 characters: median {service:.3f} ms")
    print(f"bare UPDATE + COMMIT:            median {baseline:.3f} ms")
    print(f"ratio {ratio:.2f} (target <= {TARGET})")
    result = {
        "benchmark": "journal_save",
        "figures": {
            "ratio_to_bare_commit": round(ratio, 3),
            "save_draft_median_ms": round(service, 3),
            "bare_commit_median_ms": round(baseline, 3),
        },
        "targets": {"ratio_to_bare_commit": TARGET},
        "pass": ratio <= TARGET,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
