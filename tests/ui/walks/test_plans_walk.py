"""The Plans area walked as a caseworker and as a team lead on an encrypted database."""

from __future__ import annotations

import pytest
from office import Office
from pytestqt.qtbot import QtBot

from hemlos_desktop.ui.main_window import MainWindow
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


def test_a_search_that_finds_no_one_hides_the_previous_plan(qtbot: QtBot, office: Office) -> None:
    page = plans_page(office.sign_in("worker"))
    page.open_client(office.client_ids["Söderström"])
    assert not page.plan_area.isHidden()
    page.search_edit.setText("Nobody by this name")
    assert page.plan_area.isHidden()  # neither the plan nor its save button is on screen
    assert page.no_client_label.text() == "No client matches the search."
    page.search_edit.setText("Söderström, Emma")  # as the list shows her: she alone matches
    assert page.client_combo.currentData() == office.client_ids["Söderström"]
    assert not page.plan_area.isHidden()


def test_a_danish_team_lead_prints_plans_in_danish(qtbot: QtBot, office: Office) -> None:
    page = plans_page(office.sign_in("lead", language="da"))
    assert page.language_combo.currentData() == "da"
    page.open_client(office.client_ids["Öberg"])
    assert not page.plan_area.isHidden()
    assert page.new_button.isEnabled()
