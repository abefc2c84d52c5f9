"""Faults seen on the screenshots at 1100×720 (the smallest window the program serves; at
150 % scaling the window is the same size in Qt's units): the rating grid behind a horizontal
scrollbar, the plan's follow-up dates cut after one row. Signed in through the real dialog on
an encrypted database."""

from __future__ import annotations

import datetime as dt

import pytest
from office import Office
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from hemlos_desktop.models.plan import SipInfo
from hemlos_desktop.models.plan_rules import FollowUpPoint, PlanSnapshot
from hemlos_desktop.ui.assessments.page import AssessmentsPage
from hemlos_desktop.ui.plans.page import PlansPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_the_rating_grid_fits_without_a_horizontal_scrollbar(
    qtbot: QtBot, office: Office, language: str
) -> None:
    window = office.sign_in("worker", language=language)
    window.resize(1100, 720)
    window.show_area("assessments")
    page = window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    page.ratings.set_client(office.client_ids["Öberg"])
    form = page.ratings.form
    assert form is not None
    qtbot.wait(50)  # the scroll areas fit their contents on the posted layout requests
    for area in [page.ratings.form_area, *form.findChildren(QScrollArea)]:
        content = area.widget()
        assert content is not None
        needed = content.minimumSizeHint().width()
        assert needed <= area.viewport().width(), (language, needed, area.viewport().width())
        assert area.horizontalScrollBar().maximum() == 0, language
    for row in form.rows.values():
        for field in (row.reason, row.comment):
            words = field.fontMetrics().horizontalAdvance(field.placeholderText())
            assert field.width() >= words, (language, field.placeholderText())
            shown = field.visibleRegion().boundingRect()
            assert shown.width() == field.width(), (language, field.placeholderText())


@pytest.mark.parametrize("language", ["sv", "da"])
def test_the_follow_up_dates_show_two_whole_rows(
    qtbot: QtBot, office: Office, language: str
) -> None:
    window = office.sign_in("worker", language=language)
    window.resize(1100, 720)
    window.show_area("plans")
    page = window.pages["plans"]
    assert isinstance(page, PlansPage)
    page.open_client(office.client_ids["Öberg"])
    points = (
        FollowUpPoint(dt.date(2026, 12, 1), "Has the cooperation with the landlord worked out?"),
        FollowUpPoint(dt.date(2027, 1, 22), "Follow-up and a new rating"),
        FollowUpPoint(dt.date(2027, 3, 1), "Housing"),
    )
    page.editor.set_plan(
        PlanSnapshot(plan_uid="", follow_up_points=points), SipInfo(), read_only=False
    )
    QApplication.processEvents()
    table = page.editor.plan_box.follow_ups
    assert table.rowCount() == 3
    second = table.rowViewportPosition(1) + table.rowHeight(1)
    assert table.viewport().height() >= second
    for row in range(2):
        date_field = table.cellWidget(row, 0)
        assert table.rowHeight(row) >= date_field.sizeHint().height()
