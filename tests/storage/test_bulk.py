"""Bulk inserts of generated rows: dates as SQLAlchemy writes them, defaults as it gives them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hemlos_desktop.models.people import Team
from hemlos_desktop.storage import Database
from hemlos_desktop.storage.bulk import insert_rows


def test_left_out_columns_get_their_defaults_and_dates_read_back(db: Database) -> None:
    with db.begin() as session:
        insert_rows(session, Team, [{"name": "Boendelots"}, {"name": "Uppsökarteamet"}])
    with db.read() as session:
        orm_team = Team(name="Vräkning")
        session.add(orm_team)
        session.flush()
        expected = {c.name for c in Team.__table__.columns if c.default is not None}
        teams = list(session.scalars(select(Team).order_by(Team.id)))
        assert [t.name for t in teams[:2]] == ["Boendelots", "Uppsökarteamet"]
        for column in expected:  # the same kind of value the ORM gives
            for team in teams[:2]:
                value, orm_value = getattr(team, column), getattr(orm_team, column)
                assert type(value) is type(orm_value), column
        uids = {getattr(t, "uid", None) for t in teams}
        assert len(uids) == len(teams)  # a callable default is called for each row
        session.rollback()


def test_dates_and_times_are_stored_as_sqlalchemy_stores_them(db: Database) -> None:
    stamp = dt.datetime(2026, 11, 2, 15, 30, 0, 123)
    with db.begin() as session:
        insert_rows(session, Team, [{"name": "A", "created_at": stamp, "updated_at": stamp}])
    with db.read() as session:
        team = session.scalars(select(Team)).one()
        assert team.created_at == stamp
