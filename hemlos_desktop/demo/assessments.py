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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hemlos_desktop.demo.clients import ClientFact, UidSource
from hemlos_desktop.models.assessment import AreaRatingRow, Assessment, AssessmentStatus
from hemlos_desktop.models.base import utcnow
from hemlos_desktop.models.client import Client, ClientStatus
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.people import User
from hemlos_desktop.services import instruments
from hemlos_desktop.storage.bulk import datetime_text, deferred_indexes, insert_tuples

SHARE_RATED = 0.7
SHARE_IMPROVING = 0.65
SHARE_CORRECTED = 0.04
SHARE_DRAFT = 0.03
SHARE_AREA_CLOSED = 0.03
FLUSH_AREAS = 20_000
COMMENTS = ("", "", "", "Bedömt tillsammans med klienten.", "Uppgifter från boendestödet.")
ASSESSMENT_COLUMNS = (
    "id", "uid", "client_id", "instrument_version_id", "rated_on", "rater_id",
    "client_took_part", "status", "signed_at", "corrects_id", "created_at", "updated_at",
)  # fmt: skip
AREA_COLUMNS = ("assessment_id", "area_key", "level", "not_assessed_reason", "comment")
RatingBatch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]
_SIGNED, _DRAFT = AssessmentStatus.SIGNED.value, AssessmentStatus.DRAFT.value
_CLOSED = ClientStatus.CLOSED.value


@dataclass(frozen=True)
class RatingSpec:
    """What the ratings are made with: the instrument's version and areas, the raters, the
    first free assessment id and the day nothing is dated after."""

    instrument_version_id: int
    keys: tuple[str, ...]
    low: int
    high: int
    closed: int | None
    users: tuple[int, ...]
    next_id: int
    today: dt.date


def rating_spec(session: Session, today: dt.date) -> RatingSpec | None:
    """The spec from the database (None when there is no one to rate)."""
    row = instruments.latest_row(session, SODERMALM_ID)
    inst = instruments.instrument_of_row(row)
    users = tuple(session.scalars(select(User.id).where(User.active.is_(True))))
    if not users:
        return None
    next_id = int(session.scalar(select(func.max(Assessment.id))) or 0) + 1
    return RatingSpec(
        row.id,
        tuple(inst.area_keys),
        inst.lowest,
        inst.highest,
        inst.rule.closed_level,
        users,
        next_id,
        today,
    )


def generate(session: Session, rng: random.Random, today: dt.date) -> None:
    spec = rating_spec(session, today)
    if spec is None:
        return
    facts = [
        ClientFact(client_id, status, birth, responsible, closed_on)
        for client_id, status, birth, responsible, closed_on in session.execute(
            select(
                Client.id,
                Client.status,
                Client.birth_date,
                Client.responsible_user_id,
                Client.closed_on,
            ).order_by(Client.id)
        )
    ]
    write(session, rating_batches(rng, facts, spec))


def write(session: Session, batches: Iterable[RatingBatch]) -> None:
    """Write the ratings batch by batch; half a million of them: their indexes are built
    once, after the rows are in."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    with deferred_indexes(connection, ("assessments", "assessment_areas")):
        for assessment_rows, area_rows in batches:
            insert_tuples(raw, Assessment, ASSESSMENT_COLUMNS, assessment_rows)
            insert_tuples(raw, AreaRatingRow, AREA_COLUMNS, area_rows)


def rating_batches(
    rng: random.Random, facts: Iterable[ClientFact], spec: RatingSpec
) -> Iterator[RatingBatch]:
    """The clients' rating histories as rows, in batches of about :data:`FLUSH_AREAS` areas
    (memory holds one batch, not half a million ratings)."""
    randbelow: Callable[[int], int] = rng._randbelow  # type: ignore[attr-defined]
    chance = rng.random
    uids = UidSource().take
    keys, low, high, closed, users = spec.keys, spec.low, spec.high, spec.closed, spec.users
    today, version_id = spec.today, spec.instrument_version_id
    now = datetime_text(utcnow())
    next_id = spec.next_id
    assessment_rows: list[tuple[Any, ...]] = []
    area_rows: list[tuple[Any, ...]] = []
    starting = (low, low, low + 1, low + 1, low + 2)
    better, worse = (0, 1, 1, 2), (-1, 0, 0, 1)

    def randint(lowest: int, highest: int) -> int:
        return lowest + randbelow(highest - lowest + 1)

    def add(
        client_id: int,
        day: dt.date,
        levels: dict[str, int | None],
        *,
        rater: int,
        status: str = _SIGNED,
        corrects: int | None = None,
    ) -> int:
        nonlocal next_id
        aid = next_id
        next_id += 1
        rated_on = day.isoformat()
        if status == _SIGNED:
            stamp: str | None = f"{rated_on} 10:00:00.000000"
            made = stamp
        else:
            stamp, made = None, now
        assessment_rows.append(
            (aid, uids(), client_id, version_id, rated_on, rater, chance() < 0.85, status,
             stamp, corrects, made, made)
        )  # fmt: skip
        for key, level in levels.items():
            area_rows.append(
                (aid, key, level, "" if level is not None else "Klienten ville inte",
                 COMMENTS[randbelow(5)])
            )  # fmt: skip
        return aid

    for fact in facts:
        if chance() >= SHARE_RATED:
            continue
        until = fact.closed_on if fact.closed_on is not None else today  # nothing after
        rater = fact.responsible or users[randbelow(len(users))]
        count = randint(2, 5)
        start = until - dt.timedelta(days=randint(count * 60, 900))
        birth = fact.birth_date
        if birth is not None and start < birth + dt.timedelta(days=18 * 365):
            start = birth + dt.timedelta(days=18 * 365 + 1)
        if start > until:
            continue
        improving = chance() < SHARE_IMPROVING
        steps = better if improving else worse
        levels: dict[str, int | None] = {key: starting[randbelow(5)] for key in keys}
        span = max(1, (until - start).days)
        days = sorted({start + dt.timedelta(days=randint(0, span)) for _ in range(count - 1)})
        days = [d for d in days if d <= until]
        days = [start, *[d for d in days if d > start]]
        ids: list[int] = []
        for index, day in enumerate(days):
            if index:
                for key in keys:
                    level = levels[key]
                    if level is None:
                        level = low + 1
                    levels[key] = min(high, max(low, level + steps[randbelow(4)]))
            current = dict(levels)
            if chance() < 0.05:
                current[keys[randbelow(len(keys))]] = None
            if closed is not None and index and chance() < SHARE_AREA_CLOSED:
                current[keys[randbelow(len(keys))]] = closed  # closed for that area only
            ids.append(add(fact.client_id, day, current, rater=rater))
        if chance() < SHARE_CORRECTED:
            fixed = dict(levels)
            key = keys[randbelow(len(keys))]
            fixed[key] = min(high, max(low, (fixed[key] or low) + (-1, 1)[randbelow(2)]))
            add(fact.client_id, days[-1], fixed, rater=rater, corrects=ids[-1])
        elif fact.status != _CLOSED and chance() < SHARE_DRAFT:
            add(fact.client_id, today, dict(levels), rater=rater, status=_DRAFT)

        if len(area_rows) >= FLUSH_AREAS:
            yield assessment_rows, area_rows
            assessment_rows, area_rows = [], []
    if assessment_rows:
        yield assessment_rows, area_rows
