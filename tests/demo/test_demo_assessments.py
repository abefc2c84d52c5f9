"""Demo rating histories: most clients rated 2–5 times, both genders, corrections, drafts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from hemlos_desktop.demo.data import DEMO_TODAY, create_demo_database
from hemlos_desktop.models.assessment import Assessment, AssessmentStatus
from hemlos_desktop.models.client import Client
from hemlos_desktop.models.people import User
from hemlos_desktop.services import assessments
from hemlos_desktop.services.actor import actor_for_user
from hemlos_desktop.services.workspace import open_workspace
from hemlos_desktop.storage import DataLocation


def test_demo_histories(tmp_path: Path) -> None:
    location = DataLocation(tmp_path / "demo")
    create_demo_database(location, clients=400, seed=3, encrypted=False)
    db = open_workspace(location)
    try:
        with db.read() as s:
            rows = s.execute(
                select(
                    Assessment.client_id, Assessment.status, Assessment.corrects_id, Client.gender
                ).join(Client, Client.id == Assessment.client_id)
            ).all()
            admin = actor_for_user(s, s.scalars(select(User).where(User.username == "admin")).one())
        signed = Counter(cid for cid, st, corr, _g in rows if st == "signed" and corr is None)
        assert len(signed) > 400 * 0.5
        assert min(signed.values()) >= 2 and max(signed.values()) <= 6
        assert {g for *_rest, g in rows} >= {"woman", "man"}
        assert any(corr is not None for _c, _s, corr, _g in rows)
        assert any(st == AssessmentStatus.DRAFT.value for _c, st, _x, _g in rows)
        figures = assessments.group_followup(
            db, admin, period_start=DEMO_TODAY - dt.timedelta(days=1000), period_end=DEMO_TODAY
        )
        housing = figures.areas[0].groups["total"]
        assert housing.followed_up > 100
        assert housing.mean_change is not None and housing.mean_change > 0
        client = next(iter(signed))
        history = assessments.history(db, admin, client)
        assert all(a.rated_on <= DEMO_TODAY for a in history)
    finally:
        db.dispose()
