"""The Plans area walked as a caseworker and as a team lead on an encrypted database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from office import Office
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from hemlos_desktop.errors import HemlosError
from hemlos_desktop.models.plan_diff import Change
from hemlos_desktop.models.plan_rules import (
    AgreementRecord,
    PlanRuleError,
    PlanState,
    Responsible,
    ResponsibleKind,
)
from hemlos_desktop.services import plans
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.plans import page as plan_page
from hemlos_desktop.ui.plans.dialogs import AgreeDialog, CompareDialog, NewPlanDialog
from hemlos_desktop.ui.plans.page import PlansPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def plans_page(window: MainWindow) -> PlansPage:
    window.show_area("plans")
    page = window.pages["plans"]
    assert isinstance(page, PlansPage)
    return page


def test_no_plan_and_no_wall_of_buttons_before_a_client_is_chosen(
    qtbot: QtBot, office: Office
) -> None:
    page = plans_page(office.sign_in("worker"))
    assert page.plan_area.isHidden() and not page.no_client_label.isHidden()
    assert "choose" in page.no_client_label.text()


def search(qtbot: QtBot, page: PlansPage, text: str) -> None:
    """Type into the shared picker's search and wait for its answer (not an earlier one)."""
    page.search_edit.setText(text)
    with qtbot.waitSignal(page.picker.sig_results_shown, timeout=5000):
        page.picker.refresh()  # no need to wait for the pause


def test_a_search_that_finds_no_one_hides_the_previous_plan(qtbot: QtBot, office: Office) -> None:
    page = plans_page(office.sign_in("worker"))
    page.open_client(office.client_ids["Söderström"])
    assert not page.plan_area.isHidden()
    search(qtbot, page, "Nobody by this name")
    assert page.plan_area.isHidden()  # neither the plan nor its save button is on screen
    assert page.no_client_label.text() == "No client matches the search."
    search(qtbot, page, "Söderström, Emma")  # as the list shows her: she alone matches
    assert page.picker.results.count() == 1
    page.picker.results.setCurrentRow(0)
    assert page.picker.chosen_client_id() == office.client_ids["Söderström"]
    assert not page.plan_area.isHidden()


def test_a_danish_team_lead_prints_plans_in_danish(qtbot: QtBot, office: Office) -> None:
    page = plans_page(office.sign_in("lead", language="da"))
    assert page.language_combo.currentData() == "da"
    page.open_client(office.client_ids["Öberg"])
    assert not page.plan_area.isHidden()
    assert page.new_button.isEnabled()


