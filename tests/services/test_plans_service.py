"""Plans service: drafts, agreeing, follow-up, revisions, stale writes, what is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from clientworld import World
from sqlalchemy import select

from hemlos_desktop.errors import AccessDeniedError, NotFoundError
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.client import ClosureReason
from hemlos_desktop.models.plan import PlanDueItem, SipInfo, SipParty
from hemlos_desktop.models.plan_diff import Change
from hemlos_desktop.models.plan_rules import (
    ActionResult,
    ActionSnapshot,
    ActionStatus,
    AgreementRecord,
    FollowUpPoint,
    FollowUpRecord,
    GoalResult,
    GoalSnapshot,
    PlanRuleError,
    PlanState,
    Responsible,
    ResponsibleKind,
)
from hemlos_desktop.services import case_status, plan_due, plans

TODAY = dt.date(2026, 11, 2)  # a Monday
RECORD = AgreementRecord(TODAY, ("Klient", "Anna"), client_agreed=True, client_signed=True)


def filled(info: plans.PlanVersionInfo, anna_id: int) -> plans.PlanVersionInfo:
    """A draft from a template with every goal in the client's words and every responsible
    named (as a worker would)."""
    goals = tuple(
        replace(
            g,
            text=f"Med mina egna ord: {g.suggestion}",
            actions=tuple(
                replace(
                    a, responsible=Responsible(ResponsibleKind.TEAM_MEMBER, "Anna", None, anna_id)
                )
                for a in g.actions
            ),
        )
        for g in info.snapshot.goals
    )
    return replace(info, snapshot=replace(info.snapshot, goals=goals))


@pytest.fixture
def setup(world: World) -> tuple[World, int]:
    client = world.add("Kim", "Berg", by="anna")
    return world, client


def agreed_plan(world: World, client: int) -> plans.PlanVersionInfo:
    anna = world.actors["anna"]
    draft = plans.create_draft(
        world.db, anna, client, start=TODAY, template_id="housing_first", language="sv"
    ).value
    draft = filled(draft, anna.user_id)
    saved = plans.save_draft(
        world.db,
        anna,
        draft.version_id,
        draft.snapshot,
        draft.sip,
        expected_revision=draft.revision,
    ).value
    return plans.agree(world.db, anna, saved.version_id, RECORD, today=TODAY).value


def test_draft_from_template_and_agree(setup: tuple[World, int]) -> None:
    world, client = setup
    info = agreed_plan(world, client)
    assert info.state is PlanState.AGREED and info.version == 1
    assert info.snapshot.agreement == RECORD
    assert plans.current_plan(world.db, world.actors["anna"], client) == info
    with world.db.read() as s:
        actions = set(s.scalars(select(AuditEntry.action).where(AuditEntry.client_id == client)))
    assert actions >= {"create", "change", "sign"}


def test_a_template_draft_names_each_action_that_lacks_something(
    setup: tuple[World, int],
) -> None:
    world, client = setup
    anna = world.actors["anna"]
    draft = plans.create_draft(
        world.db, anna, client, start=TODAY, template_id="housing_first", language="en"
    ).value
    # The template's goals are suggestions: the client's words start empty.
    assert all(g.text == "" and g.suggestion for g in draft.snapshot.goals)
    with pytest.raises(PlanRuleError) as failed:
        plans.agree(world.db, anna, draft.version_id, RECORD, today=TODAY)
    messages = [p.message for p in failed.value.problems]
    actions = [a for g in draft.snapshot.goals for a in g.actions]
    third = actions[2]
    [named] = [m for m in messages if m.startswith("Action 3 ")]
    assert f"Action 3 '{third.text[:40]}" in named and "choose who is responsible" in named
    assert sum("choose who is responsible" in m for m in messages) == len(actions)
    assert all(m.startswith(("Goal ", "Action ")) for m in messages)
    assert "Choose who is responsible." not in messages  # never bare, without naming the action


def test_empty_draft_cannot_be_agreed(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    draft = plans.create_draft(world.db, anna, client, start=TODAY).value
    with pytest.raises(PlanRuleError) as failed:
        plans.agree(world.db, anna, draft.version_id, RECORD, today=TODAY)
    assert "goals" in [p.field for p in failed.value.problems]
    assert "goal" in failed.value.message()
    assert plans.get_version(world.db, anna, draft.version_id).state is PlanState.DRAFT


def test_due_before_start_refused_and_nothing_saved(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    draft = plans.create_draft(world.db, anna, client, start=TODAY).value
    bad = ActionSnapshot("a1", "Visit", None, start=TODAY, due=TODAY - dt.timedelta(days=1))
    snap = replace(draft.snapshot, goals=(GoalSnapshot("g1", "Ett eget hem", None, (bad,)),))
    with pytest.raises(PlanRuleError) as failed:
        plans.save_draft(world.db, anna, draft.version_id, snap, SipInfo(), expected_revision=1)
    assert "actions.a1.due" in [p.field for p in failed.value.problems]
    assert plans.get_version(world.db, anna, draft.version_id).snapshot.goals == ()


def test_stale_write_from_second_window(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    draft = plans.create_draft(world.db, anna, client, start=TODAY).value
    goal = GoalSnapshot("g1", "Första fönstret")
    first = plans.save_draft(
        world.db,
        anna,
        draft.version_id,
        replace(draft.snapshot, goals=(goal,)),
        SipInfo(),
        expected_revision=draft.revision,
    ).value
    second = replace(draft.snapshot, goals=(GoalSnapshot("g2", "Andra fönstret"),))
    with pytest.raises(plans.StalePlanError) as failed:
        plans.save_draft(
            world.db, anna, draft.version_id, second, SipInfo(), expected_revision=draft.revision
        )
    assert failed.value.advice()
    kept = plans.get_version(world.db, anna, draft.version_id)
    assert kept.snapshot.goals == (goal,) and kept.revision == first.revision


def test_agreed_plan_never_edited_revise_and_compare(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    v1 = agreed_plan(world, client)
    with pytest.raises(PlanRuleError):
        plans.save_draft(
            world.db, anna, v1.version_id, v1.snapshot, v1.sip, expected_revision=v1.revision
        )
    v2 = plans.revise(world.db, anna, v1.version_id).value
    assert (v2.version, v2.state, v2.plan_uid) == (2, PlanState.DRAFT, v1.plan_uid)
    assert plans.revise(world.db, anna, v1.version_id).value.version_id == v2.version_id
    first_goal = v2.snapshot.goals[0]
    changed = replace(v2.snapshot, goals=(replace(first_goal, text="Ny text"),))
    v2 = plans.save_draft(
        world.db, anna, v2.version_id, changed, v2.sip, expected_revision=v2.revision
    ).value
    # v1 still in force until v2 is agreed
    assert plans.current_plan(world.db, anna, client).version == 1  # type: ignore[union-attr]
    v2 = plans.agree(world.db, anna, v2.version_id, RECORD, today=TODAY).value
    versions = plans.list_versions(world.db, anna, client)
    assert [(v.version, v.state) for v in versions] == [
        (2, PlanState.AGREED),
        (1, PlanState.REVISED),
    ]
    rows = plans.compare(world.db, anna, v1.version_id, v2.version_id)
    changes = {r.change for r in rows}
    assert Change.CHANGED in changes and Change.REMOVED in changes


def test_follow_up_and_removed_action(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    v1 = agreed_plan(world, client)
    action = v1.snapshot.goals[0].actions[0]
    later = TODAY + dt.timedelta(days=90)
    record = FollowUpRecord(
        later,
        goal_results=(GoalResult(v1.snapshot.goals[0].uid, 2, "på väg"),),
        action_results=(ActionResult(action.uid, ActionStatus.DONE, "klart"),),
    )
    followed = plans.follow_up(world.db, anna, v1.version_id, record, today=later).value
    assert followed.state is PlanState.FOLLOWED_UP
    assert followed.snapshot.action(action.uid).status is ActionStatus.DONE  # type: ignore[union-attr]
    gone = FollowUpRecord(later, action_results=(ActionResult("nope", ActionStatus.DONE),))
    with pytest.raises(PlanRuleError) as failed:
        plans.follow_up(world.db, anna, v1.version_id, gone, today=later)
    assert "no longer in the plan" in failed.value.message()


def test_close_and_new_plan(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    draft = plans.create_draft(world.db, anna, client, start=TODAY).value
    with pytest.raises(plans.OpenPlanExistsError):
        plans.create_draft(world.db, anna, client, start=TODAY)
    closed = plans.close(world.db, anna, draft.version_id).value
    assert closed.state is PlanState.CLOSED
    assert plans.create_draft(world.db, anna, client, start=TODAY).value.version == 1


def test_access_rules(setup: tuple[World, int]) -> None:
    world, client = setup
    with pytest.raises(NotFoundError):
        plans.create_draft(world.db, world.actors["bo"], client, start=TODAY)
    with pytest.raises(AccessDeniedError):
        plans.create_draft(world.db, world.actors["audit"], client, start=TODAY)


def test_sip_lead_must_be_a_party(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    draft = plans.create_draft(world.db, anna, client, start=TODAY).value
    bad = SipInfo((SipParty("Psykiatrin", "Eva", "Medicinering"),), lead="Kommunen")
    with pytest.raises(PlanRuleError):
        plans.save_draft(world.db, anna, draft.version_id, draft.snapshot, bad, expected_revision=1)
    good = SipInfo((SipParty("Psykiatrin", "Eva", "Medicinering"),), lead="Psykiatrin")
    saved = plans.save_draft(
        world.db, anna, draft.version_id, draft.snapshot, good, expected_revision=1
    ).value
    assert saved.sip == good


def test_what_is_due(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    v1 = agreed_plan(world, client)
    with world.db.read() as s:
        dues = list(
            s.scalars(select(PlanDueItem.due).where(PlanDueItem.version_id == v1.version_id))
        )
    assert dues and all(d is not None for d in dues)
    later = TODAY + dt.timedelta(days=20)
    mine = plan_due.due_items(world.db, anna, today=later)
    counts = plan_due.due_counts(world.db, anna, today=later)
    assert counts.total == len(mine) > 0
    assert counts.overdue == sum(1 for i in mine if i.bucket is plan_due.DueBucket.OVERDUE)
    team = plan_due.due_counts(
        world.db, world.actors["lead"], scope=plan_due.DueScope.TEAM, today=later
    )
    assert team.total >= counts.total
    assert plan_due.due_counts(world.db, world.actors["lead"], today=later).total == 0
    assert (
        plan_due.due_counts(
            world.db, world.actors["bo"], scope=plan_due.DueScope.TEAM, today=later
        ).total
        == 0
    )


def test_a_closed_case_has_nothing_due(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    agreed_plan(world, client)
    later = TODAY + dt.timedelta(days=20)
    before = plan_due.due_counts(world.db, anna, today=later).total
    assert before > 0
    case_status.close_case(world.db, anna, client, ClosureReason.OWN_HOUSING, today=later)
    assert plan_due.due_counts(world.db, anna, today=later).total == 0
    assert not plan_due.due_items(world.db, anna, today=later)
    case_status.reopen_case(world.db, anna, client)
    assert plan_due.due_counts(world.db, anna, today=later).total == before


def test_overview_cti(setup: tuple[World, int]) -> None:
    world, client = setup
    anna = world.actors["anna"]
    plans.create_draft(world.db, anna, client, start=TODAY, template_id="cti", language="da")
    seen = plans.overview(world.db, anna, client, today=TODAY + dt.timedelta(days=100))
    assert seen.cti is not None and seen.cti.phase is not None and seen.cti.phase.number == 2
    assert seen.next_follow_up is not None


def test_follow_up_points_done_after_follow_up() -> None:
    from hemlos_desktop.models.plan import due_rows
    from hemlos_desktop.models.plan_rules import PlanSnapshot

    snap = PlanSnapshot(
        "p",
        follow_up_points=(FollowUpPoint(TODAY), FollowUpPoint(TODAY + dt.timedelta(days=9))),
        follow_ups=(FollowUpRecord(TODAY + dt.timedelta(days=1)),),
    )
    assert [r["done"] for r in due_rows(snap)] == [True, False]
