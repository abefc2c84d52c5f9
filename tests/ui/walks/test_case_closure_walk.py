"""Closing and reopening a case from the case file, walked as a caseworker signed in through
the real sign-in dialog on an encrypted database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from office import Office
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hemlos_desktop import i18n
from hemlos_desktop.models.audit import AuditEntry
from hemlos_desktop.models.client import ClientStatus, ClosureReason
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.services import case_status, housing, pdf_export
from hemlos_desktop.ui.clients import ClientsPage
from hemlos_desktop.ui.clients.case_overview import CaseOverviewWidget
from hemlos_desktop.ui.clients.closure_dialog import CaseClosureDialog
from hemlos_desktop.ui.itemmodels.client_table_model import ClientColumn
from hemlos_desktop.ui.main_window import MainWindow
from hemlos_desktop.ui.widgets.dates import to_qdate

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TODAY = dt.date.today()
FIRST_RECORD = TODAY - dt.timedelta(days=400)


def open_case(window: MainWindow, client_id: int) -> tuple[ClientsPage, CaseOverviewWidget]:
    window.show_area("clients")
    page = window.pages["clients"]
    assert isinstance(page, ClientsPage)
    page.client_list.search_now()
    page.open_client(client_id)
    overview = page.tabs.currentWidget()
    assert isinstance(overview, CaseOverviewWidget)
    return page, overview


def add_first_record(window: MainWindow, client_id: int) -> None:
    ctx = window.context
    housing.save_period(
        ctx.db, ctx.actor, client_id, PeriodInput(code=1, start_date=FIRST_RECORD, end_date=None)
    )


def press_ok(dialog: CaseClosureDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    button.click()


def audit_details(window: MainWindow, client_id: int) -> list[str]:
    with window.context.db.read() as session:
        return list(
            session.scalars(
                select(AuditEntry.detail)
                .where(AuditEntry.client_id == client_id)
                .order_by(AuditEntry.id)
            )
        )


def test_caseworker_closes_and_reopens_a_case(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker")
    cid = office.client_ids["Söderström"]
    add_first_record(window, cid)
    page, overview = open_case(window, cid)
    assert overview.close_case_button.isVisible()
    assert overview.close_case_button.accessibleName() == "Close the case"
    assert not overview.reopen_case_button.isVisible()

    dialog = overview.open_closure_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    # No reason chosen: the message stands beside the reason, nothing is saved.
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.errors["reason"].text() == "Choose why the case is closed."
    # "Other reason" needs a note.
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(ClosureReason.OTHER.value))
    press_ok(dialog)
    assert dialog.errors["note"].text() == "Say in a few words why the case is closed."
    assert dialog.errors["reason"].text() == ""
    # Not in the future, not before the client's first record.
    dialog.note_edit.setText("Gone abroad for work")
    dialog.date_edit.setDate(to_qdate(TODAY + dt.timedelta(days=1)))
    press_ok(dialog)
    assert dialog.errors["closed_on"].text() == "A case cannot be closed on a day in the future."
    dialog.date_edit.setDate(to_qdate(FIRST_RECORD - dt.timedelta(days=1)))
    press_ok(dialog)
    assert (
        dialog.errors["closed_on"]
        .text()
        .startswith("A case cannot be closed before the client's first record")
    )
    assert dialog.note_edit.text() == "Gone abroad for work"  # nothing typed is lost
    status = case_status.case_status(window.context.db, window.context.actor, cid)
    assert status.status is ClientStatus.ACTIVE

    closed_on = TODAY - dt.timedelta(days=10)
    dialog.date_edit.setDate(to_qdate(closed_on))
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(ClosureReason.DIED.value))
    dialog.note_edit.clear()
    press_ok(dialog)
    assert dialog.result() == CaseClosureDialog.DialogCode.Accepted

    # The header heard of the change set: closed since the date, with the reason.
    day = i18n.active().format_date(closed_on)
    assert overview.facts["status"].text() == f"Closed since {day} (Died)"
    assert "case closed" not in overview.facts["housing"].text().casefold().replace(
        "when the case was closed", ""
    )
    assert overview.facts["housing"].text().endswith("(when the case was closed)")
    assert not overview.close_case_button.isVisible()
    assert overview.reopen_case_button.isVisible()
    # The housing period going on ended on the closing day: the timeline stops there, and the
    # summary PDF says the same as the screen.
    assert [(p.start_date, p.end_date) for p in overview.timeline.periods()] == [
        (FIRST_RECORD, closed_on)
    ]
    ctx = window.context
    pdf = pdf_export.render_case_summary(
        ctx.db, ctx.actor, cid, pdf_export.PdfOptions(language="sv", today=TODAY)
    )
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    swedish = i18n.translator_for("sv")
    assert "1 – Hemlös, tak över huvudet (när ärendet avslutades)" in text
    assert "pågår" not in text
    assert (
        f"{swedish.format_date(FIRST_RECORD, 'short')} {swedish.format_date(closed_on, 'short')}"
        in text
    )
    # The client list shows the new status.
    listing = page.client_list
    row = list(listing.model.ids).index(cid)
    shown = listing.model.data(
        listing.model.index(row, ClientColumn.STATUS), Qt.ItemDataRole.DisplayRole
    )
    assert shown == "Closed"
    assert audit_details(window, cid).count("case closed") == 1

    assert overview.reopen(confirm=False)
    assert overview.facts["status"].text() == "Active"
    # Reopening invents no housing period: the next situation is recorded when it is known.
    assert [(p.start_date, p.end_date) for p in overview.timeline.periods()] == [
        (FIRST_RECORD, closed_on)
    ]
    assert overview.close_case_button.isVisible()
    assert audit_details(window, cid).count("case reopened") == 1


def test_the_close_action_is_reached_with_the_keyboard(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker")
    _page, overview = open_case(window, office.client_ids["Öberg"])
    button = overview.findChild(QAbstractButton, "closeCaseButton")
    assert button is not None and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    seen: list[str] = []

    def answer_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog).__name__)
        if isinstance(dialog, CaseClosureDialog):
            seen.append(dialog.reason_combo.accessibleName())
            dialog.reject()

    QTimer.singleShot(0, answer_dialog)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert seen == ["CaseClosureDialog", "Reason for closing the case"]


def test_swedish_header_shows_the_closure_in_swedish(qtbot: QtBot, office: Office) -> None:
    window = office.sign_in("worker", language="sv")
    cid = office.client_ids["Nilsson"]
    add_first_record(window, cid)
    closed_on = TODAY - dt.timedelta(days=3)
    ctx = window.context
    case_status.close_case(
        ctx.db, ctx.actor, cid, ClosureReason.OTHER, on=closed_on, note="Utflyttad"
    )
    _page, overview = open_case(window, cid)
    day = i18n.active().format_date(closed_on)
    assert overview.facts["status"].text() == f"Avslutad sedan {day} (Utflyttad)"
    assert overview.reopen_case_button.isVisible()