def test_the_plan_pdf_proposes_a_file_name_and_confirms(
    qtbot: QtBot, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = plans_page(office.sign_in("worker", language="da"))
    client_id = office.client_ids["Nilsson"]
    page.open_client(client_id)
    page.run_dialog = lambda _dialog: True  # type: ignore[method-assign]
    page.new_button.click()
    assert page.shown_version() is not None
    proposed: list[str] = []

    def save_as(_parent: object, _title: str, name: str, _filter: str) -> tuple[str, str]:
        proposed.append(name)
        return str(tmp_path / "min-plan"), ""

    monkeypatch.setattr(plan_page.QFileDialog, "getSaveFileName", save_as)
    page.pdf_button.click()
    assert proposed == [f"plan-{client_id}-da.pdf"]  # the internal number, never a name
    saved = tmp_path / "min-plan.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert page.status_label.text() == "Planen er gemt som min-plan.pdf."


def test_a_template_plan_names_what_each_action_lacks_and_goes_to_the_first(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = plans_page(office.sign_in("worker"))
    page.open_client(office.client_ids["Åberg"])
    shown: list[HemlosError] = []
    monkeypatch.setattr(plan_page, "show_error", lambda _parent, error: shown.append(error))
    agree_dialogs: list[QDialog] = []

    def answer(dialog: QDialog) -> bool:
        if isinstance(dialog, NewPlanDialog):
            dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("housing_first"))
        if isinstance(dialog, AgreeDialog):
            agree_dialogs.append(dialog)
        return True

    page.run_dialog = answer  # type: ignore[method-assign]
    page.new_button.click()
    editor = page.editor
    # The template's goal is a greyed suggestion in the empty field, not the client's words.
    editor.tree.setCurrentIndex(editor.model.index(0, 0))
    goal = editor.plan().goals[0]
    assert editor.text_edit.toPlainText() == "" and goal.text == ""
    assert editor.text_edit.placeholderText() == goal.suggestion != ""
    editor.text_edit.setPlainText("Jag vill ha en egen lägenhet nära min syster")
    editor.apply_button.click()

    page.agree_button.click()
    assert agree_dialogs == []  # nothing to agree to before the plan is complete
    [error] = shown
    assert isinstance(error, PlanRuleError)
    actions = [a for g in editor.plan().goals for a in g.actions]
    lines = error.message().splitlines()
    # Each action that lacks someone responsible is named, once: no bare repeated message.
    for number, action in enumerate(actions, start=1):
        [line] = [m for m in lines if m.startswith(f"Action {number} '")]
        assert action.text[:30] in line and "choose who is responsible" in line
    assert "Choose who is responsible." not in lines
    assert not any(line.startswith("Goal 1 ") for line in lines)  # written in the client's words
    # The editor has gone to the first thing that lacks something, in the plan's order.
    assert editor.current_uid() == actions[0].uid
    responsible_fields = (
        editor.responsible_kind_combo,
        editor.responsible_user_combo,
        editor.responsible_name_edit,
    )
    assert QApplication.focusWidget() in responsible_fields
    assert editor.right_scroll.horizontalScrollBar().value() == 0  # the field's label in view
    assert lines[0] in editor.problem_label.text()
    # Name who is responsible for each action; the next try goes to the second goal's words.
    for row in range(editor.model.rowCount()):
        goal_index = editor.model.index(row, 0)
        for child in range(editor.model.rowCount(goal_index)):
            editor.tree.setCurrentIndex(editor.model.index(child, 0, goal_index))
            editor.responsible_kind_combo.setCurrentIndex(
                editor.responsible_kind_combo.findData("unit")
            )
            editor.responsible_name_edit.setText("Boendeteamet")
            editor.apply_button.click()
    shown.clear()
    page.agree_button.click()
    assert [line.split(" '")[0] for line in shown[0].message().splitlines()] == [
        f"Goal {number}" for number in range(2, editor.model.rowCount() + 1)
    ]
    assert editor.current_uid() == editor.plan().goals[1].uid
    assert editor.text_edit.hasFocus() and editor.text_edit.toPlainText() == ""
    assert page.shown_version().state is PlanState.DRAFT  # type: ignore[union-attr]


def _agreed_then_revised(office: Office, client_id: int) -> None:
    """A template plan agreed, then a revision with one goal reworded (through the services)."""
    signed = office.sessions[-1]
    db, actor = signed.db, signed.actor
    draft = plans.create_draft(
        db, actor, client_id, start=dt.date(2026, 1, 5), template_id="housing_first", language="en"
    ).value
    who = Responsible(ResponsibleKind.UNIT, "Boendeteamet")
    goals = tuple(
        replace(
            goal,
            text=f"My goal {number}",
            actions=tuple(replace(a, responsible=who) for a in goal.actions),
        )
        for number, goal in enumerate(draft.snapshot.goals, start=1)
    )
    saved = plans.save_draft(
        db, actor, draft.version_id, replace(draft.snapshot, goals=goals), draft.sip,
        expected_revision=draft.revision,
    ).value  # fmt: skip
    record = AgreementRecord(dt.date(2026, 1, 5), ("Karl", "Lena"), True, True)
    agreed = plans.agree(db, actor, saved.version_id, record, today=dt.date(2026, 1, 5)).value
    revision = plans.revise(db, actor, agreed.version_id).value
    reworded = (replace(revision.snapshot.goals[0], text="My own flat, near my sister"),)
    plans.save_draft(
        db, actor, revision.version_id,
        replace(revision.snapshot, goals=reworded + revision.snapshot.goals[1:]), revision.sip,
        expected_revision=revision.revision,
    )  # fmt: skip


def test_a_team_lead_compares_a_long_plan_showing_only_changes(
    qtbot: QtBot, office: Office
) -> None:
    window = office.sign_in("lead")
    client_id = office.client_ids["Åberg"]
    _agreed_then_revised(office, client_id)
    page = plans_page(window)
    page.open_client(client_id)
    dialogs: list[CompareDialog] = []

    def look(dialog: QDialog) -> bool:
        if isinstance(dialog, CompareDialog):
            dialogs.append(dialog)
        return False

    page.run_dialog = look  # type: ignore[method-assign]
    page.compare_button.click()
    [dialog] = dialogs
    qtbot.addWidget(dialog)
    toggle = dialog.only_changes_check
    # A long plan opens showing only what changed: the reworded goal, not a dozen same rows.
    assert toggle.isChecked() and toggle.accessibleName() == "Show only changes"
    assert toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
    shown = [dialog.model.row(r).change for r in range(dialog.model.rowCount())]
    assert shown == [Change.CHANGED]
    dialog.show()
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)  # from the keyboard: every row again
    assert not toggle.isChecked() and dialog.model.rowCount() > 10
    assert Change.UNCHANGED in {dialog.model.row(r).change for r in range(dialog.model.rowCount())}
