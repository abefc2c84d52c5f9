"""The access log viewer: filter by user, client (identity number) and period; export CSV."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import (
    QDate,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hemlos_desktop.i18n import gettext as _
from hemlos_desktop.services import audit, clients, users
from hemlos_desktop.ui.context import UiContext
from hemlos_desktop.ui.itemmodels.audit_table_model import AuditTableModel
from hemlos_desktop.ui.operations import run_query

log = logging.getLogger(__name__)


class AuditViewer(QDialog):
    """Administrators, team leads and auditors review who did what."""

    def __init__(self, *, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditViewer")
        self._context = context
        self.user_combo = QComboBox()
        self.user_combo.setObjectName("auditUser")
        self.user_combo.addItem("", None)
        for info in users.list_users(context.db):
            self.user_combo.addItem(f"{info.display_name} ({info.username})", info.id)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("auditClientNumber")
        self.since_check = QCheckBox()
        self.since_edit = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since_edit.setObjectName("auditSince")
        self.since_edit.setCalendarPopup(True)
        self.until_check = QCheckBox()
        self.until_edit = QDateEdit(QDate.currentDate())
        self.until_edit.setObjectName("auditUntil")
        self.until_edit.setCalendarPopup(True)
        self.search_button = QPushButton()
        self.search_button.setObjectName("auditSearch")
        self.export_button = QPushButton()
        self.export_button.setObjectName("auditExport")
        # The log leaves the program only with administrators and auditors.
        self.export_button.setVisible(context.actor.role in audit.EXPORT_ROLES)
        self.message_label = QLabel()
        self.message_label.setObjectName("auditMessage")
        self.model = AuditTableModel(parent=self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)

        self._labels = [QLabel() for _i in range(4)]
        form = QFormLayout()
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit, 1)
        until_row = QHBoxLayout()
        until_row.addWidget(self.until_check)
        until_row.addWidget(self.until_edit, 1)
        form.addRow(self._labels[0], self.user_combo)
        form.addRow(self._labels[1], self.number_edit)
        form.addRow(self._labels[2], since_row)
        form.addRow(self._labels[3], until_row)
        self._labels[0].setBuddy(self.user_combo)
        self._labels[1].setBuddy(self.number_edit)
        self._labels[2].setBuddy(self.since_check)
        self._labels[3].setBuddy(self.until_check)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        self._connect_signals()
        self.retranslate_ui()
        self.resize(820, 560)
        self.search()

    def _connect_signals(self) -> None:
        self.search_button.clicked.connect(self.search)
        self.number_edit.returnPressed.connect(self.search)
        self.export_button.clicked.connect(self._on_export)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Access log"))
        texts = (_("&User:"), _("&Client's identity number:"), _("&From:"), _("U&ntil:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.user_combo.setItemText(0, _("All users"))
        self.user_combo.setAccessibleName(_("User"))
        self.number_edit.setAccessibleName(_("Client's identity number"))
        self.number_edit.setPlaceholderText(_("All clients"))
        self.since_check.setAccessibleName(_("Filter from a date"))
        self.until_check.setAccessibleName(_("Filter until a date"))
        self.since_edit.setAccessibleName(_("From"))
        self.until_edit.setAccessibleName(_("Until"))
        self.search_button.setText(_("&Search"))
        self.export_button.setText(_("&Export CSV…"))
        self.table.setAccessibleName(_("Access log entries"))

    def query(self) -> audit.AuditQuery | None:
        """The filters as a query; None when the number matches no visible client."""
        client_id: int | None = None
        text = self.number_edit.text().strip()
        if text:
            found = clients.client_ids_by_number(self._context.db, self._context.actor, text)
            if not found:
                return None
            client_id = found[0]
        since = self.since_edit.date().toPython() if self.since_check.isChecked() else None
        until = self.until_edit.date().toPython() if self.until_check.isChecked() else None
        user_id = self.user_combo.currentData()
        return audit.AuditQuery(
            user_id=int(user_id) if user_id is not None else None,
            client_id=client_id,
            since=since if isinstance(since, dt.date) else None,
            until=until if isinstance(until, dt.date) else None,
        )

    def search(self) -> None:
        query = self.query()
        if query is None:
            self.model.set_rows([])
            self.message_label.setText(_("No client you may see has this number."))
            return
        ctx = self._context
        found = run_query(
            self,
            lambda: audit.view_entries(ctx.db, ctx.actor, query),
            on_error=lambda error: self.message_label.setText(error.message()),
        )
        if found is None:
            return
        rows = found.value
        self.model.set_rows(rows)
        self.message_label.setText(_("{count} entries").format(count=len(rows)))

    def _on_export(self) -> None:
        query = self.query()
        if query is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the access log"), "access-log.csv", _("CSV files (*.csv)")
        )
        if not path:
            return
        ctx = self._context
        exported = run_query(
            self, lambda: audit.export_entries(ctx.db, ctx.actor, query, Path(path))
        )
        if exported is None:
            return
        self.message_label.setText(_("{count} entries exported").format(count=exported.value))
