"""export-clients on an encrypted register of 200,000 clients (information, no target).

Times ``client_io.export_clients`` to CSV as an administrator (every client) and, as the raw
floor in the same run, one plain query of the same columns on the same encrypted file written
with the csv module. Prints both and their ratio.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _clientdb import LARGE_CLIENTS, demo_location  # noqa: E402

COLUMNS = (
    "id_number, id_kind, first_name, last_name, alias, gender, birth_date, language, phone,"
    " email, address, team_id, responsible_user_id, protected_identity"
)


def main() -> int:
    from hemlos_desktop.demo.data import open_demo
    from hemlos_desktop.services import client_io

    location = demo_location(LARGE_CLIENTS)
    db, actor = open_demo(location, username="admin")
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "clients.csv"
        start = time.perf_counter()
        rows = client_io.export_clients(db, actor, target, lang="sv")
        program = time.perf_counter() - start

        start = time.perf_counter()
        conn = db.raw_connection(read_only=True)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=";")
        writer.writerows(conn.execute(f"SELECT {COLUMNS} FROM clients ORDER BY sort_name"))
        (Path(folder) / "raw.csv").write_bytes(buffer.getvalue().encode("utf-8"))
        conn.close()
        raw = time.perf_counter() - start
    db.dispose()
    print(f"export-clients: {rows} rows in {program:.2f} s; raw query and csv {raw:.2f} s")
    figures = {
        "export_clients_seconds_200k": round(program, 2),
        "raw_seconds_200k": round(raw, 2),
        "ratio_to_raw_200k": round(program / raw, 2) if raw else 0.0,
    }
    print(json.dumps({"benchmark": "export", "figures": figures, "targets": {}, "pass": True}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
