"""The team lead's list of what is due, walked on an encrypted database: grouped by team member
or by client, collapsible, counted per group, used from the keyboard."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace

import pytest
from office import Office
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hemlos_desktop.models.plan_rules import AgreementRecord, Responsible, ResponsibleKind
from hemlos_desktop.services import plans
from hemlos_desktop.services.users import list_users
from hemlos_desktop.ui.plans.page import PlansPage

SHOTS = os.environ.get("DUE_SHOTS")
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def agree_plans(office: Office) -> dict[str, int]:
    """A template plan agreed for each client of the team: the worker is responsible for the
    actions of the first two clients, the lead for the others; some actions are overdue."""
    signed = office.sessions[-1]
    db, actor = signed.db, signed.actor
    users = {u.username: u for u in list_users(db)}
    today = dt.date.today()
    start = today - dt.timedelta(days=20)
    for number, client_id in enumerate(office.client_ids.values()):
        member = users["worker" if number < 2 else "lead"]  # noqa: PLR2004
        who = Responsible(ResponsibleKind.TEAM_MEMBER, member.display_name, None, member.id)
        draft = plans.create_draft(
            db, actor, client_id, start=start, template_id="housing_first", language="en"
        ).value
        days = iter(range(-8, 40, 2))  # due dates from last week to the coming weeks
        goals = tuple(
            replace(
                goal,
                text=goal.suggestion,
                actions=tuple(
                    replace(
                        a, responsible=who, start=start, due=today + dt.timedelta(days=next(days))
                    )
                    for a in goal.actions
                ),
            )
            for goal in draft.snapshot.goals
        )
        saved = plans.save_draft(
            db, actor, draft.version_id, replace(draft.snapshot, goals=goals), draft.sip,
            expected_revision=draft.revision,
        ).value  # fmt: skip
        record = AgreementRecord(start, ("Klienten", member.display_name), True, True)
        plans.agree(db, actor, saved.version_id, record, today=today)
    return {u.username: u.id for u in users.values()}


def test_a_team_lead_sees_what_is_due_grouped_by_member_and_by_client(
    qtbot: QtBot, qtmodeltester: object, office: Office
) -> None:
    window = office.sign_in("lead")
    agree_plans(office)
    window.show_area("plans")
    page = window.pages["plans"]
    assert isinstance(page, PlansPage)
    page.tabs.setCurrentIndex(1)
    panel = page.due_panel
    panel.scope_combo.setCurrentIndex(panel.scope_combo.findData("team"))
    model, view = panel.model, panel.view
    qtbot.addWidget(panel)

    # By team member (the default): one row per member, with counts, not a flat list.
    assert panel.group_combo.currentData() == "member"
    groups = model.groups()
    # (The clients were registered with no one responsible: their follow-ups are nobody's.)
    assert [g.title for g in groups] == ["Lena Lindqvist", "Wilma Åkesson", "No one responsible"]
    total = sum(len(g.items) for g in groups)
    assert total > 30 and model.rowCount() == 3  # noqa: PLR2004
    first = model.index(0, 0)
    caption = model.data(first)
    assert caption.startswith(f"Lena Lindqvist — {len(groups[0].items)} items, ")
    assert f"{groups[0].overdue} overdue" in caption
    assert not view.isExpanded(first)  # a long list opens as names with counts
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    # By keyboard: the group opens with Right, an item opens its plan with Enter.
    view.setFocus()
    view.setCurrentIndex(first)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.isExpanded(first)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    chosen = model.item(view.currentIndex())
    assert chosen == groups[0].items[0] and chosen.responsible_name == "Lena Lindqvist"
    qtbot.keyClick(view, Qt.Key.Key_Left)  # back to the group
    qtbot.keyClick(view, Qt.Key.Key_Left)  # and closed
    assert view.currentIndex() == first and not view.isExpanded(first)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter on a group opens it
    assert view.isExpanded(first)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    item = model.item(view.currentIndex())
    assert item is not None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    shown = page.shown_version()
    assert page.tabs.currentIndex() == 0 and shown is not None
    assert shown.client_id == item.client_id and shown.version_id == item.version_id

    # By client: one group per client, each counting its items.
    page.tabs.setCurrentIndex(1)
    panel.group_combo.setCurrentIndex(panel.group_combo.findData("client"))
    by_client = model.groups()
    assert len(by_client) == len(office.client_ids) == model.rowCount()
    assert sum(len(g.items) for g in by_client) == total
    if SHOTS:
        view.expand(model.index(1, 0))
        window.grab().save(f"{SHOTS}/due-by-client.png")
    assert {g.title for g in by_client} == {
        "Söderström, Emma",
        "Öberg, Nils",
        "Nilsson, Åsa",
        "Åberg, Karl",
    }
    # Not grouped: the flat list is still there for whoever wants it.
    panel.group_combo.setCurrentIndex(panel.group_combo.findData(""))
    assert model.rowCount() == total
    qtmodeltester.check(model)  # type: ignore[attr-defined]
