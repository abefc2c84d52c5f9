"""The Assessments area walked as a caseworker on an encrypted database, in a small window."""

from __future__ import annotations

import pytest
from office import Office
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from hemlos_desktop.ui.assessments.page import AssessmentsPage
from hemlos_desktop.ui.assessments.rating_form import RatingForm

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def on_screen(widget: QWidget) -> bool:
    """Whether the whole widget lies inside every scroll area around it (not scrolled away)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            viewport = parent.viewport()
            top_left = widget.mapTo(viewport, QPoint(0, 0))
            if not viewport.rect().contains(QRect(top_left, widget.size())):
                return False
        parent = parent.parentWidget()
    return True


def rating_form(qtbot: QtBot, office: Office) -> RatingForm:
    window = office.sign_in("worker")
    window.resize(900, 560)  # small: the form cannot show every area at once
    window.show_area("assessments")
    page = window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    page.ratings.set_client(office.client_ids["Söderström"])
    form = page.ratings.form
    assert form is not None
    qtbot.waitUntil(form.isVisible)
    keys = list(form.rows)
    assert not on_screen(form.rows[keys[-1]].selector)  # the last area starts out of view
    return form


def test_the_rating_form_scrolls_to_the_area_coded_by_digits(qtbot: QtBot, office: Office) -> None:
    form = rating_form(qtbot, office)
    keys = list(form.rows)
    form.focus_area(keys[0])
    for key in keys:
        selector = form.rows[key].selector
        assert QApplication.focusWidget() is selector
        assert on_screen(selector), key  # the area being coded is in view
        qtbot.keyClick(selector, Qt.Key.Key_2)  # a level, and on to the next area


def test_the_rating_form_scrolls_to_the_area_reached_by_tab_and_arrows(
    qtbot: QtBot, office: Office
) -> None:
    form = rating_form(qtbot, office)
    keys = list(form.rows)
    last = form.rows[keys[-1]]
    form.focus_area(keys[-2])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert QApplication.focusWidget() is last.selector and on_screen(last.selector)
    form.focus_area(keys[0])
    assert on_screen(form.rows[keys[0]].selector)
    seen: set[str] = set()
    for _ in range(30):  # Tab through every field, area by area
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        area = next((k for k, row in form.rows.items() if focused in row.widgets()), None)
        if area is None:
            break  # past the form
        assert focused is not None and on_screen(focused), area
        seen.add(area)
    assert seen == set(keys)
