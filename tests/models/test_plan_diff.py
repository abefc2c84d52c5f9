"""Side-by-side comparison of two plan versions. No Qt."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from hemlos_desktop import i18n
from hemlos_desktop.models.plan_diff import (
    ACTION_FIELDS,
    GOAL_FIELDS,
    PLAN_FIELDS,
    Change,
    DiffRow,
    FieldChange,
    RowKind,
    change_label,
    changed_rows,
    diff,
    display_field,
    display_value,
    field_label,
)
from hemlos_desktop.models.plan_rules import (
    ActionSnapshot,
    ActionStatus,
    FollowUpPoint,
    GoalSnapshot,
    PlanSnapshot,
    Responsible,
    ResponsibleKind,
)

WORKER = Responsible(ResponsibleKind.TEAM_MEMBER, "Anna")
UNIT = Responsible(ResponsibleKind.UNIT, "Housing unit")


def a(uid: str, text: str = "do it", **changes: object) -> ActionSnapshot:
    return replace(ActionSnapshot(uid, text, WORKER, None, date(2026, 7, 1)), **changes)  # type: ignore[arg-type]


def summary(rows: tuple[DiffRow, ...]) -> list[tuple[str, str, str]]:
    return [(row.kind.value, row.uid, row.change.value) for row in rows]


OLD = PlanSnapshot(
    plan_uid="p",
    start=date(2026, 6, 1),
    goals=(
        GoalSnapshot("g1", "Own flat", "housing", (a("a1"), a("a2"), a("a3"))),
        GoalSnapshot("g2", "Sleep", None, (a("a4"),)),
        GoalSnapshot("g3", "Work", "occupation", (a("a5"),)),
    ),
    follow_up_points=(FollowUpPoint(date(2026, 9, 1)),),
)


def test_diff_with_itself_is_unchanged() -> None:
    rows = diff(OLD, OLD)
    assert all(row.change is Change.UNCHANGED for row in rows)
    assert summary(rows)[:3] == [
        ("plan", "p", "unchanged"),
        ("goal", "g1", "unchanged"),
        ("action", "a1", "unchanged"),
    ]
    assert len(rows) == 1 + 3 + 5
    assert changed_rows(rows) == ()


def test_rows_are_in_side_by_side_order() -> None:
    new = replace(
        OLD,
        version=2,
        follow_up_points=(FollowUpPoint(date(2026, 10, 1), "Look again"),),
        goals=(
            GoalSnapshot("g1", "My own flat", "housing", (a("a1"), a("a3", due=date(2026, 8, 1)))),
            GoalSnapshot("g4", "See my kids", None, (a("a6"),)),
            GoalSnapshot("g3", "Work", "occupation", (a("a5"), a("a4"))),
        ),
    )
    rows = diff(OLD, new)
    assert summary(rows) == [
        ("plan", "p", "changed"),
        ("goal", "g1", "changed"),
        ("action", "a1", "unchanged"),
        ("action", "a2", "removed"),  # after a1, where it stood in the old version
        ("action", "a3", "changed"),
        ("goal", "g2", "removed"),  # right after g1, its old predecessor
        ("goal", "g4", "added"),
        ("action", "a6", "added"),
        ("goal", "g3", "unchanged"),
        ("action", "a5", "unchanged"),
        ("action", "a4", "changed"),  # moved from g2 to g3
    ]
    by_uid = {row.uid: row for row in rows}
    assert by_uid["p"].fields == (
        FieldChange(
            "follow_up_points",
            (FollowUpPoint(date(2026, 9, 1)),),
            (FollowUpPoint(date(2026, 10, 1), "Look again"),),
        ),
    )
    assert by_uid["g1"].fields == (FieldChange("text", "Own flat", "My own flat"),)
    assert by_uid["a3"].fields == (FieldChange("due", date(2026, 7, 1), date(2026, 8, 1)),)
    assert by_uid["a4"].fields == (FieldChange("goal", "g2", "g3"),)
    assert by_uid["a4"].goal_uid == "g3"
    assert by_uid["a2"].old == a("a2") and by_uid["a2"].new is None
    assert by_uid["g4"].old is None and by_uid["g4"].new is not None


def test_removed_first_items_come_first() -> None:
    new = replace(OLD, goals=OLD.goals[1:])
    rows = diff(OLD, new)
    assert summary(rows)[1:6] == [
        ("goal", "g1", "removed"),
        ("action", "a1", "removed"),
        ("action", "a2", "removed"),
        ("action", "a3", "removed"),
        ("goal", "g2", "unchanged"),
    ]


def test_change_labels_translate() -> None:
    try:
        i18n.set_language("sv")
        assert change_label(Change.ADDED) == "Tillagt"
        i18n.set_language("da")
        assert change_label(Change.REMOVED) == "Fjernet"
    finally:
        i18n.set_language("en")
    assert [change_label(c) for c in Change] == ["Added", "Removed", "Changed", "Unchanged"]


# --- Property tests ---------------------------------------------------------------------------

TEXT = st.text(alphabet="abcdefg ", min_size=1, max_size=8)
DATE = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def plans(draw: st.DrawFn) -> PlanSnapshot:
    goals = []
    counter = 0
    for g in range(draw(st.integers(0, 4))):
        actions = []
        for _ in range(draw(st.integers(0, 3))):
            counter += 1
            actions.append(
                ActionSnapshot(
                    uid=f"a{counter}",
                    text=draw(TEXT),
                    responsible=draw(st.sampled_from([None, WORKER, UNIT])),
                    start=draw(st.none() | DATE),
                    due=draw(st.none() | DATE),
                    status=draw(st.sampled_from(list(ActionStatus))),
                )
            )
        goals.append(
            GoalSnapshot(
                f"g{g}",
                draw(TEXT),
                draw(st.sampled_from([None, "housing", "income"])),
                tuple(actions),
            )
        )
    return PlanSnapshot(plan_uid="p", goals=tuple(goals), start=draw(st.none() | DATE))


@given(plans())
def test_property_diff_with_itself_is_all_unchanged(plan: PlanSnapshot) -> None:
    rows = diff(plan, plan)
    assert all(row.change is Change.UNCHANGED for row in rows)
    assert len(rows) == 1 + len(plan.goals) + sum(len(g.actions) for g in plan.goals)
    assert [r.uid for r in rows if r.kind is RowKind.GOAL] == [g.uid for g in plan.goals]


Expected = dict[tuple[RowKind, str], tuple[Change, frozenset[str]]]


@st.composite
def plan_and_edits(draw: st.DrawFn) -> tuple[PlanSnapshot, PlanSnapshot, Expected]:
    old = draw(plans())
    expected: Expected = {}
    new_goals = []
    fresh = 0
    for goal in old.goals:
        op = draw(st.sampled_from(["keep", "remove", "text", "area"]))
        if op == "remove":
            expected[(RowKind.GOAL, goal.uid)] = (Change.REMOVED, frozenset())
            for act in goal.actions:
                expected[(RowKind.ACTION, act.uid)] = (Change.REMOVED, frozenset())
            continue
        new_goal = goal
        if op == "text":
            new_goal = replace(goal, text=goal.text + "!")
            expected[(RowKind.GOAL, goal.uid)] = (Change.CHANGED, frozenset({"text"}))
        elif op == "area":
            area = "occupation" if goal.rating_area != "occupation" else None
            new_goal = replace(goal, rating_area=area)
            expected[(RowKind.GOAL, goal.uid)] = (Change.CHANGED, frozenset({"rating_area"}))
        actions = []
        for act in goal.actions:
            a_op = draw(st.sampled_from(["keep", "remove", "text", "due", "status"]))
            if a_op == "remove":
                expected[(RowKind.ACTION, act.uid)] = (Change.REMOVED, frozenset())
                continue
            if a_op == "text":
                act_new = replace(act, text=act.text + "?")
                expected[(RowKind.ACTION, act.uid)] = (Change.CHANGED, frozenset({"text"}))
            elif a_op == "due":
                due = date(2030, 1, 1) if act.due != date(2030, 1, 1) else None
                act_new = replace(act, due=due)
                expected[(RowKind.ACTION, act.uid)] = (Change.CHANGED, frozenset({"due"}))
            elif a_op == "status":
                status = (
                    ActionStatus.DONE
                    if act.status is not ActionStatus.DONE
                    else ActionStatus.PLANNED
                )
                act_new = replace(act, status=status)
                expected[(RowKind.ACTION, act.uid)] = (Change.CHANGED, frozenset({"status"}))
            else:
                act_new = act
            actions.append(act_new)
        for _ in range(draw(st.integers(0, 1))):
            fresh += 1
            added = ActionSnapshot(f"new-a{fresh}", "new action")
            actions.insert(draw(st.integers(0, len(actions))), added)
            expected[(RowKind.ACTION, added.uid)] = (Change.ADDED, frozenset())
        new_goals.append(replace(new_goal, actions=tuple(actions)))
    if draw(st.booleans()):
        fresh += 1
        goal = GoalSnapshot(f"new-g{fresh}", "new goal", None, (ActionSnapshot("new-ga", "x"),))
        new_goals.insert(draw(st.integers(0, len(new_goals))), goal)
        expected[(RowKind.GOAL, goal.uid)] = (Change.ADDED, frozenset())
        expected[(RowKind.ACTION, "new-ga")] = (Change.ADDED, frozenset())
    new = replace(old, version=2, goals=tuple(new_goals))
    return old, new, expected


@settings(max_examples=100)
@given(plan_and_edits())
def test_property_diff_finds_exactly_the_changes(
    case: tuple[PlanSnapshot, PlanSnapshot, Expected],
) -> None:
    old, new, expected = case
    rows = diff(old, new)
    found = {
        (row.kind, row.uid): (row.change, frozenset(f.field for f in row.fields))
        for row in rows
        if row.change is not Change.UNCHANGED
    }
    assert found == expected
    # Every old and new item appears exactly once.
    uids = [(row.kind, row.uid) for row in rows if row.kind is not RowKind.PLAN]
    assert len(uids) == len(set(uids))
    old_items = {g.uid for g in old.goals} | {x.uid for g in old.goals for x in g.actions}
    new_items = {g.uid for g in new.goals} | {x.uid for g in new.goals for x in g.actions}
    assert {uid for _kind, uid in uids} == old_items | new_items
    # The right column, read top to bottom, is the new plan in order.
    right = [row.uid for row in rows if row.new is not None and row.kind is not RowKind.PLAN]
    in_order = [uid for g in new.goals for uid in (g.uid, *(x.uid for x in g.actions))]
    assert right == in_order


def test_display_helpers() -> None:
    assert field_label("due") == "Due date"
    for name in (*PLAN_FIELDS, *GOAL_FIELDS, *ACTION_FIELDS, "goal"):
        assert field_label(name)
    landlord = Responsible(ResponsibleKind.OUTSIDE, "Housing Ltd", party="landlord")
    assert display_value(landlord) == "Housing Ltd, Landlord"
    assert display_value(Responsible(ResponsibleKind.UNIT, "")) == "Unit"
    assert display_value(None) == ""
    assert display_value(ActionStatus.DONE) == "Done"
    points = (FollowUpPoint(date(2026, 9, 1), "Look again"), FollowUpPoint(date(2026, 12, 1)))
    assert display_value(points) == "01/09/2026 Look again; 01/12/2026"
    assert display_field("rating_area", "daily_living") == "Daily living"
    assert display_field("text", "My words") == "My words"
    try:
        i18n.set_language("sv")
        assert display_value(date(2026, 9, 1)) == "2026-09-01"
        assert field_label("due") == "Slutdatum"
        i18n.set_language("da")
        assert display_value(ActionStatus.DONE) == "Gennemført"
    finally:
        i18n.set_language("en")
