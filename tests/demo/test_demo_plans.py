"""Demo plans: every state, two versions for a revised plan, CTI and SIP, due items."""

from __future__ import annotations

import random
import time

from sqlalchemy import func, select

from hemlos_desktop.demo.data import fill_demo
from hemlos_desktop.models.plan import Plan, PlanDueItem, PlanVersion
from hemlos_desktop.storage import Database


def test_demo_plans_in_every_state(db: Database) -> None:
    started = time.perf_counter()
    fill_demo(db, random.Random(7), 60)
    assert time.perf_counter() - started < 20
    with db.read() as s:
        states = set(s.scalars(select(PlanVersion.state)))
        assert states == {"draft", "agreed", "followed_up", "revised", "closed"}
        two = s.scalar(
            select(func.count()).select_from(
                select(PlanVersion.plan_id)
                .group_by(PlanVersion.plan_id)
                .having(func.count() == 2)
                .subquery()
            )
        )
        assert two and two > 0
        assert s.scalar(select(func.count()).where(PlanVersion.template_id == "cti")) > 0
        assert s.scalar(select(func.count()).where(PlanVersion.is_sip.is_(True))) > 0
        assert s.scalar(select(func.count()).select_from(PlanDueItem)) > 0
        plans = s.scalar(select(func.count()).select_from(Plan))
        clients = s.scalar(select(func.count(func.distinct(Plan.client_id))))
        assert plans == clients
