"""The demo team: realistic caseloads, eviction cases in every state, a past meeting with
minutes; the board, the proposed agenda and the goals work on it."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from hemlos_desktop.demo import data as demo_data
from hemlos_desktop.demo.data import DEMO_TODAY, fill_demo
from hemlos_desktop.models.people import Team
from hemlos_desktop.models.team import EvictionOutcome
from hemlos_desktop.services import evictions, team_agenda, team_meetings
from hemlos_desktop.services.goals import GoalScope, goal_figures
from hemlos_desktop.services.team_board import team_board
from hemlos_desktop.services.users import actor_by_username
from hemlos_desktop.storage import Database


def test_demo_team_has_every_part(db: Database) -> None:
    fill_demo(db, random.Random(3), 600)
    lead = actor_by_username(db, "lead")
    with db.read() as s:
        team_id = s.scalar(select(Team.id).order_by(Team.id).limit(1))
    assert team_id is not None and team_id == min(lead.team_ids)
    board = team_board(db, lead, team_id, today=DEMO_TODAY)
    assert len(board.members) >= 4 and sum(m.active for m in board.members) > 50
    assert any(m.competences for m in board.members)
    cases = evictions.list_eviction_cases(db, lead, team_id=team_id, today=DEMO_TODAY)
    assert any(c.new for c in cases) and any(c.urgent for c in cases)
    assert any(c.open and not c.urgent and c.next_date for c in cases)
    assert {c.outcome for c in cases if c.outcome} == set(EvictionOutcome)
    meetings = team_meetings.list_meetings(db, lead, team_id)
    assert meetings and meetings[0].minutes_done
    detail = team_meetings.meeting_detail(db, lead, meetings[0].id)
    assert all(item.decision for item in detail.items)
    assert any(item.actions for item in detail.items)
    assert team_agenda.propose_agenda(db, lead, team_id, meeting_date=DEMO_TODAY)
    year = GoalScope(DEMO_TODAY - dt.timedelta(days=365), DEMO_TODAY, team_id)
    figures = {f.key.value: f for f in goal_figures(db, lead, year)}
    assert (figures["lease_kept"].total or 0) >= 1
    assert demo_data.DEMO_EXTENSIONS[-1] == "team"
