"""goals: the whole goals dashboard over one year on the 20,000-client demo (40 members).

Each sample computes every goal's figure split by gender, once for the first team as its lead
and once for everyone as the administrator; ``seconds`` is the slower of the two medians.
The last line printed is one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time

from _teamdb import team_location

SAMPLES = 5
TARGET_SECONDS = 1.0


def main() -> int:
    from hemlos_desktop.services.goals import GoalScope, goal_figures
    from hemlos_desktop.services.users import actor_by_username
    from hemlos_desktop.services.workspace import open_workspace

    location = team_location()
    end = dt.date(2026, 11, 2)
    start = end - dt.timedelta(days=365)
    db = open_workspace(location)
    medians: dict[str, float] = {}
    try:
        lead = actor_by_username(db, "lead")
        admin = actor_by_username(db, "admin")
        for name, actor, team in (
            ("team", lead, min(lead.team_ids)),
            ("all", admin, None),
        ):
            times = []
            for index in range(SAMPLES + 1):
                begin = time.perf_counter()
                figures = goal_figures(db, actor, GoalScope(start, end, team))
                if index:
                    times.append(time.perf_counter() - begin)
            medians[name] = statistics.median(times)
            totals = ", ".join(f"{f.key.value}={f.total}" for f in figures)
            print(f"{name}: {medians[name]:.3f} s ({totals})")
    finally:
        db.dispose()
    seconds = max(medians.values())
    result = {
        "benchmark": "goals",
        "figures": {
            "seconds": round(seconds, 3),
            "team_seconds": round(medians["team"], 3),
            "all_seconds": round(medians["all"], 3),
        },
        "targets": {"seconds": TARGET_SECONDS},
        "pass": seconds <= TARGET_SECONDS,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
