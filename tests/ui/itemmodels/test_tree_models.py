"""The two-level tree models (plan goals and actions; the due list's groups and items) on one
base class, and what a due line says."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from hemlos_desktop import i18n
from hemlos_desktop.models.plan import DueKind
from hemlos_desktop.models.plan_rules import ActionSnapshot, GoalSnapshot, PlanSnapshot
from hemlos_desktop.services.due_groups import DueGroup
from hemlos_desktop.services.plan_due import DueBucket, DueItem
from hemlos_desktop.ui.itemmodels.due_models import DueTreeModel
from hemlos_desktop.ui.itemmodels.plan_models import DueListModel, PlanTreeModel, due_text
from hemlos_desktop.ui.itemmodels.two_level_tree import TwoLevelTreeModel

DAY = dt.date(2026, 5, 4)


def due(kind: DueKind, text: str, client: str = "Öberg, Åsa") -> DueItem:
    return DueItem(
        client_id=1,
        client_name=client,
        version_id=1,
        kind=kind,
        item_uid=text,
        text=text,
        due=DAY,
        bucket=DueBucket.OVERDUE,
        responsible_name="Lena",
        responsible_user_id=None,
        phase=None,
    )


ITEMS = (
    due(DueKind.FOLLOW_UP, "Follow-up: has the chosen effort started?"),
    due(DueKind.FOLLOW_UP, "Uppföljning efter första månaden i det nya hemmet."),
    due(DueKind.FOLLOW_UP, "Is the network in place?"),
    due(DueKind.ACTION, "Apply for housing benefit"),
    due(DueKind.FOLLOW_UP, ""),
)


def test_both_trees_share_the_base_and_pass_the_model_tester(qtmodeltester: Any) -> None:
    plan = PlanSnapshot(
        plan_uid="p",
        goals=(
            GoalSnapshot("g1", "A flat of my own", actions=(ActionSnapshot("a1", "Apply"),)),
            GoalSnapshot("g2", "", suggestion="Keep the flat"),
        ),
    )
    plans = PlanTreeModel()
    plans.set_plan(plan)
    groups = DueTreeModel()
    groups.set_groups((DueGroup("user:1", "Lena", ITEMS[:3]), DueGroup("none", "Nobody", ())))
    for model in (plans, groups):
        assert isinstance(model, TwoLevelTreeModel)
        qtmodeltester.check(model)
    first = plans.index(0, 0)
    action = plans.index(0, 0, first)
    assert plans.parent(action) == first and plans.rowCount(first) == 1
    assert plans.index(0, 0, action) == QModelIndex()  # two levels only
    assert plans.rowCount(plans.index(1, 0)) == 0
    lena = groups.index(0, 0)
    assert groups.rowCount(lena) == 3 and groups.item(groups.index(2, 0, lena)) is ITEMS[2]
    groups.set_items(ITEMS)
    qtmodeltester.check(groups)
    assert groups.rowCount() == len(ITEMS) and groups.rowCount(groups.index(0, 0)) == 0


@pytest.mark.parametrize("lang", ["en", "sv", "da"])
def test_a_due_line_never_says_follow_up_twice(lang: str) -> None:
    i18n.set_language(lang)
    try:
        kind = i18n.gettext("Follow-up")
        texts = [due_text(item) for item in ITEMS]
        assert texts[0] == "Follow-up: has the chosen effort started?"
        assert texts[1] == "Uppföljning efter första månaden i det nya hemmet."
        assert texts[2] == f"{kind}: Is the network in place?"
        assert texts[3] == f"{i18n.gettext('Action')}: Apply for housing benefit"
        assert texts[4] == kind
        for model in (DueListModel(), DueTreeModel()):
            model.set_items(ITEMS)
            column = 3 if isinstance(model, DueListModel) else 0
            shown = model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole)
            assert shown.casefold().count("follow-up") == 1
    finally:
        i18n.set_language("en")


def test_both_due_lists_show_the_same_fields_in_their_own_order() -> None:
    """The flat list and the tree read their cells from one place: the same text per field,
    the client's id as UserRole, and a follow-up nobody took falls to the client's
    responsible in both (the flat list used to leave it empty)."""
    orphan = dataclasses.replace(ITEMS[2], responsible_name="", client_owner_name="Karin")
    flat, tree = DueListModel(), DueTreeModel()
    for model in (flat, tree):
        model.set_items((*ITEMS, orphan))
    display = Qt.ItemDataRole.DisplayRole
    for row in range(len(ITEMS) + 1):
        cells = [
            {
                model.headerData(c, Qt.Orientation.Horizontal): model.data(
                    model.index(row, c), display
                )
                for c in range(model.columnCount())
            }
            for model in (flat, tree)
        ]
        assert cells[0] == cells[1]
        assert len(cells[0]) == 5
    assert flat.data(flat.index(5, 4), display) == tree.data(tree.index(5, 4), display) == "Karin"
    assert flat.data(flat.index(0, 4), display) == "Lena"
    assert flat.data(flat.index(0, 2), Qt.ItemDataRole.UserRole) == 1
    assert tree.data(tree.index(0, 2), Qt.ItemDataRole.FontRole) is None
    assert [flat.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "When",
        "Due date",
        "Client",
        "What",
        "Who",
    ]
    assert tree.headerData(0, Qt.Orientation.Horizontal) == "What"
