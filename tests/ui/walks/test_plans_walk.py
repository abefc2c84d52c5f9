"""The Plans area walked as a caseworker and as a team lead on an encrypted database."""

from __future__ import annotations

from pathlib import Path

import pytest
from office import Office
from pytestqt.qtbot import QtBot

from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.plans import page as plan_page
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
