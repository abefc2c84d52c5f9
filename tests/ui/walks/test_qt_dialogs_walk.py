"""Qt's own dialogs speak the user's language: no half-English file dialog in Danish."""

from __future__ import annotations

import re

import pytest
from office import Office
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ENGLISH = re.compile(r"\b(Look in|Files of|File name|Save|Cancel|Open)\b")


@pytest.mark.parametrize("language", ["sv", "da"])
def test_the_save_dialog_and_message_boxes_have_no_english(
    qtbot: QtBot, office: Office, language: str
) -> None:
    window = office.sign_in("worker", language=language)
    assert QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    dialog = QFileDialog(window, "PDF")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    buttons = [b.text() for b in dialog.findChildren(QPushButton)]
    assert labels and not [t for t in labels + buttons if ENGLISH.search(t.replace("&", ""))]
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "?",
        "?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        window,
    )
    qtbot.addWidget(box)
    assert not [b.text() for b in box.buttons() if ENGLISH.search(b.text().replace("&", ""))]
