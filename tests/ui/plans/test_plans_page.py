"""The Plans page through real widgets: draft from a template, agree, print Danish, follow up
three months later, revise, compare; a stale save from a second window; the overview panel."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from clientworld import World
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.plan_diff import Change
from hemlos_desktop.models.plan_rules import ActionStatus, PlanState
from hemlos_desktop.services import plans
from hemlos_desktop.settings import Settings
from hemlos_desktop.ui import operations
from hemlos_desktop.ui.change_notifier import ChangeNotifier
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.plans import PlansPage, install_overview_panel
from hemlos_desktop.ui.plans import page as page_module
from hemlos_desktop.ui.plans.dialogs import (
    AgreeDialog,
    CompareDialog,
    FollowUpDialog,
    NewPlanDialog,
)
from hemlos_desktop.ui.plans.editor import PlanEditor

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date(2026, 11, 2)
SHOTS = os.environ.get("PLAN_SHOTS")


@pytest.fixture
def ctx(world: World) -> UiContext:
    return UiContext(
        db=world.db, actor=world.actors["anna"], notifier=ChangeNotifier(), settings=Settings()
    )


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[HemlosError]:
    shown: list[HemlosError] = []
    monkeypatch.setattr(page_module, "show_error", lambda _parent, error: shown.append(error))
    # Actions run through the operation runner, which shows known errors itself.
    monkeypatch.setattr(operations, "show_error", lambda _parent, error: shown.append(error))
    return shown


def name_everyone(editor: PlanEditor, name: str = "Anna Worker") -> None:
    """Write every goal still empty in the client's words and choose Anna as responsible for
    every action, through the form."""
    model = editor.model
    for row in range(model.rowCount()):
        goal = model.index(row, 0)
        editor.tree.setCurrentIndex(goal)
        if not editor.text_edit.toPlainText():
            editor.text_edit.setPlainText(f"Mitt mål nummer {row + 1}")
            editor.apply_button.click()
        for child in range(model.rowCount(goal)):
            editor.tree.setCurrentIndex(model.index(child, 0, goal))
            editor.responsible_kind_combo.setCurrentIndex(
                editor.responsible_kind_combo.findData("team_member")
            )
            editor.responsible_user_combo.setCurrentIndex(
                editor.responsible_user_combo.findText(name)
            )
            editor.apply_button.click()


def make_page(qtbot: QtBot, ctx: UiContext, today: dt.date = TODAY) -> PlansPage:
    page = PlansPage(context=ctx, today=today)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    return page


def test_full_story(
    *,
    qtbot: QtBot,
    qtmodeltester: object,
    world: World,
    ctx: UiContext,
    tmp_path: Path,
    errors: list[HemlosError],
) -> None:
    client = world.add("Kim", "Berg", by="anna")
    page = make_page(qtbot, ctx)
    page.open_client(client)
    assert not page.save_button.isEnabled() and page.new_button.isEnabled()

    def accept(dialog: QDialog) -> bool:
        if isinstance(dialog, NewPlanDialog):
            dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("cti"))
        elif isinstance(dialog, AgreeDialog):
            dialog.present_edit.setText("Kim, Anna")
            dialog.agreed_check.setChecked(True)
        elif isinstance(dialog, FollowUpDialog):
            for table in (dialog.goal_table, dialog.action_table):
                names = [table.cellWidget(r, 1).accessibleName() for r in range(table.rowCount())]
                first = table.item(0, 0).text()
                assert all(names) and first in names[0], names
            dialog.set_goal(0, 3, "nästan")
            dialog.set_action(0, ActionStatus.DONE, "klart")
        elif isinstance(dialog, CompareDialog):
            seen.append(dialog)
        return True

    seen: list[CompareDialog] = []
    page.run_dialog = accept  # type: ignore[method-assign]
    page.new_button.click()
    draft = page.shown_version()
    assert draft is not None and draft.state is PlanState.DRAFT and draft.is_cti
    assert "CTI" in page.status_label.text()
    qtmodeltester.check(page.editor.model)  # type: ignore[attr-defined]

    # Undo/redo of an edit.
    before = page.editor.plan()
    page.editor.tree.setCurrentIndex(page.editor.model.index(0, 0))
    page.editor.text_edit.setPlainText("Jag vill ha en egen lägenhet")
    page.editor.apply_button.click()
    assert page.editor.plan().goals[0].text == "Jag vill ha en egen lägenhet"
    page.editor.undo_button.click()
    assert page.editor.plan() == before
    page.editor.redo_button.click()
    assert page.editor.plan().goals[0].text == "Jag vill ha en egen lägenhet"

    name_everyone(page.editor)
    page.editor.participants_edit.setText("Kim, Anna")
    page.agree_button.click()
    agreed = page.shown_version()
    assert agreed is not None and agreed.state is PlanState.AGREED, errors
    assert errors == []

    # Print in Danish.
    page.language_combo.setCurrentIndex(page.language_combo.findData("da"))
    pdf = tmp_path / "plan.pdf"
    page.ask_pdf_path = lambda: pdf  # type: ignore[method-assign]
    page.pdf_button.click()
    text = "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "Jag vill ha en egen lägenhet" in text and "Underskrift" in text

    # Three months later: follow up.
    page._today = TODAY + dt.timedelta(days=92)  # noqa: SLF001
    page.follow_up_button.click()
    followed = page.shown_version()
    assert followed is not None and followed.state is PlanState.FOLLOWED_UP
    assert followed.snapshot.follow_ups[0].goal_results[0].reached == 3

    # Revise: a new version draft; change a goal; agree it; compare.
    page.revise_button.click()
    revision = page.shown_version()
    assert revision is not None and revision.version == 2 and revision.state is PlanState.DRAFT
    page.editor.tree.setCurrentIndex(page.editor.model.index(0, 0))
    page.editor.text_edit.setPlainText("Jag har en lägenhet, nu vill jag ha ett jobb")
    page.editor.apply_button.click()
    page.agree_button.click()
    assert [v.state for v in page._versions] == [PlanState.AGREED, PlanState.REVISED]  # noqa: SLF001
    page.compare_button.click()
    [dialog] = seen
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    changes = {dialog.model.row(r).change for r in range(dialog.model.rowCount())}
    assert Change.CHANGED in changes
    texts = [dialog.model.data(dialog.model.index(r, 3)) for r in range(dialog.model.rowCount())]
    assert any("nu vill jag ha ett jobb" in (t or "") for t in texts)
    if SHOTS:
        dialog.resize(1100, 500)
        dialog.grab().save(f"{SHOTS}/compare.png")
        page.grab().save(f"{SHOTS}/page.png")

    # What is due, for me: opening an item goes to the plan.
    page.tabs.setCurrentIndex(1)
    page.refresh_due()
    qtmodeltester.check(page.due_model)  # type: ignore[attr-defined]
    assert page.due_model.rowCount() > 0
    page.open_client(client)
    first_group = page.due_model.index(0, 0)
    assert page.due_model.group(first_group) is not None  # grouped by team member
    page.due_view.setCurrentIndex(page.due_model.index(0, 0, first_group))
    page.open_due_button.click()
    assert page.tabs.currentIndex() == 0
    assert errors == []


def test_stale_save_from_second_window_keeps_the_text(
    qtbot: QtBot, world: World, ctx: UiContext, errors: list[HemlosError]
) -> None:
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(ctx.db, ctx.actor, client, start=TODAY, template_id="housing_first")
    first, second = make_page(qtbot, ctx), make_page(qtbot, ctx)
    first.open_client(client)
    second.open_client(client)
    second.editor.tree.setCurrentIndex(second.editor.model.index(0, 0))
    second.editor.text_edit.setPlainText("Mina egna ord som inte får försvinna")
    first.editor.participants_edit.setText("Kim")
    assert first.save_draft() is not None
    assert second.save_draft() is None
    assert isinstance(errors[-1], plans.StalePlanError)
    assert second.editor.text_edit.toPlainText() == "Mina egna ord som inte får försvinna"
    assert "Mina egna ord" in second.editor.plan().goals[0].text


def test_due_before_start_shown_next_to_the_form(
    qtbot: QtBot, world: World, ctx: UiContext, errors: list[HemlosError]
) -> None:
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(ctx.db, ctx.actor, client, start=TODAY, template_id="housing_first")
    page = make_page(qtbot, ctx)
    page.open_client(client)
    editor = page.editor
    goal = editor.model.index(0, 0)
    editor.tree.setCurrentIndex(editor.model.index(0, 0, goal))
    editor.start_edit.setDate(editor.start_edit.date().addDays(10))
    editor.due_edit.setDate(editor.start_edit.date().addDays(-3))
    assert page.save_draft() is None
    assert "before the start date" in editor.problem_label.text()
    assert editor.due_edit.date() == editor.start_edit.date().addDays(-3)


def test_agree_empty_plan_refused(
    qtbot: QtBot, world: World, ctx: UiContext, errors: list[HemlosError]
) -> None:
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(ctx.db, ctx.actor, client, start=TODAY)
    page = make_page(qtbot, ctx)
    page.open_client(client)

    def accept(dialog: QDialog) -> bool:
        if isinstance(dialog, AgreeDialog):
            dialog.present_edit.setText("Kim")
            dialog.agreed_check.setChecked(True)
        return True

    page.run_dialog = accept  # type: ignore[method-assign]
    page.agree_button.click()
    assert errors and "goal" in errors[-1].message()
    assert page.shown_version().state is PlanState.DRAFT  # type: ignore[union-attr]


@pytest.mark.parametrize("language", ["sv", "da"])
def test_overview_panel_and_screens(
    qtbot: QtBot, world: World, ctx: UiContext, language: str
) -> None:
    from hemlos_desktop import i18n

    i18n.set_language(language)
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(ctx.db, ctx.actor, client, start=TODAY, template_id="cti", language=language)
    overview = CaseOverviewWidget(context=ctx, client_id=client, today=TODAY)
    qtbot.addWidget(overview)
    panel = install_overview_panel(overview, ctx)
    texts = [panel.plan_value.text(), panel.status_value.text(), panel.phase_value.text()]  # type: ignore[attr-defined]
    assert all(texts)
    page = make_page(qtbot, ctx)
    page.open_client(client)
    page.editor.tree.setCurrentIndex(page.editor.model.index(0, 0, page.editor.model.index(0, 0)))
    if SHOTS:
        page.grab().save(f"{SHOTS}/page_{language}.png")
        box = panel.parentWidget()
        assert box is not None
        box.grab().save(f"{SHOTS}/overview_{language}.png")
    i18n.set_language("en")


def test_tree_model_roles(qtbot: QtBot) -> None:
    editor = PlanEditor()
    qtbot.addWidget(editor)
    assert editor.model.data(editor.model.index(0, 0)) is None
    assert editor.model.headerData(0, Qt.Orientation.Horizontal)


def test_read_only_user_sees_but_cannot_change(qtbot: QtBot, world: World) -> None:
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(world.db, world.actors["anna"], client, start=TODAY, template_id="act")
    ctx = UiContext(
        db=world.db, actor=world.actors["audit"], notifier=ChangeNotifier(), settings=Settings()
    )
    page = make_page(qtbot, ctx)
    page.open_client(client)
    assert page.shown_version() is not None
    buttons = (page.new_button, page.save_button, page.agree_button, page.close_button)
    assert not any(b.isEnabled() for b in buttons)
    assert page.pdf_button.isEnabled()


def test_close_a_draft_then_start_again(
    qtbot: QtBot, world: World, ctx: UiContext, errors: list[HemlosError]
) -> None:
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(ctx.db, ctx.actor, client, start=TODAY)
    page = make_page(qtbot, ctx)
    page.open_client(client)
    assert not page.new_button.isEnabled()
    page.close_button.click()
    assert page.shown_version().state is PlanState.CLOSED  # type: ignore[union-attr]
    assert page.new_button.isEnabled() and not page.save_button.isEnabled()
    page.run_dialog = lambda _dialog: True  # type: ignore[method-assign,assignment]
    page.new_button.click()
    assert page.shown_version().state is PlanState.DRAFT  # type: ignore[union-attr]
    assert [v.state for v in page._versions] == [PlanState.DRAFT, PlanState.CLOSED]  # noqa: SLF001
    assert errors == []


def test_agree_dialog_asks_again_when_the_client_has_not_agreed(
    qtbot: QtBot, world: World, ctx: UiContext, errors: list[HemlosError]
) -> None:
    client = world.add("Kim", "Berg", by="anna")
    page = make_page(qtbot, ctx)
    page.open_client(client)
    shown: list[str] = []

    def answer(dialog: QDialog) -> bool:
        if isinstance(dialog, NewPlanDialog):
            dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("outreach"))
        if isinstance(dialog, AgreeDialog):
            shown.append(dialog.problem_label.text())
            dialog.present_edit.setText("Kim, Anna")
            dialog.agreed_check.setChecked(len(shown) > 1)  # agrees the second time
        return True

    page.run_dialog = answer  # type: ignore[method-assign]
    page.new_button.click()
    name_everyone(page.editor)
    page.agree_button.click()
    assert shown[0] == "" and "client agrees" in shown[1]
    assert page.shown_version().state is PlanState.AGREED  # type: ignore[union-attr]
    assert errors == []


def test_first_of_january_2000_can_be_entered_in_a_plan(
    qtbot: QtBot, world: World, ctx: UiContext, errors: list[HemlosError]
) -> None:
    """One "no date" for every date edit: 2000-01-01 is a date like any other."""
    from PySide6.QtCore import QDate

    new_year = dt.date(2000, 1, 1)
    client = world.add("Kim", "Berg", by="anna")
    plans.create_draft(ctx.db, ctx.actor, client, start=TODAY, template_id="housing_first")
    page = make_page(qtbot, ctx)
    page.open_client(client)
    editor = page.editor
    editor.plan_start_edit.setDate(QDate(2000, 1, 1))
    goal = editor.model.index(0, 0)
    editor.tree.setCurrentIndex(editor.model.index(0, 0, goal))
    editor.start_edit.setDate(QDate(2000, 1, 1))
    editor.due_edit.setDate(QDate(2000, 1, 1))
    assert editor.start_edit.text().strip()  # shown as a date, not as the empty "no date"
    editor.apply_button.click()
    assert page.save_draft() is not None, (errors, editor.problem_label.text())
    saved = plans.current_plan(ctx.db, ctx.actor, client)
    assert saved is not None
    action = saved.snapshot.goals[0].actions[0]
    assert saved.snapshot.start == new_year
    assert (action.start, action.due) == (new_year, new_year)

    again = make_page(qtbot, ctx)
    again.open_client(client)
    assert again.editor.plan_start_edit.date_value() == new_year
    again.editor.tree.setCurrentIndex(
        again.editor.model.index(0, 0, again.editor.model.index(0, 0))
    )
    assert again.editor.start_edit.date_value() == new_year
    # Delete still clears a date: "no date" is below any date a person can enter.
    again.editor.due_edit.set_date_value(None)
    assert again.editor.due_edit.date_value() is None and not again.editor.due_edit.text().strip()
    assert errors == []
