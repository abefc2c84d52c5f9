"""Plan life cycle and validation rules. No Qt, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hemlos_desktop import i18n
from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.plan_lifecycle import agree, follow_up, revise
from hemlos_desktop.models.plan_rules import (
    ACTION_TEXT_MAX,
    GOAL_TEXT_MAX,
    OUTSIDE_PARTIES,
    RATING_AREAS,
    TRANSITIONS,
    ActionResult,
    ActionSnapshot,
    ActionStatus,
    AgreementRecord,
    FollowUpPoint,
    FollowUpRecord,
    GoalResult,
    GoalSnapshot,
    PlanRuleError,
    PlanSnapshot,
    PlanState,
    Responsible,
    ResponsibleKind,
    RuleProblem,
    action_status_label,
    can_transition,
    check_transition,
    ensure_editable,
    outside_party_label,
    rating_area_label,
    reached_label,
    responsible_kind_label,
    state_label,
    transition,
    validate_action,
    validate_agreement,
    validate_follow_up,
    validate_for_agreement,
    validate_goal,
    validate_plan,
)

TODAY = date(2026, 6, 1)
WORKER = Responsible(ResponsibleKind.TEAM_MEMBER, "Anna Lind", user_id=3)


def action(uid: str = "a1", **changes: object) -> ActionSnapshot:
    base = ActionSnapshot(
        uid=uid,
        text="Search for a flat together",
        responsible=WORKER,
        start=date(2026, 6, 1),
        due=date(2026, 7, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def plan(**changes: object) -> PlanSnapshot:
    base = PlanSnapshot(
        plan_uid="p1",
        start=date(2026, 6, 1),
        goals=(
            GoalSnapshot("g1", "I want my own flat", "housing", (action("a1"), action("a2"))),
            GoalSnapshot("g2", "I want to sleep at night", None, (action("a3"),)),
        ),
        follow_up_points=(FollowUpPoint(date(2026, 9, 1)),),
        participants=("Client", "Anna Lind"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


RECORD = AgreementRecord(
    agreed_on=date(2026, 5, 30),
    present=("Client", "Anna Lind"),
    client_agreed=True,
    client_signed=True,
)


def fields(problems: list[RuleProblem]) -> set[str]:
    return {p.field for p in problems}


def test_transitions_as_data() -> None:
    assert set(TRANSITIONS) == set(PlanState)
    assert can_transition(PlanState.DRAFT, PlanState.AGREED)
    assert not can_transition(PlanState.DRAFT, PlanState.FOLLOWED_UP)
    assert can_transition(PlanState.FOLLOWED_UP, PlanState.FOLLOWED_UP)
    assert TRANSITIONS[PlanState.REVISED] == frozenset()
    assert TRANSITIONS[PlanState.CLOSED] == frozenset()
    with pytest.raises(PlanRuleError) as info:
        check_transition(PlanState.CLOSED, PlanState.DRAFT)
    assert info.value.problems[0].field == "state"
    assert isinstance(info.value, HemlosError)
    assert "Closed" in info.value.message()
    assert info.value.title() and info.value.advice()
    assert transition(plan(), PlanState.CLOSED).state is PlanState.CLOSED


def test_validate_action() -> None:
    assert validate_action(action()) == []
    assert fields(validate_action(action(text="  "))) == {"text"}
    assert fields(validate_action(action(text="x" * (ACTION_TEXT_MAX + 1)))) == {"text"}
    assert fields(validate_action(action(responsible=None))) == {"responsible"}
    blank = Responsible(ResponsibleKind.UNIT, " ")
    assert fields(validate_action(action(responsible=blank))) == {"responsible"}
    odd = Responsible(ResponsibleKind.OUTSIDE, "Housing Ltd", party="mars")
    assert fields(validate_action(action(responsible=odd))) == {"responsible"}
    landlord = Responsible(ResponsibleKind.OUTSIDE, "Housing Ltd", party="landlord")
    assert validate_action(action(responsible=landlord)) == []
    problems = validate_action(action(start=date(2026, 7, 2)))
    assert problems == [RuleProblem("due", "The due date is before the start date.")]
    assert validate_action(action(start=None)) == []
    assert fields(validate_action(action(note="n" * 5000))) == {"note"}


def test_validate_goal_allows_long_own_words_but_not_megabytes() -> None:
    words = "In my own words, " * 200  # about 3,400 characters
    assert validate_goal(GoalSnapshot("g", words)) == []
    assert fields(validate_goal(GoalSnapshot("g", "x" * (GOAL_TEXT_MAX + 1)))) == {"text"}
    assert fields(validate_goal(GoalSnapshot("g", "x" * 2_000_000))) == {"text"}
    assert fields(validate_goal(GoalSnapshot("g", ""))) == {"text"}
    assert fields(validate_goal(GoalSnapshot("g", "ok", "wellbeing"))) == {"rating_area"}


def test_a_draft_may_be_incomplete_but_not_wrong() -> None:
    draft = plan(goals=(GoalSnapshot("g1", "I want a home"),), follow_up_points=())
    assert validate_plan(draft) == []
    wrong = plan(
        goals=(
            GoalSnapshot("g1", "", None, (action("a1", due=date(2026, 1, 1)),)),
            GoalSnapshot("g1", "again"),
        )
    )
    assert fields(validate_plan(wrong)) == {"goals.g1.text", "actions.a1.due", "goals.g1"}


def test_agreement_needs_goals_actions_due_dates_and_a_follow_up() -> None:
    assert validate_for_agreement(plan()) == []
    assert "goals" in fields(validate_for_agreement(plan(goals=())))
    empty_goal = plan(goals=(GoalSnapshot("g1", "I want a home"),))
    assert "goals.g1.actions" in fields(validate_for_agreement(empty_goal))
    undated = plan(goals=(GoalSnapshot("g1", "home", None, (action("a1", due=None),)),))
    assert fields(validate_for_agreement(undated)) == {"actions.a1.due"}
    assert fields(validate_for_agreement(plan(follow_up_points=()))) == {"follow_up_points"}


def test_validate_agreement_record() -> None:
    assert validate_agreement(RECORD, TODAY) == []
    future = replace(RECORD, agreed_on=date(2026, 6, 2))
    assert fields(validate_agreement(future, TODAY)) == {"agreed_on"}
    assert fields(validate_agreement(replace(RECORD, present=(" ",)), TODAY)) == {"present"}
    refused = replace(RECORD, client_agreed=False, client_signed=False)
    assert fields(validate_agreement(refused, TODAY)) == {"client_agreed"}
    odd = replace(RECORD, client_agreed=False)
    assert fields(validate_agreement(odd, TODAY)) == {"client_agreed", "client_signed"}
    unsigned = replace(RECORD, client_signed=False)
    assert validate_agreement(unsigned, TODAY) == []


def test_agree_a_first_version() -> None:
    result = agree(plan(), RECORD, TODAY)
    assert result.plan.state is PlanState.AGREED
    assert result.plan.agreement == RECORD
    assert result.superseded is None


def test_agreeing_a_plan_with_no_goal_is_refused() -> None:
    with pytest.raises(PlanRuleError) as info:
        agree(plan(goals=()), RECORD, TODAY)
    assert "goals" in fields(list(info.value.problems))
    assert "at least one goal" in info.value.message()


def test_agree_refuses_bad_record_and_wrong_state() -> None:
    with pytest.raises(PlanRuleError) as info:
        agree(plan(), replace(RECORD, agreed_on=date(2027, 1, 1)), TODAY)
    assert fields(list(info.value.problems)) == {"agreement.agreed_on"}
    agreed = agree(plan(), RECORD, TODAY).plan
    with pytest.raises(PlanRuleError):
        agree(agreed, RECORD, TODAY)


def test_agreed_plan_is_not_edited_in_place() -> None:
    ensure_editable(plan())
    agreed = agree(plan(), RECORD, TODAY).plan
    with pytest.raises(PlanRuleError) as info:
        ensure_editable(agreed)
    assert "revision" in info.value.message()


def test_revise_makes_a_new_draft_version_linked_to_the_old() -> None:
    agreed = agree(plan(), RECORD, TODAY).plan
    new = revise(agreed)
    assert new.version == 2
    assert new.previous_version == 1
    assert new.state is PlanState.DRAFT
    assert new.agreement is None and new.follow_ups == ()
    assert new.goals == agreed.goals and new.plan_uid == agreed.plan_uid
    with pytest.raises(PlanRuleError):
        revise(plan())
    # The old version stays in force until the new one is agreed, then becomes REVISED.
    changed = replace(new, participants=("Client",))
    result = agree(changed, RECORD, TODAY, previous=agreed)
    assert result.plan.state is PlanState.AGREED and result.plan.version == 2
    assert result.superseded is not None
    assert result.superseded.state is PlanState.REVISED
    assert result.superseded.version == 1


def test_agreeing_a_revision_needs_the_version_in_force() -> None:
    agreed = agree(plan(), RECORD, TODAY).plan
    new = revise(agreed)
    with pytest.raises(PlanRuleError) as info:
        agree(new, RECORD, TODAY)
    assert fields(list(info.value.problems)) == {"previous_version"}
    closed = transition(agreed, PlanState.CLOSED)
    with pytest.raises(PlanRuleError):
        agree(new, RECORD, TODAY, previous=closed)


def test_follow_up_records_results() -> None:
    agreed = agree(plan(), RECORD, TODAY).plan
    record = FollowUpRecord(
        held_on=TODAY,
        goal_results=(GoalResult("g1", 3, "Has viewed two flats"), GoalResult("g2", 1)),
        action_results=(ActionResult("a1", ActionStatus.DONE, "Applied"),),
    )
    assert validate_follow_up(agreed, record, TODAY) == []
    done = follow_up(agreed, record, TODAY)
    assert done.state is PlanState.FOLLOWED_UP
    assert done.follow_ups == (record,)
    assert done.action("a1") is not None
    assert done.action("a1").status is ActionStatus.DONE  # type: ignore[union-attr]
    assert done.action("a2").status is ActionStatus.PLANNED  # type: ignore[union-attr]
    again = follow_up(done, replace(record, action_results=()), TODAY)
    assert len(again.follow_ups) == 2


def test_follow_up_of_an_action_that_no_longer_exists_is_refused() -> None:
    agreed = agree(plan(), RECORD, TODAY).plan
    record = FollowUpRecord(
        held_on=TODAY, action_results=(ActionResult("gone", ActionStatus.DONE, "x"),)
    )
    with pytest.raises(PlanRuleError) as info:
        follow_up(agreed, record, TODAY)
    assert fields(list(info.value.problems)) == {"actions.gone"}
    assert "no longer in the plan" in info.value.message()


def test_follow_up_problems() -> None:
    agreed = agree(plan(), RECORD, TODAY).plan
    record = FollowUpRecord(
        held_on=date(2026, 6, 2),
        goal_results=(GoalResult("g1", 5), GoalResult("g1", 2), GoalResult("nope", 2)),
        action_results=(
            ActionResult("a1", ActionStatus.DONE, "o" * 5000),
            ActionResult("a1", ActionStatus.DONE),
        ),
        note="n" * 5000,
    )
    assert fields(validate_follow_up(agreed, record, TODAY)) == {
        "held_on",
        "note",
        "goals.g1.reached",
        "goals.g1",
        "goals.nope",
        "actions.a1",
        "actions.a1.outcome",
    }
    early = FollowUpRecord(held_on=date(2026, 5, 1))
    assert fields(validate_follow_up(agreed, early, TODAY)) == {"held_on"}
    with pytest.raises(PlanRuleError):
        follow_up(plan(), FollowUpRecord(held_on=TODAY), TODAY)  # a draft is not followed up


def test_labels_cover_every_value() -> None:
    for state in PlanState:
        assert state_label(state)
    for status in ActionStatus:
        assert action_status_label(status)
    for kind in ResponsibleKind:
        assert responsible_kind_label(kind)
    for party in OUTSIDE_PARTIES:
        assert outside_party_label(party)
    for area in RATING_AREAS:
        assert rating_area_label(area)
    assert [reached_label(n) for n in range(5)][-1] == "Fully reached"


def test_messages_are_translated() -> None:
    try:
        i18n.set_language("sv")
        (problem,) = validate_action(action(start=date(2026, 7, 2)))
        assert problem.message == "Slutdatumet ligger före startdatumet."
        assert state_label(PlanState.AGREED) == "Överenskommen"
        i18n.set_language("da")
        (problem,) = validate_action(action(start=date(2026, 7, 2)))
        assert problem.message == "Slutdatoen ligger før startdatoen."
    finally:
        i18n.set_language("en")
