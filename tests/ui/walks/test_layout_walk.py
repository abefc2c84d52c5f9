"""Layout faults found by walking the program: the pickers' names, the print language,
walked through the real sign-in dialog on an encrypted database at 1100×720."""

from __future__ import annotations

import io

import pytest
from office import Office
from pypdf import PdfReader
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDateEdit
from pytestqt.qtbot import QtBot

from hemlos_desktop.services import pdf_export
from hemlos_desktop.ui.assessments.page import AssessmentsPage
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.plans.page import PlansPage
from hemlos_desktop.ui.reports.export_dialog import PdfOptionsForm
from hemlos_desktop.ui.widgets.client_picker import ClientPicker

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _pickers(window: MainWindow) -> list[ClientPicker]:
    found = []
    for area, kind in (("plans", PlansPage), ("assessments", AssessmentsPage)):
        window.show_area(area)
        page = window.pages[area]
        assert isinstance(page, kind)
        found.append(page.picker)
    return found


def _wait_for_names(qtbot: QtBot, picker: ClientPicker) -> None:
    with qtbot.waitSignal(picker.sig_results_shown, timeout=5000):
        picker.refresh()
    assert picker.results.count() >= 4


@pytest.mark.parametrize("point_size", [0, 15])  # the default font, and one as at 150 %
def test_the_pickers_show_whole_names_in_the_languages_order(
    qtbot: QtBot, office: Office, point_size: int
) -> None:
    original = QFont(QApplication.font())
    if point_size:
        font = QFont(QApplication.font())
        font.setPointSize(point_size)
        QApplication.setFont(font)
    try:
        window = office.sign_in("worker", language="da")
        window.resize(1100, 720)
        for picker in _pickers(window):
            picker.window().show()
            _wait_for_names(qtbot, picker)
            QApplication.processEvents()
            shown = [picker.results.item(r).text().split(",")[0] for r in range(4)]
            assert shown == ["Nilsson", "Söderström", "Öberg", "Åberg"]  # Danish order
            room = picker.results.viewport().width()
            metrics = picker.results.fontMetrics()
            for row in range(picker.results.count()):
                item = picker.results.item(row)
                name, _sep, number = item.text().partition("\n")
                assert "," in name and number.endswith("****")
                assert metrics.horizontalAdvance(name) + 8 <= room, name
                assert item.toolTip() == f"{name} {number}"
    finally:
        QApplication.setFont(original)


def test_print_language_follows_the_session_until_the_user_chooses(
    qtbot: QtBot, office: Office
) -> None:
    window = office.sign_in("worker", language="en")
    window.show_area("plans")
    page = window.pages["plans"]
    assert isinstance(page, PlansPage)
    combo = page.language_combo
    assert (combo.currentData(), combo.currentText()) == ("en", "English")
    assert page.print_language() == "en"
    office.languages.apply("da")  # switched while the program runs: the print language follows
    assert page.print_language() == "da"
    combo.setCurrentIndex(combo.findData("sv"))
    combo.activated.emit(combo.currentIndex())  # the user's own choice ...
    office.languages.apply("en")
    assert page.print_language() == "sv"  # ... is kept


def test_an_english_session_prints_in_english(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker", language="en")
    form = PdfOptionsForm()
    qtbot.addWidget(form)
    assert form.language_combo.currentData() == "en"
    ctx = window.context
    cid = office.client_ids["Söderström"]
    for render in (pdf_export.render_case_summary,):
        pdf = render(ctx.db, ctx.actor, cid, pdf_export.PdfOptions(language="en"))
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Söderström, Emma" in text and "Page 1 of" in text


def test_the_conflicts_view_fits_the_window(qtbot: QtBot, office: Office) -> None:
    """Its width is set in characters for eight columns; it never runs past the window."""
    window = office.sign_in("lead", language="da")
    window.resize(1100, 720)
    dialog = window.sync.show_conflicts()
    qtbot.addWidget(dialog)
    assert dialog.width() <= window.width()
    assert dialog.empty_label.text() == "Der er ingen konflikter at afgøre."
    dialog.close()


def test_no_wall_of_disabled_buttons_on_the_ratings_page(qtbot: QtBot, office: Office) -> None:
    """Before a client is chosen the page says what to do; the buttons come with the client."""
    window = office.sign_in("worker", language="da")
    window.show_area("assessments")
    page = window.pages["assessments"]
    assert isinstance(page, AssessmentsPage)
    ratings = page.ratings
    buttons = (ratings.new_button, ratings.save_button, ratings.sign_button)
    assert not any(b.isVisible() for b in buttons) and not ratings.lower_splitter.isVisible()
    assert "Vælg en borger" in ratings.heading.text()
    ratings.set_client(office.client_ids["Öberg"])
    assert all(b.isVisible() and b.isEnabled() for b in buttons)
    assert ratings.lower_splitter.isVisible()


def test_date_fields_follow_a_language_switch(qtbot: QtBot, office: Office) -> None:
    """A date field made in a Swedish session shows the Danish form after a switch (it kept
    2026-12-10 while the dates beside it read 10.12.2026)."""
    window = office.sign_in("worker", language="sv")
    for area in ("plans", "assessments", "team"):
        window.show_area(area)
    edits = window.findChildren(QDateEdit)
    assert len(edits) >= 3
    assert {edit.displayFormat() for edit in edits} >= {"yyyy-MM-dd"}
    office.languages.apply("da")
    assert {edit.displayFormat() for edit in window.findChildren(QDateEdit)} == {"dd.MM.yyyy"}
    office.languages.apply("en")
    assert {edit.displayFormat() for edit in window.findChildren(QDateEdit)} == {"dd/MM/yyyy"}
