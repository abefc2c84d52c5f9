"""Case review meetings: the proposed agenda, reordering, minutes with actions, access."""

from __future__ import annotations

import datetime as dt

import pytest
from clientworld import World, pnr
from test_assessments_service import rating, signed

from hemlos_desktop.errors import AccessDeniedError, InvalidInputError
from hemlos_desktop.models.client import ContactKind, ContactOutcome
from hemlos_desktop.models.eviction_rules import EvictionInput
from hemlos_desktop.models.team import AgendaReason
from hemlos_desktop.services import evictions, team_agenda, team_meetings
from hemlos_desktop.services.contacts import ContactInput, add_contact
from hemlos_desktop.services.team_meetings import ActionDraft

D = dt.date


def test_agenda_proposal_each_client_once_in_order(world: World) -> None:
    admin = world.actors["admin"]
    day = dt.date.today() + dt.timedelta(days=40)
    evicted = world.add("Ada", "Ek", number=pnr(D(1980, 1, 1)))
    before, after = day - dt.timedelta(days=60), day + dt.timedelta(days=5)
    evictions.add_eviction_case(
        world.db, admin, evicted, EvictionInput(notice_date=before, hearing_date=after)
    )
    calm = world.add("Bea", "Berg", number=pnr(D(1981, 1, 1)))
    far = day + dt.timedelta(days=90)
    evictions.add_eviction_case(
        world.db, admin, calm, EvictionInput(notice_date=before, hearing_date=far)
    )
    add_contact(
        world.db,
        admin,
        calm,
        ContactInput(day - dt.timedelta(days=3), ContactKind.PHONE, ContactOutcome.BRIEF),
        today=day,
    )
    qualified = world.add("Cai", "Cedar", number=pnr(D(1982, 1, 1)))
    signed(world, qualified, rating(dt.date(2026, 10, 1), 3))
    rated_on = day - dt.timedelta(days=5)
    from hemlos_desktop.services import assessments

    assessments.sign_draft(world.db, admin, qualified, rating(rated_on, 2), today=rated_on)
    add_contact(
        world.db,
        admin,
        qualified,
        ContactInput(day - dt.timedelta(days=3), ContactKind.PHONE, ContactOutcome.BRIEF),
        today=day,
    )
    silent = world.add("Dan", "Dahl", number=pnr(D(1983, 1, 1)))
    world.add("Eje", "Other", number=pnr(D(1984, 1, 1)), team=world.team_b)
    proposals = team_agenda.propose_agenda(
        world.db, world.actors["lead"], world.team_a, meeting_date=day
    )
    assert [(p.client_id, p.reason) for p in proposals] == [
        (evicted, AgendaReason.EVICTION),
        (qualified, AgendaReason.NEWLY_QUALIFIED),
        (silent, AgendaReason.NO_CONTACT),
    ]


def test_meeting_agenda_minutes_and_actions(world: World) -> None:
    lead = world.actors["lead"]
    anna = world.actors["anna"].user_id
    day = dt.date.today()
    a = world.add("Ada", "Ek", number=pnr(D(1980, 1, 1)))
    b = world.add("Bea", "Berg", number=pnr(D(1981, 1, 1)))
    meeting = team_meetings.create_meeting(
        world.db, lead, world.team_a, meeting_date=day, participant_ids=[anna, lead.user_id],
        propose=False,
    ).value  # fmt: skip
    first = team_meetings.add_item(world.db, lead, meeting, client_id=a).value
    second = team_meetings.add_item(world.db, lead, meeting, client_id=b).value
    topic = team_meetings.add_item(world.db, lead, meeting, client_id=None, topic="Semester").value
    with pytest.raises(InvalidInputError):
        team_meetings.add_item(world.db, lead, meeting, client_id=None, topic=" ")
    team_meetings.move_item(world.db, lead, topic, -2)
    team_meetings.remove_item(world.db, lead, second)
    changes = team_meetings.record_minutes(
        world.db, lead, first, decision="Ansök om boendestöd",
        new_actions=[ActionDraft("Skriv ansökan", anna, day)],
    )  # fmt: skip
    assert changes.changes.client_ids == frozenset({a})
    with pytest.raises(InvalidInputError) as exc:
        team_meetings.record_minutes(
            world.db, lead, first, decision="x",
            new_actions=[ActionDraft("Ring", world.actors["bo"].user_id, day)],
        )  # fmt: skip
    assert exc.value.field == "actions.0.assigned_user_id"
    with pytest.raises(InvalidInputError):
        team_meetings.record_minutes(
            world.db, lead, first, decision="x", new_actions=[ActionDraft("Ring", anna, None)]
        )
    detail = team_meetings.meeting_detail(world.db, lead, meeting)
    assert [(i.position, i.client_name or i.topic) for i in detail.items] == [
        (1, "Semester"),
        (2, "Ada Ek"),
    ]
    assert detail.participants == ("Anna Worker", "Lead")
    action = detail.items[1].actions[0]
    assert (action.text, action.assigned_name, action.done) == (
        "Skriv ansökan",
        "Anna Worker",
        False,
    )
    assert team_meetings.my_open_actions(world.db, world.actors["anna"], today=day) == (0, 1)
    later = day + dt.timedelta(days=1)
    assert team_meetings.my_open_actions(world.db, world.actors["anna"], today=later) == (1, 0)
    # Anna marks her own action done; Bo (team B) cannot see the meeting at all.
    team_meetings.set_action_done(world.db, world.actors["anna"], action.id, done=True)
    assert team_meetings.my_open_actions(world.db, world.actors["anna"], today=day) == (0, 0)
    assert [m.id for m in team_meetings.list_meetings(world.db, lead, world.team_a)] == [meeting]
    assert team_meetings.list_meetings(world.db, world.actors["bo"], world.team_a) == []
    team_meetings.finish_minutes(world.db, lead, meeting)
    with pytest.raises(InvalidInputError):
        team_meetings.delete_meeting(world.db, lead, meeting)


def test_only_the_lead_or_boendelots_runs_a_meeting(world: World) -> None:
    with pytest.raises(AccessDeniedError):
        team_meetings.create_meeting(
            world.db, world.actors["anna"], world.team_a, meeting_date=dt.date.today(),
            participant_ids=[],
        )  # fmt: skip
    with pytest.raises(InvalidInputError):
        team_meetings.create_meeting(
            world.db, world.actors["lead"], world.team_a, meeting_date=dt.date.today(),
            participant_ids=[world.actors["bo"].user_id],
        )  # fmt: skip
