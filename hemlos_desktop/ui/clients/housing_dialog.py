"""Add or change one housing period: code 1-6, start, end (empty = ongoing), place, note.

The rules (no overlaps, end after start, no future start) live in ``models.housing_rules``; the
dialog shows each message beside its field and keeps everything the user typed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import housing_label
from hemlos_desktop.models.housing_rules import PeriodInput
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services.housing import HousingPeriodInfo, save_period
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_operation
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit
from hemlos_desktop.ui.widgets.field_error import (
    FieldErrorLabel,
    place_below,
    show_field_errors,
)


class HousingPeriodDialog(QDialog):
    """Edit one period; ``period`` None adds a new one."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        period: HousingPeriodInfo | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._client_id = client_id
        self._period = period
        self._today = today or dt.date.today()
        self.code_combo = QComboBox()
        for code in range(1, 7):
            self.code_combo.addItem("", code)
        self.start_edit = make_date_edit(period.start_date if period else self._today)
        self.ongoing_check = QCheckBox()
        self.end_edit = make_date_edit(
            period.end_date if period and period.end_date else self._today
        )
        self.place_edit = QLineEdit()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.errors = {
            name: FieldErrorLabel() for name in ("code", "start_date", "end_date", "place", "note")
        }
        self.general_error = FieldErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = {name: QLabel() for name in ("code", "start", "end", "place", "note")}

        end_row = QWidget()
        end_layout = QHBoxLayout(end_row)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.end_edit, 1)
        end_layout.addWidget(self.ongoing_check)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._labels["code"], place_below(self.code_combo, self.errors["code"]))
        form.addRow(self._labels["start"], place_below(self.start_edit, self.errors["start_date"]))
        form.addRow(self._labels["end"], place_below(end_row, self.errors["end_date"]))
        form.addRow(self._labels["place"], place_below(self.place_edit, self.errors["place"]))
        form.addRow(self._labels["note"], place_below(self.note_edit, self.errors["note"]))
        for key, buddy in (
            ("code", self.code_combo),
            ("start", self.start_edit),
            ("end", self.end_edit),
            ("place", self.place_edit),
            ("note", self.note_edit),
        ):
            self._labels[key].setBuddy(buddy)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        if period is not None:
            self.code_combo.setCurrentIndex(max(0, period.code - 1))
            self.ongoing_check.setChecked(period.end_date is None)
            self.place_edit.setText(period.place)
            self.note_edit.setPlainText(period.note)
        else:
            self.code_combo.setCurrentIndex(0)
            self.ongoing_check.setChecked(True)
        self.end_edit.setEnabled(not self.ongoing_check.isChecked())
        self._connect_signals()
        self.retranslate_ui()
        unit = self.fontMetrics().height()
        self.resize(unit * 34, unit * 22)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.ongoing_check.toggled.connect(self._on_ongoing_toggled)

    def retranslate_ui(self) -> None:
        editing = self._period is not None
        self.setWindowTitle(_("Change housing period") if editing else _("Add housing period"))
        for index in range(self.code_combo.count()):
            code = int(self.code_combo.itemData(index))
            self.code_combo.setItemText(index, f"{code} – {housing_label(code)}")
        self._labels["code"].setText(_("&Housing situation:"))
        self._labels["start"].setText(_("&Start date:"))
        self._labels["end"].setText(_("&End date:"))
        self._labels["place"].setText(_("&Place:"))
        self._labels["note"].setText(_("&Note:"))
        self.ongoing_check.setText(_("&Ongoing (no end date)"))
        self.code_combo.setAccessibleName(_("Housing situation"))
        self.start_edit.setAccessibleName(_("Start date"))
        self.end_edit.setAccessibleName(_("End date"))
        self.ongoing_check.setAccessibleName(_("Ongoing (no end date)"))
        self.place_edit.setAccessibleName(_("Place"))
        self.note_edit.setAccessibleName(_("Note"))

    def _on_ongoing_toggled(self, checked: bool) -> None:
        self.end_edit.setEnabled(not checked)

    def period_input(self) -> PeriodInput:
        return PeriodInput(
            code=int(self.code_combo.currentData()),
            start_date=from_qdate(self.start_edit.date()),
            end_date=None if self.ongoing_check.isChecked() else from_qdate(self.end_edit.date()),
            place=self.place_edit.text(),
            note=self.note_edit.toPlainText(),
        )

    def save(self) -> bool:
        """Save through the service; on a broken rule show the messages and keep the input."""
        show_field_errors(self.errors, [])
        self.general_error.set_error("")
        ctx, data = self._context, self.period_input()
        period_id = self._period.id if self._period else None
        saved = run_operation(
            self,
            ctx,
            lambda: save_period(
                ctx.db, ctx.actor, self._client_id, data, period_id=period_id, today=self._today
            ),
            field_errors=self._show_field_errors,
        )
        return saved is not None

    def _show_field_errors(self, errors: list[FieldError]) -> None:
        rest = show_field_errors(self.errors, errors)
        self.general_error.set_error("\n".join(rest))

    def _on_save_clicked(self) -> None:
        if self.save():
            self.accept()
