"""Retention (gallring) for administrators: the rules, a preview, holds and the purge."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import retention
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.operations import run_operation, run_query

log = logging.getLogger(__name__)


class RetentionDialog(QDialog):
    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self._context = context
        # Municipal IT's retention years apply while the database has no rules of its own.
        self._defaults = retention.RetentionRules.with_overrides(context.settings.retention_rules)
        rules = retention.get_rules(context.db, defaults=self._defaults)
        self.closed_spin = QSpinBox()
        self.closed_spin.setObjectName("retentionClosedYears")
        self.closed_spin.setRange(0, 100)
        self.closed_spin.setValue(rules.closed_case_years)
        self.unidentified_spin = QSpinBox()
        self.unidentified_spin.setObjectName("retentionUnidentifiedYears")
        self.unidentified_spin.setRange(0, 100)
        self.unidentified_spin.setValue(rules.unidentified_contact_years)
        self.save_button = QPushButton()
        self.save_button.setObjectName("retentionSaveRules")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("retentionPreview")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hold_button = QPushButton()
        self.hold_button.setObjectName("retentionHold")
        self.purge_button = QPushButton()
        self.purge_button.setObjectName("retentionPurge")
        self.message_label = QLabel()
        self.message_label.setObjectName("retentionMessage")
        self._labels = [QLabel(), QLabel()]
        form = QFormLayout()
        form.addRow(self._labels[0], self.closed_spin)
        form.addRow(self._labels[1], self.unidentified_spin)
        self._labels[0].setBuddy(self.closed_spin)
        self._labels[1].setBuddy(self.unidentified_spin)
        row = QHBoxLayout()
        row.addWidget(self.hold_button)
        row.addStretch(1)
        row.addWidget(self.purge_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message_label)
        self._connect_signals()
        self.retranslate_ui()
        self.refresh()
        self.resize(720, 520)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_rules)
        self.hold_button.clicked.connect(self._on_hold)
        self.purge_button.clicked.connect(self._on_purge)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Retention (purge)"))
        labels = retention.RULE_LABELS
        for label, spin, key in (
            (self._labels[0], self.closed_spin, "closed_case_years"),
            (self._labels[1], self.unidentified_spin, "unidentified_contact_years"),
        ):
            text = labels[key]
            label.setText(_(text))
            spin.setAccessibleName(_(text))
        self.save_button.setText(_("Save the &rules"))
        self.hold_button.setText(_("&Hold or release…"))
        self.purge_button.setText(_("&Purge now…"))
        self.table.setHorizontalHeaderLabels(
            [_("Client no."), _("Runs from"), _("Purge on"), _("Held")]
        )
        self.table.setAccessibleName(_("Records due for purging"))

    def refresh(self) -> None:
        ctx = self._context
        found = run_query(
            self,
            lambda: retention.preview(ctx.db, ctx.actor, defaults=self._defaults),
            on_error=lambda error: self.message_label.setText(error.message()),
        )
        if found is None:
            return
        candidates = found.value
        self.table.setRowCount(len(candidates))
        for index, item in enumerate(candidates):
            cells = (
                str(item.client_id),
                item.since.isoformat(),
                item.purge_on.isoformat(),
                _("yes") if item.held else _("no"),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, (item.client_id, item.held))
                self.table.setItem(index, column, cell)
        self.message_label.setText(
            _("{count} records are due for purging.").format(count=len(candidates))
        )

    def _on_save_rules(self) -> None:
        ctx = self._context
        rules = retention.RetentionRules(
            closed_case_years=self.closed_spin.value(),
            unidentified_contact_years=self.unidentified_spin.value(),
        )
        if (
            run_operation(self, ctx, lambda: retention.set_rules(ctx.db, ctx.actor, rules))
            is not None
        ):
            self.refresh()

    def _on_hold(self) -> None:
        cell = self.table.item(self.table.currentRow(), 0)
        if cell is None:
            return
        client_id, held = cell.data(Qt.ItemDataRole.UserRole)
        reason = ""
        if not held:
            reason, ok = QInputDialog.getText(
                self, _("Hold from purging"), _("Reason for keeping the record:")
            )
            if not ok or not reason.strip():
                return
        ctx = self._context
        run_operation(
            self,
            ctx,
            lambda: retention.set_hold(ctx.db, ctx.actor, client_id, hold=not held, reason=reason),
        )
        self.refresh()

    def confirm_purge(self, count: int) -> bool:
        answer = QMessageBox.question(
            self,
            _("Purge records"),
            _(
                "{count} records will be removed completely. This cannot be undone. Continue?"
            ).format(count=count),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _due_count(self) -> int:
        count = 0
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and not cell.data(Qt.ItemDataRole.UserRole)[1]:
                count += 1
        return count

    def _on_purge(self) -> None:
        due = self._due_count()
        if due == 0 or not self.confirm_purge(due):
            return
        ctx = self._context
        defaults = self._defaults
        purged = run_operation(
            self, ctx, lambda: retention.purge(ctx.db, ctx.actor, defaults=defaults)
        )
        if purged is None:
            return
        result = purged.value
        self.refresh()
        self.message_label.setText(_("{count} records were purged.").format(count=result.purged))
