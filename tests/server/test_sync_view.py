"""Clients who enter or leave a person's view between syncs (services/sync_view.py): a client
moved to another team reaches the new team's laptops with everything written before, at the
next sync; the old team's laptops stop showing them, unless work on them is waiting there."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import PgDatabase
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from syncworld import Laptop, joined_laptops, set_up_store

from hemlos_desktop.models.assessment_rules import AreaRating, RatingDraft
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.instrument import SODERMALM_ID
from hemlos_desktop.models.people import Team, TeamMember, User
from hemlos_desktop.models.plan_rules import GoalSnapshot
from hemlos_desktop.models.sync_state import SyncFieldBase
from hemlos_desktop.services import assessments, journal, plans
from hemlos_desktop.services.clients import get_client, update_client
from hemlos_desktop.services.housing import list_periods, save_period
from hemlos_desktop.services.sync_conflicts import open_conflict_count
from hemlos_desktop.storage import server

TODAY = dt.date(2026, 12, 3)
AREAS = ("housing", "income", "substance_use", "daily_living", "occupation")


@pytest.fixture
def laptops(tmp_path: Path, pg_database: PgDatabase) -> Iterator[dict[str, Laptop]]:
    """anna (caseworker, team A), dag (caseworker, team B) and ida (administrator)."""
    url = set_up_store(pg_database)
    engine = server.server_engine(pg_database.url)
    try:
        with engine.begin() as conn, Session(bind=conn) as s:
            dag = s.scalar(select(User.id).where(User.username == "dag"))
            team_b = s.scalar(select(Team.id).where(Team.name == "B"))
            assert dag is not None and team_b is not None
            s.add(TeamMember(team_id=team_b, user_id=dag))
            s.flush()
    finally:
        engine.dispose()
    with joined_laptops(tmp_path, url, ("anna", "dag", "ida")) as made:
        yield made


def _draft_note(laptop: Laptop, client: int, note: str) -> int:
    return journal.save_draft(
        laptop.db,
        laptop.actor,
        client,
        draft_id=None,
        entry_date=TODAY,
        category=JournalCategory.CONTACT,
        text=note,
    ).value


def _case_file(laptop: Laptop, first: str) -> int:
    """A client of team B with a housing period, a signed note, a signed rating, a plan."""
    client = laptop.register(first, team="B", phone="070-555")
    save_period(
        laptop.db,
        laptop.actor,
        client,
        PeriodInput(code=2, start_date=dt.date(2026, 10, 1), place="Härbärget"),
        today=TODAY,
    )
    note = _draft_note(laptop, client, "Träffade klienten på härbärget")
    journal.sign_entry(laptop.db, laptop.actor, note, today=TODAY)
    draft = RatingDraft(SODERMALM_ID, 1, TODAY, True, tuple(AreaRating(key, 3) for key in AREAS))
    assessments.sign_draft(laptop.db, laptop.actor, client, draft, today=TODAY)
    plans.create_draft(laptop.db, laptop.actor, client, start=TODAY)
    info = plans.current_plan(laptop.db, laptop.actor, client)
    assert info is not None
    plans.save_draft(
        laptop.db,
        laptop.actor,
        info.version_id,
        dataclasses.replace(info.snapshot, goals=(GoalSnapshot("g1", "Egen lägenhet"),)),
        info.sip,
        expected_revision=info.revision,
    )
    return client


def _move(laptop: Laptop, first: str, team: str, responsible: str) -> None:
    """The client goes to ``team``, in the care of ``responsible``."""
    client = laptop.client_id(first)
    data = get_client(laptop.db, laptop.actor, client).data
    with laptop.db.read() as s:
        user = s.scalar(select(User.id).where(User.username == responsible))
    moved = dataclasses.replace(data, team_id=laptop.team_id(team), responsible_user_id=user)
    update_client(laptop.db, laptop.actor, client, moved)


def _count(laptop: Laptop, sql: str) -> int:
    with laptop.db.read() as s:
        return int(s.execute(text(sql)).scalar_one())


def test_a_client_moved_to_another_team_reaches_its_laptops_whole_and_leaves_the_old_ones(
    laptops: dict[str, Laptop],
) -> None:
    anna, dag, ida = laptops["anna"], laptops["dag"], laptops["ida"]
    _case_file(dag, "Vera")
    dag.sync()
    anna.sync()
    ida.sync()
    assert _count(anna, "SELECT count(*) FROM clients") == 0  # team B's: not hers

    # The administrator moves Vera to team A.
    _move(ida, "Vera", "A", "anna")
    ida.sync()
    result = anna.sync()
    assert result.complete and result.received >= 6
    vera = anna.client_id("Vera")
    assert anna.client_value("Vera", "phone") == "070-555"
    assert anna.client_value("Vera", "current_housing_code") == 2
    assert [p.place for p in list_periods(anna.db, anna.actor, vera)] == ["Härbärget"]
    assert _count(anna, "SELECT count(*) FROM journal_entries WHERE status = 'signed'") == 1
    assert _count(anna, "SELECT count(*) FROM assessments WHERE status = 'signed'") == 1
    assert _count(anna, "SELECT count(*) FROM assessment_areas") == len(AREAS)
    info = plans.current_plan(anna.db, anna.actor, vera)
    assert info is not None and [g.text for g in info.snapshot.goals] == ["Egen lägenhet"]
    assert _count(anna, "SELECT count(*) FROM plan_due_items") >= 0
    with anna.db.read() as s:  # every copied field has its base: later edits merge
        assert s.scalar(select(SyncFieldBase.server_seq).where(SyncFieldBase.field == "phone"))
    # The copy was not a change of anna's: nothing to send.
    assert anna.sync().sent == 0

    # Dag no longer sees Vera: his laptop stops showing her and everything of hers.
    dag.sync()
    assert _count(dag, "SELECT count(*) FROM clients") == 0
    assert _count(dag, "SELECT count(*) FROM journal_entries") == 0
    assert _count(dag, "SELECT count(*) FROM plan_versions") == 0
    assert dag.sync().sent == 0  # removing her sent nothing

    # anna edits a field that was set before Vera reached her: no conflict is invented.
    client = anna.client_id("Vera")
    data = get_client(anna.db, anna.actor, client).data
    update_client(anna.db, anna.actor, client, dataclasses.replace(data, phone="070-777"))
    anna.sync()
    ida.sync()
    assert ida.client_value("Vera", "phone") == "070-777"
    assert open_conflict_count(anna.db, anna.actor) == 0
    assert open_conflict_count(ida.db, ida.actor) == 0


def test_a_client_who_leaves_the_view_stays_while_a_draft_of_theirs_waits_here(
    laptops: dict[str, Laptop],
) -> None:
    dag, ida = laptops["dag"], laptops["ida"]
    client = dag.register("Vera", team="B")
    dag.sync()
    ida.sync()
    _draft_note(dag, client, "Ett utkast som bara finns här")
    _move(ida, "Vera", "A", "anna")
    ida.sync()
    dag.sync()
    assert dag.client_id("Vera") == client  # kept: the draft would be lost otherwise
    assert _count(dag, "SELECT count(*) FROM journal_entries WHERE status = 'draft'") == 1
