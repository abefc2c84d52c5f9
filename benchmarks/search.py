"""Search while typing: the client list model against plain sqlite3 on the same file.

Each keystroke is a new ClientQuery -> a model reset with the new ids -> data() for the first
30 rows (all columns), as the list view does when it repaints. The baseline runs the same SQL
(compiled from the same statement: LIKE on name_search/id_search, the same ORDER BY) through
the standard library's sqlite3, then reads the first page of rows, with no ORM and no Qt.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _clientdb import demo_location, offscreen  # noqa: E402

VISIBLE_ROWS = 30
ROUNDS = 3
TARGET_MS = 30.0
TARGET_RATIO = 3.0
NAME = "Söderström"


def prefixes(text: str) -> list[str]:
    return [text[: i + 1] for i in range(len(text))]


def main() -> int:
    offscreen()
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from hemlos_desktop.services.clients import ClientQuery, build_search
    from hemlos_desktop.services.users import actor_by_username
    from hemlos_desktop.storage.database import open_database
    from hemlos_desktop.ui.itemmodels.client_table_model import PAGE_SIZE, ClientTableModel

    app = QApplication.instance() or QApplication([])
    location = demo_location()
    db = open_database(location)
    actor = actor_by_username(db, "worker")  # a caseworker: the visibility rule applies
    raw = sqlite3.connect(f"file:{location.database}?mode=ro", uri=True)
    number = raw.execute(
        "SELECT id_number FROM clients WHERE id_kind = 'personnummer' AND merged_into_id IS NULL"
        " AND protected_identity = 0 ORDER BY id LIMIT 1 OFFSET 123"
    ).fetchone()[0]
    typed = prefixes(NAME) + prefixes(number)

    model = ClientTableModel(db=db, actor=actor)
    columns = model.columnCount()

    def model_keystroke(text: str) -> int:
        model.search(ClientQuery(text=text))
        for row in range(min(VISIBLE_ROWS, model.rowCount())):
            for column in range(columns):
                model.index(row, column).data()
        return model.rowCount()

    def raw_keystroke(text: str) -> int:
        stmt = build_search(actor, ClientQuery(text=text))
        sql = str(
            stmt.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True})
        )
        # The same hint the service adds (see services.clients._scan_ids).
        sql = sql.replace("\nFROM clients", "\nFROM clients NOT INDEXED", 1)
        ids = [row[0] for row in raw.execute(sql)]
        page = ids[:PAGE_SIZE]
        if page:
            marks = ",".join("?" * len(page))
            raw.execute(
                "SELECT clients.*, users.display_name, teams.name FROM clients"
                " LEFT JOIN users ON users.id = clients.responsible_user_id"
                " LEFT JOIN teams ON teams.id = clients.team_id"
                f" WHERE clients.id IN ({marks})",
                page,
            ).fetchall()
        return len(ids)

    # Warm both up (file cache, statement caches) before measuring.
    for text in typed[:3]:
        model_keystroke(text)
        raw_keystroke(text)

    model_ms: list[float] = []
    raw_ms: list[float] = []
    for _round in range(ROUNDS):
        for text in typed:
            start = time.perf_counter()
            found_model = model_keystroke(text)
            model_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            found_raw = raw_keystroke(text)
            raw_ms.append((time.perf_counter() - start) * 1000)
            if found_model != found_raw:
                print(f"mismatch for a {len(text)}-character search", file=sys.stderr)
                return 2
        app.processEvents()

    median_model = statistics.median(model_ms)
    median_raw = statistics.median(raw_ms)
    ratio = median_model / median_raw if median_raw else float("inf")
    print(f"keystrokes measured: {len(model_ms)} (a name and a personnummer, {ROUNDS} rounds)")
    print(f"item model: median {median_model:.1f} ms, worst {max(model_ms):.1f} ms per keystroke")
    print(f"plain sqlite3: median {median_raw:.1f} ms per keystroke")
    print(f"ratio to raw SQL: {ratio:.2f}")
    figures = {
        "median_ms_per_keystroke": round(median_model, 2),
        "ratio_to_raw_sql": round(ratio, 2),
    }
    targets = {"median_ms_per_keystroke": TARGET_MS, "ratio_to_raw_sql": TARGET_RATIO}
    passed = median_model <= TARGET_MS and ratio <= TARGET_RATIO
    print(
        json.dumps({"benchmark": "search", "figures": figures, "targets": targets, "pass": passed})
    )
    raw.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
