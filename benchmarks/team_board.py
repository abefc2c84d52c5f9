"""team_board: open the team board with every member's figures (40 members, 20,000 clients).

Each sample loads the real ``BoardView`` (all its queries) and paints it once, as the lead of the
first demo team. ``ratio_to_raw_sql`` compares the board service with plain ``sqlite3`` running
the same aggregates on the same file. The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _teamdb import MEMBERS, team_location  # noqa: E402

SAMPLES = 15
TARGET_MS = 150.0
TARGET_RATIO = 3.0

RAW = (
    """SELECT responsible_user_id, worst, count(*)
       FROM (SELECT c.responsible_user_id AS responsible_user_id,
               (SELECT CASE WHEN count(*) = 0 THEN NULL
                            WHEN count(*) != count(a.level) THEN 99 ELSE max(a.level) END
                  FROM assessment_areas a
                 WHERE a.assessment_id = (SELECT s.id FROM assessments s
                                           WHERE s.client_id = c.id AND s.status = 'signed'
                                           ORDER BY s.rated_on DESC, s.id DESC LIMIT 1)) AS worst
               FROM clients c
              WHERE c.team_id = :team AND c.status = 'active' AND c.merged_into_id IS NULL
                AND (c.protected_identity = 0 OR c.responsible_user_id = :me) LIMIT -1)
      GROUP BY responsible_user_id, worst""",
    """SELECT responsible_user_id, current_housing_code, count(*) FROM clients
        WHERE team_id = :team AND status = 'active' AND merged_into_id IS NULL
          AND (protected_identity = 0 OR responsible_user_id = :me)
        GROUP BY responsible_user_id, current_housing_code""",
    """SELECT CASE WHEN d.kind = 'action' THEN d.responsible_user_id ELSE c.responsible_user_id END,
              sum(d.due < :today), sum(d.due >= :today AND d.due <= :week_end)
         FROM plan_due_items d JOIN plan_versions v ON v.id = d.version_id
         JOIN plans p ON p.id = v.plan_id JOIN clients c ON c.id = p.client_id
        WHERE v.state IN ('agreed', 'followed_up') AND d.done = 0 AND d.due <= :week_end
          AND c.team_id = :team AND c.status = 'active' AND c.merged_into_id IS NULL
          AND (c.protected_identity = 0 OR c.responsible_user_id = :me)
        GROUP BY 1""",
    """SELECT m.assigned_user_id, sum(m.due < :today), sum(m.due >= :today)
         FROM meeting_actions m JOIN team_members t ON t.user_id = m.assigned_user_id
        WHERE t.team_id = :team AND m.done = 0 AND m.due <= :week_end
        GROUP BY m.assigned_user_id""",
    """SELECT c.responsible_user_id, count(*),
              min(CASE WHEN e.hearing_date >= :today THEN e.hearing_date END)
         FROM clients c JOIN eviction_cases e ON e.client_id = c.id
        WHERE c.team_id = :team AND c.status = 'active' AND e.outcome = ''
        GROUP BY c.responsible_user_id""",
    """SELECT u.id, u.display_name, t.team_role, un.name FROM users u
         JOIN team_members t ON t.user_id = u.id LEFT JOIN team_units un ON un.id = t.unit_id
        WHERE t.team_id = :team AND u.active = 1 ORDER BY u.display_name""",
    """SELECT user_id, competence, trained_on FROM member_competences
        WHERE user_id IN (SELECT user_id FROM team_members WHERE team_id = :team)""",
)


def main() -> int:
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from hemlos_desktop import i18n
    from hemlos_desktop.services.plan_due import week_end
    from hemlos_desktop.services.team_board import team_board
    from hemlos_desktop.services.users import actor_by_username
    from hemlos_desktop.services.workspace import open_workspace
    from hemlos_desktop.settings import Settings
    from hemlos_desktop.ui.change_notifier import ChangeNotifier
    from hemlos_desktop.ui.context import UiContext
    from hemlos_desktop.ui.team.views import BoardView

    location = team_location()
    i18n.set_language("sv")
    app = QApplication.instance() or QApplication([])
    today = dt.date(2026, 11, 2)
    db = open_workspace(location)
    try:
        actor = actor_by_username(db, "lead")
        team_id = min(actor.team_ids)
        ctx = UiContext(db=db, actor=actor, notifier=ChangeNotifier(), settings=Settings())
        view = BoardView(context=ctx)
        view.resize(1300, 800)
        view.show()
        widget_ms: list[float] = []
        service_ms: list[float] = []
        for index in range(SAMPLES + 2):
            start = time.perf_counter()
            view.load(team_id, today=today)
            view.repaint()
            app.processEvents()
            elapsed = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            board = team_board(db, actor, team_id, today=today)
            service = (time.perf_counter() - start) * 1000
            if index >= 2:
                widget_ms.append(elapsed)
                service_ms.append(service)
        members = len(board.members)
        view.close()
    finally:
        db.dispose()
    params = {
        "team": team_id,
        "me": actor.user_id,
        "today": today.isoformat(),
        "week_end": week_end(today).isoformat(),
    }
    raw_ms: list[float] = []
    conn = sqlite3.connect(location.database)
    try:
        for index in range(SAMPLES + 2):
            start = time.perf_counter()
            for sql in RAW:
                conn.execute(sql, params).fetchall()
            if index >= 2:
                raw_ms.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    median = statistics.median(widget_ms)
    ratio = statistics.median(service_ms) / statistics.median(raw_ms)
    print(
        f"{members} members (of {MEMBERS}): board {median:.1f} ms (service "
        f"{statistics.median(service_ms):.1f} ms, raw SQL {statistics.median(raw_ms):.1f} ms)"
    )
    result = {
        "benchmark": "team_board",
        "figures": {"median_ms": round(median, 2), "ratio_to_raw_sql": round(ratio, 2)},
        "targets": {"median_ms": TARGET_MS, "ratio_to_raw_sql": TARGET_RATIO},
        "pass": median <= TARGET_MS and ratio <= TARGET_RATIO,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
