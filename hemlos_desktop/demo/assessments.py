"""Demo rating histories: 2–5 signed assessments over time for most clients, some corrections
and a few drafts, so the history, the radar and the group follow-up have something to show.
A closed case's ratings all date from before its closure; now and then one area is closed (6)
while the others go on being rated.

Run by ``demo.data`` (``DEMO_EXTENSIONS``) in the demo transaction; bulk inserts, written
batch by batch as the ratings are made, keep 20,000 clients to a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemlos_desktop.models.assessment import AreaRatingRow, Assessment, AssessmentStatus
from hemlos_desktop.models.base import new_uid, utcnow
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.people import User
from hemlos_desktop.services import instruments
from hemlos_desktop.storage.bulk import deferred_indexes, insert_rows

SHARE_RATED = 0.7
SHARE_IMPROVING = 0.65
SHARE_CORRECTED = 0.04
SHARE_DRAFT = 0.03
SHARE_AREA_CLOSED = 0.03
FLUSH_AREAS = 20_000
COMMENTS = ("", "", "", "Bedömt tillsammans med klienten.", "Uppgifter från boendestödet.")


def generate(session: Session, rng: random.Random, today: dt.date) -> None:
    # Half a million ratings: their indexes are built once, after the rows are in.
    with deferred_indexes(session.connection(), ("assessments", "assessment_areas")):
        _generate(session, rng, today)


def _generate(session: Session, rng: random.Random, today: dt.date) -> None:
    row = instruments.latest_row(session, SODERMALM_ID)
    inst = instruments.instrument_of_row(row)
    keys = inst.area_keys
    low, high = inst.lowest, inst.highest
    closed = inst.rule.closed_level
    users = list(session.scalars(select(User.id).where(User.active.is_(True))))
    if not users:
        return
    next_id = int(session.scalar(select(func.max(Assessment.id))) or 0) + 1
    now = utcnow()
    assessment_rows: list[dict[str, Any]] = []
    area_rows: list[dict[str, Any]] = []

    def add(
        client_id: int,
        day: dt.date,
        levels: dict[str, int | None],
        *,
        rater: int,
        status: AssessmentStatus = AssessmentStatus.SIGNED,
        corrects: int | None = None,
    ) -> int:
        nonlocal next_id
        aid = next_id
        next_id += 1
        signed = status is AssessmentStatus.SIGNED
        stamp = dt.datetime.combine(day, dt.time(10, 0))
        assessment_rows.append(
            {
                "id": aid,
                "uid": new_uid(),
                "client_id": client_id,
                "instrument_version_id": row.id,
                "rated_on": day,
                "rater_id": rater,
                "client_took_part": rng.random() < 0.85,
                "status": status.value,
                "signed_at": stamp if signed else None,
                "corrects_id": corrects,
                "created_at": stamp if signed else now,
                "updated_at": stamp if signed else now,
            }
        )
        for key, level in levels.items():
            area_rows.append(
                {
                    "assessment_id": aid,
                    "area_key": key,
                    "level": level,
                    "not_assessed_reason": "" if level is not None else "Klienten ville inte",
                    "comment": rng.choice(COMMENTS),
                }
            )
        return aid

    def write() -> None:
        # Written as they are made, so memory holds one batch, not half a million ratings.
        insert_rows(session, Assessment, assessment_rows)
        insert_rows(session, AreaRatingRow, area_rows)
        assessment_rows.clear()
        area_rows.clear()

    clients = session.execute(
        select(
            Client.id,
            Client.status,
            Client.birth_date,
            Client.responsible_user_id,
            Client.closed_on,
        )
    ).all()
    for client_id, status, birth, responsible, closed_on in clients:
        if rng.random() >= SHARE_RATED:
            continue
        until = closed_on if closed_on is not None else today  # nothing after a closure
        rater = responsible or rng.choice(users)
        count = rng.randint(2, 5)
        start = until - dt.timedelta(days=rng.randint(count * 60, 900))
        if birth is not None and start < birth + dt.timedelta(days=18 * 365):
            start = birth + dt.timedelta(days=18 * 365 + 1)
        if start > until:
            continue
        improving = rng.random() < SHARE_IMPROVING
        levels: dict[str, int | None] = {
            key: rng.choice((low, low, low + 1, low + 1, low + 2)) for key in keys
        }
        span = max(1, (until - start).days)
        days = sorted({start + dt.timedelta(days=rng.randint(0, span)) for _ in range(count - 1)})
        days = [d for d in days if d <= until]
        days = [start, *[d for d in days if d > start]]
        ids: list[int] = []
        for index, day in enumerate(days):
            if index:
                for key in keys:
                    level = levels[key]
                    if level is None:
                        level = low + 1
                    step = rng.choice((0, 1, 1, 2) if improving else (-1, 0, 0, 1))
                    levels[key] = min(high, max(low, level + step))
            current = dict(levels)
            if rng.random() < 0.05:
                current[rng.choice(keys)] = None
            if closed is not None and index and rng.random() < SHARE_AREA_CLOSED:
                current[rng.choice(keys)] = closed  # closed for that area only
            ids.append(add(client_id, day, current, rater=rater))
        if rng.random() < SHARE_CORRECTED:
            fixed = dict(levels)
            key = rng.choice(keys)
            fixed[key] = min(high, max(low, (fixed[key] or low) + rng.choice((-1, 1))))
            add(client_id, days[-1], fixed, rater=rater, corrects=ids[-1])
        elif status != ClientStatus.CLOSED.value and rng.random() < SHARE_DRAFT:
            add(client_id, today, dict(levels), rater=rater, status=AssessmentStatus.DRAFT)

        if len(area_rows) >= FLUSH_AREAS:
            write()
    write()
