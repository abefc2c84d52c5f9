"""The journal's editor box: date, category, undo/redo, the note's text, its save status and
the sign and discard buttons. The behaviour (autosave, signing, corrections) is in
:class:`hemlos_desktop.ui.clients.journal.JournalWidget`; this box only holds and labels the
widgets."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import JournalCategory
from hemlos_desktop.ui.clients.journal_entries import category_label
from hemlos_desktop.ui.widgets.dates import make_date_edit
from hemlos_desktop.ui.widgets.field_error import FieldErrorLabel


class JournalEditorBox(QGroupBox):
    """The widgets of the draft editor, laid out and labelled."""

    def __init__(self, *, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit: QDateEdit = make_date_edit(day)
        self.category_combo = QComboBox()
        for category in JournalCategory:
            self.category_combo.addItem("", category.value)
        self.toolbar = QToolBar()
        self.undo_action = QAction(self)
        self.redo_action = QAction(self)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.correction_label = QLabel()
        self.correction_label.setWordWrap(True)
        self.correction_label.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.sign_button = QPushButton()
        self.discard_button = QPushButton()
        self.date_error = FieldErrorLabel()
        self.text_error = FieldErrorLabel()
        self._date_label = QLabel()
        self._category_label = QLabel()
        self._date_label.setBuddy(self.date_edit)
        self._category_label.setBuddy(self.category_combo)
        self._build_layout()
        self._connect_signals()

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        date_box = QWidget()
        date_layout = QVBoxLayout(date_box)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.setSpacing(2)
        date_layout.addWidget(self.date_edit)
        date_layout.addWidget(self.date_error)
        form.addRow(self._date_label, date_box)
        form.addRow(self._category_label, self.category_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.correction_label)
        layout.addLayout(form)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.text_error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.discard_button)
        bottom.addWidget(self.sign_button)
        layout.addLayout(bottom)
        self.editor.setMinimumHeight(self.fontMetrics().height() * 8)

    def _connect_signals(self) -> None:
        self.editor.undoAvailable.connect(self.undo_action.setEnabled)
        self.editor.redoAvailable.connect(self.redo_action.setEnabled)
        self.undo_action.triggered.connect(self.editor.undo)
        self.redo_action.triggered.connect(self.editor.redo)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Journal note"))
        self._date_label.setText(_("&Date:"))
        self._category_label.setText(_("Ca&tegory:"))
        self.date_edit.setAccessibleName(_("Date of the entry"))
        self.category_combo.setAccessibleName(_("Category"))
        for index in range(self.category_combo.count()):
            category = JournalCategory(self.category_combo.itemData(index))
            self.category_combo.setItemText(index, category_label(category))
        undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        redo_keys = QKeySequence(QKeySequence.StandardKey.Redo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.undo_action.setText(_("Undo"))
        self.undo_action.setToolTip(_("Undo ({keys})").format(keys=undo_keys))
        self.redo_action.setText(_("Redo"))
        self.redo_action.setToolTip(_("Redo ({keys})").format(keys=redo_keys))
        self.toolbar.setAccessibleName(_("Editing"))
        self.editor.setAccessibleName(_("Journal note text"))
        self.editor.setPlaceholderText(
            _("Write the note here. It is saved as a draft while you type.")
        )
        self.sign_button.setText(_("&Sign…"))
        self.sign_button.setAccessibleName(_("Sign the entry"))
        self.sign_button.setToolTip(_("Make the entry final (Ctrl+Return)"))
        self.discard_button.setText(_("Discard draft…"))
        self.discard_button.setAccessibleName(_("Discard draft"))
        self.status_label.setAccessibleName(_("Save status"))
