"""The team benchmarks' database: the 20,000-client demo with 40 members in the first team, its
active clients spread over them (made once under build/bench/, plain so that plain sqlite3 can
run the same aggregates)."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from hemlos_desktop.storage import DataLocation

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 20_000
MEMBERS = 40


def team_location() -> DataLocation:
    from sqlalchemy import select, update

    from hemlos_desktop.demo.data import create_demo_database
    from hemlos_desktop.models.client import Client
    from hemlos_desktop.models.people import Role, Team, TeamMember
    from hemlos_desktop.services.users import create_user
    from hemlos_desktop.services.workspace import open_workspace

    folder = ROOT / "build" / "bench" / f"team-{CLIENTS}-{MEMBERS}"
    location = DataLocation(folder)
    if location.database.exists():
        return location
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="team-", dir=folder.parent))
    try:
        print(f"creating a {CLIENTS}-client team database in {folder}", file=sys.stderr)
        create_demo_database(DataLocation(work), clients=CLIENTS, seed=1, encrypted=False)
        db = open_workspace(DataLocation(work))
        try:
            with db.begin() as session:
                team_id = session.scalar(select(Team.id).order_by(Team.id).limit(1))
                members = list(
                    session.scalars(select(TeamMember.user_id).where(TeamMember.team_id == team_id))
                )
                for number in range(MEMBERS - len(members)):
                    user = create_user(
                        session,
                        username=f"member{number:02d}",
                        display_name=f"Medlem {number:02d}",
                        role=Role.CASEWORKER,
                        team_ids=[team_id],  # type: ignore[list-item]
                    )
                    members.append(user.id)
                ids = list(session.scalars(select(Client.id).where(Client.team_id == team_id)))
                for index, client_id in enumerate(ids):
                    session.execute(
                        update(Client)
                        .where(Client.id == client_id)
                        .values(responsible_user_id=members[index % len(members)])
                    )
        finally:
            db.dispose()
        try:
            work.rename(folder)
        except OSError:
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return location
