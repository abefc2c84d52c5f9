"""Close a client's case: the day it closed, why, and (for "other reason") a short note.

The rules (not in the future, not before the client's first record, a note for "other") live
in ``services.case_status``; the dialog shows each message beside its field and keeps what the
user chose. Reopening asks once and runs ``case_status.reopen_case``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.models.client import CLOSURE_REASON_LABELS, ClosureReason
from hemlos_desktop.models.validation import FieldError
from hemlos_desktop.services import case_status
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_operation
from hemlos_desktop.ui.widgets.dates import from_qdate, make_date_edit
from hemlos_desktop.ui.widgets.field_error import (
    FieldErrorLabel,
    place_below,
    show_field_errors,
)


class CaseClosureDialog(QDialog):
    """Close the case of ``client_id``; accepted once the closure is saved."""

    def __init__(
        self,
        *,
        context: UiContext,
        client_id: int,
        client_name: str,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("caseClosureDialog")
        self._context = context
        self._client_id = client_id
        self._client_name = client_name
        self._today = today or dt.date.today()
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.date_edit = make_date_edit(self._today)
        self.reason_combo = QComboBox()
        self.reason_combo.addItem("", None)
        for reason in ClosureReason:
            self.reason_combo.addItem("", reason.value)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(case_status.CLOSURE_NOTE_MAX)
        self.errors = {name: FieldErrorLabel() for name in ("closed_on", "reason", "note")}
        self.general_error = FieldErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._labels = {name: QLabel() for name in ("date", "reason", "note")}

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._labels["date"], place_below(self.date_edit, self.errors["closed_on"]))
        form.addRow(self._labels["reason"], place_below(self.reason_combo, self.errors["reason"]))
        form.addRow(self._labels["note"], place_below(self.note_edit, self.errors["note"]))
        for key, buddy in (
            ("date", self.date_edit),
            ("reason", self.reason_combo),
            ("note", self.note_edit),
        ):
            self._labels[key].setBuddy(buddy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._connect_signals()
        self.retranslate_ui()
        self._on_reason_changed(0)
        unit = self.fontMetrics().height()
        self.resize(unit * 32, unit * 14)
        self.reason_combo.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        self.reason_combo.currentIndexChanged.connect(self._on_reason_changed)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Close case"))
        self.intro_label.setText(
            _(
                "Close the case of {name}. The record stays as it is, a housing period that "
                "is going on ends on the closing day, and the case can be reopened; the "
                "closure is counted in the follow-up by its reason."
            ).format(name=self._client_name)
        )
        self._labels["date"].setText(_("Closed &on:"))
        self._labels["reason"].setText(_("&Reason:"))
        self._labels["note"].setText(_("&Note:"))
        self.date_edit.setAccessibleName(_("Day the case was closed"))
        self.reason_combo.setAccessibleName(_("Reason for closing the case"))
        self.note_edit.setAccessibleName(_("Note on the reason"))
        self.reason_combo.setItemText(0, _("Choose a reason…"))
        for index in range(1, self.reason_combo.count()):
            reason = ClosureReason(self.reason_combo.itemData(index))
            self.reason_combo.setItemText(index, _(CLOSURE_REASON_LABELS[reason]))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Close &case"))
        self._update_note_hint()

    def _update_note_hint(self) -> None:
        if self.reason() is ClosureReason.OTHER:
            self.note_edit.setPlaceholderText(_("Required: say why the case is closed"))
        else:
            self.note_edit.setPlaceholderText(_("Optional"))

    def _on_reason_changed(self, _index: int) -> None:
        self._update_note_hint()

    def reason(self) -> ClosureReason | None:
        data = self.reason_combo.currentData()
        return ClosureReason(data) if data else None

    def closed_on(self) -> dt.date:
        return from_qdate(self.date_edit.date())

    def save(self) -> bool:
        """Close the case through the service; on a broken rule show the messages."""
        show_field_errors(self.errors, [])
        self.general_error.set_error("")
        ctx = self._context
        reason, on, note = self.reason(), self.closed_on(), self.note_edit.text()
        closed = run_operation(
            self,
            ctx,
            lambda: case_status.close_case(
                ctx.db, ctx.actor, self._client_id, reason, on=on, note=note, today=self._today
            ),
            field_errors=self._show_field_errors,
        )
        return closed is not None

    def _show_field_errors(self, errors: list[FieldError]) -> None:
        rest = show_field_errors(self.errors, errors)
        self.general_error.set_error("\n".join(rest))
        for name, widget in (
            ("closed_on", self.date_edit),
            ("reason", self.reason_combo),
            ("note", self.note_edit),
        ):
            if any(e.field == name for e in errors):
                widget.setFocus()
                break

    def _on_ok_clicked(self) -> None:
        if self.save():
            self.accept()


def confirm_reopen(parent: QWidget, client_name: str) -> bool:
    """Ask before a closed case is opened again."""
    answer = QMessageBox.question(
        parent,
        _("Reopen case"),
        _("Reopen the case of {name}? The closure date and reason are removed.").format(
            name=client_name
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def reopen_case(
    parent: QWidget, context: UiContext, client_id: int, client_name: str, *, confirm: bool = True
) -> bool:
    """Reopen the case (after asking, unless ``confirm`` is False); True when it was reopened."""
    if confirm and not confirm_reopen(parent, client_name):
        return False
    done = run_operation(
        parent,
        context,
        lambda: case_status.reopen_case(context.db, context.actor, client_id),
    )
    return done is not None
